"""The public pages of the recommendation service (no account; ADR 0017).

Nothing about the client is stored: the views pass only what the person typed to the
services. The status page (found by receipt through portal:follow) carries a short-lived
signed ticket in its forms instead of a session.
"""

from __future__ import annotations

from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.access import PUBLIC, access
from core.errors import DomainError
from core.forms import add_domain_error
from portal.public import Tickets, public_institution
from portal.submission_views import SubmissionPages, message_file, with_files
from recommendations import services
from recommendations.forms import NOT_ENOUGH, QUALIFIES, AnswerForm, RecommendationForm
from recommendations.models import Recommendation, RecommendationMessage
from recommendations.workflow import RECOMMENDATION

TICKETS = Tickets("recommendations.follow-ticket", Recommendation)
S = Recommendation.Status
PAGES = SubmissionPages(
    forms=services.FORMS,
    urls="portal_recommendations",
    templates="recommendations/portal",
    record_name="rec",
    receipt_title=gettext_lazy("추천이 접수되었습니다"),
    receipt_number=gettext_lazy("추천번호 %(n)s"),
    receipt_hint=gettext_lazy(
        "확인 결과를 보고 담당자의 질문에 답하려면 이 번호가 필요합니다. 번호는 암호처럼 다뤄 주십시오."
    ),
    pick_link=gettext_lazy("%(name)s 공무원 추천하기"),
)


def _guidance() -> dict[str, Any]:
    return {"qualifies": QUALIFIES, "not_enough": NOT_ENOUGH}


@access(PUBLIC)
def start(request: HttpRequest) -> HttpResponse:
    """What qualifies (and that courtesy alone does not), and the institution picker
    (server-side results, htmx as an enhancement, a plain GET form without JavaScript).
    `?institution=<pk>` (from the portal's institution page) goes straight to the form."""
    chosen = public_institution(request.GET.get("institution", ""))
    if chosen is not None:
        return HttpResponseRedirect(f"{reverse('portal_recommendations:new')}?institution={chosen.pk}")
    return PAGES.start_page(request, "recommendations/portal/start.html", _guidance())


@never_cache
@access(PUBLIC)
def new(request: HttpRequest) -> HttpResponse:
    """The recommendation form. A POST of the same form twice makes one recommendation."""
    return PAGES.form_page(
        request,
        RecommendationForm,
        "recommendations/portal/form.html",
        _submit,
        initial={"nominee_kind": Recommendation.NomineeKind.PERSON},
        context=_guidance(),
    )


def _submit(form: RecommendationForm) -> tuple[Recommendation, str | None]:
    data = form.cleaned_data
    return services.submit_recommendation(
        form_token=data["form_token"],
        institution=data["institution"],
        unit_name=data["unit_name"],
        nominee_kind=data["nominee_kind"],
        nominee_name=data["nominee_name"],
        what=data["what"],
        period=data["period"],
        effect=data["effect"],
        recommender_name=data["recommender_name"],
        recommender_email=data["recommender_email"],
        recommender_phone=data["recommender_phone"],
        uploads=data["attachments"],
    )


@never_cache
@access(PUBLIC)
@require_POST
def confirm_receipt(request: HttpRequest) -> HttpResponse:
    return PAGES.confirm_receipt(request)


@access(PUBLIC)
def done(request: HttpRequest) -> HttpResponse:
    return render(request, "recommendations/portal/done.html")


# --- Following a recommendation ----------------------------------------------------------


def _status_page(
    request: HttpRequest,
    rec: Recommendation,
    *,
    answer_form: AnswerForm | None = None,
    sent: str = "",
    refused: str = "",
) -> HttpResponse:
    ticket = TICKETS.dumps(rec)
    messages = with_files(list(rec.messages.all()), RecommendationMessage)
    awaiting = rec.status == S.AWAITING_REPLY
    response = render(
        request,
        "recommendations/portal/status.html",
        {
            "rec": rec,
            "ticket": ticket,
            "messages_list": messages,
            "answer_form": (answer_form or AnswerForm(initial={"ticket": ticket})) if awaiting else None,
            "sent": sent,
            "refused": refused,
            "status_label": RECOMMENDATION.label_of(rec.status),
        },
    )
    add_never_cache_headers(response)  # the status page carries a follow ticket
    return response


def status_page(request: HttpRequest, rec: Recommendation) -> HttpResponse:
    """The recommender's page, once the receipt was found (portal/follow.py)."""
    return _status_page(request, rec)


@never_cache
@access(PUBLIC)
@require_POST
def follow_answer(request: HttpRequest) -> HttpResponse:
    rec = TICKETS.loads(request.POST.get("ticket", ""))
    form = AnswerForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.answer(rec=rec, body=form.cleaned_data["body"], uploads=form.cleaned_data["attachments"])
        except DomainError as error:
            add_domain_error(form, error, {"reason": "body"})
        else:
            rec.refresh_from_db()
            return _status_page(request, rec, sent=_("답변을 보냈습니다."))
    rec.refresh_from_db()
    if rec.status != S.AWAITING_REPLY:
        return _status_page(request, rec, refused=_("답변을 기다리는 질문이 없어 보내지 않았습니다."))
    return _status_page(request, rec, answer_form=form)


@never_cache
@access(PUBLIC)
@require_POST
def follow_file(request: HttpRequest) -> FileResponse:
    """A file of a message, to the holder of the recommendation's ticket."""
    return message_file(request, TICKETS.loads(request.POST.get("ticket", "")), RecommendationMessage)
