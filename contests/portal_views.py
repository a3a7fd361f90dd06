"""The public pages of contests (no account; ADR 0020): the list of contests in their vote
or with published results, a contest's page (the finalists and the e-mail form while the
vote runs; the awards once published), the code-and-choice step and the thank-you page.

Nothing about the client is stored: the rate limits key a cache counter with the keyed
hash of the address that reports/receipts.py makes; the address typed becomes a keyed
hash (contests/voting.py); the vote step carries a signed ticket of the code's row.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from contests import selectors, voting
from contests.forms import EmailForm, VoteForm
from contests.models import Contest, Entry
from core.access import PUBLIC, access
from core.errors import DomainError
from core.forms import add_domain_error
from reports.receipts import client_key

PER_PAGE = 12


@access(PUBLIC)
@require_GET
def contest_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.public_contests(), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "contests/portal/list.html", {"page_obj": page})


def _detail(
    request: HttpRequest,
    contest: Contest,
    form: EmailForm | None = None,
    status: int = 200,
    notice: str = "",
) -> HttpResponse:
    is_open = voting.voting_open(contest)
    context = {
        "contest": contest,
        "finalists": list(selectors.finalists_of(contest).select_related("best_practice__institution"))
        if contest.status == Contest.Status.VOTING
        else [],
        "awards": selectors.awards(contest) if contest.status == Contest.Status.PUBLISHED else [],
        "is_open": is_open,
        "form": (form or EmailForm()) if is_open else None,
        "notice": notice,
    }
    return render(request, "contests/portal/detail.html", context, status=status)


@access(PUBLIC)
@require_GET
def contest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, selectors.public_contest_or_404(pk))


def _vote_page(request: HttpRequest, contest: Contest, form: VoteForm, status: int = 200) -> HttpResponse:
    return render(request, "contests/portal/vote.html", {"contest": contest, "form": form}, status=status)


def _refusal_status(error: DomainError) -> int:
    """429 Too Many Requests for a rate limit (voting.py's "locked"), else 400."""
    return 429 if error.code == "locked" else 400


def _finalists(contest: Contest) -> list[Entry]:
    return list(selectors.finalists_of(contest))


@access(PUBLIC)
@require_POST
def request_code(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: the voter's address; a code is e-mailed and the vote form is shown. An
    address that already voted gets the very same page (voting.request_code)."""
    contest = selectors.public_contest_or_404(pk)
    form = EmailForm(request.POST)
    if form.is_valid():
        try:
            row = voting.request_code(contest=contest, email=form.cleaned_data["email"], client=client_key(request))
        except DomainError as error:
            add_domain_error(form, error)
            return _detail(request, contest, form, status=_refusal_status(error))
        else:
            vote_form = VoteForm(initial={"ticket": voting.ticket_for(row)}, entries=_finalists(contest))
            return _vote_page(request, contest, vote_form)
    return _detail(request, contest, form, status=400)


@access(PUBLIC)
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: the code and the choice make one vote. A page left open too long (its
    ticket expired) goes back to step 1 with a message."""
    contest = selectors.public_contest_or_404(pk)
    try:
        row = voting.code_row_from_ticket(contest, request.POST.get("ticket", ""))
    except voting.TicketExpired as expired:
        return _detail(request, contest, status=400, notice=str(expired.message))
    entries = _finalists(contest)
    form = VoteForm(request.POST, entries=entries)
    if form.is_valid():
        entry = next((e for e in entries if e.pk == form.cleaned_data["entry"]), None)
        try:
            voting.cast_vote(
                contest=contest, code_row=row, code=form.cleaned_data["code"], entry=entry, client=client_key(request)
            )
        except DomainError as error:
            add_domain_error(form, error)
            return _vote_page(request, contest, form, status=_refusal_status(error))
        else:
            return HttpResponseRedirect(reverse("portal_contests:done", kwargs={"pk": contest.pk}))
    return _vote_page(request, contest, form, status=400)


@access(PUBLIC)
@require_GET
def done(request: HttpRequest, pk: int) -> HttpResponse:
    contest = selectors.public_contest_or_404(pk)
    return render(request, "contests/portal/done.html", {"contest": contest})
