"""The verifiers' pages: the queue (with the verified list), a recommendation, and its
actions (ADR 0017)."""

from __future__ import annotations

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_POST

from core import audit
from core.access import access, get_actor, get_visible_or_404, roles
from core.errors import DomainError
from core.files import attachments_for
from core.forms import add_domain_error
from core.keyset import numbered_page_redirect
from core.models import Attachment
from recommendations import services
from recommendations.forms import QuestionForm, QueueFilterForm, ReasonForm, VerifyForm
from recommendations.models import Recommendation, RecommendationMessage
from recommendations.selectors import VERIFIER_ROLES, queue_page, visible_recommendations
from recommendations.workflow import RECOMMENDATION

RULE = roles(*VERIFIER_ROLES)
ACTIONS = ("start", "ask", "verify", "reject")
PREFIXES = {"ask": "ak", "verify": "vf", "reject": "rj"}


@access(RULE)
def queue_view(request: HttpRequest) -> HttpResponse:
    """The queue in pages by cursor (`?cursor=`, ADR 0029); a link of the numbered pages it
    had before (`?page=N`) goes to the first page with the same filters."""
    if (moved := numbered_page_redirect(request)) is not None:
        return moved
    actor = get_actor(request)
    form = QueueFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status", "")
    page = queue_page(actor, cursor=request.GET.get("cursor"), status=status, q=data.get("q", ""))
    context = {
        "form": form,
        "page_obj": page,
        "rows": page.object_list,
        "verified_list": status == Recommendation.Status.VERIFIED,
    }
    if request.headers.get("HX-Request"):
        return render(request, "recommendations/queue.html#results", context)
    return render(request, "recommendations/queue.html", context)


def _forms(rec: Recommendation, bound: dict[str, forms.Form] | None = None) -> dict[str, forms.Form]:
    result: dict[str, forms.Form] = {
        "ask": QuestionForm(prefix=PREFIXES["ask"]),
        "verify": VerifyForm(prefix=PREFIXES["verify"], rec=rec),
        "reject": ReasonForm(prefix=PREFIXES["reject"]),
    }
    result.update(bound or {})
    return result


def _detail(
    request: HttpRequest, rec: Recommendation, bound: dict[str, forms.Form] | None = None, *, error: str = ""
) -> HttpResponse:
    actor = get_actor(request)
    messages = list(rec.messages.select_related("author__person"))
    files: dict[int, list[Attachment]] = {}
    for attachment in Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(RecommendationMessage), object_id__in=[m.pk for m in messages]
    ).order_by("pk"):
        files.setdefault(attachment.object_id, []).append(attachment)
    for message in messages:
        message.files = files.get(message.pk, [])  # type: ignore[attr-defined]
    allowed = {t.action for t in RECOMMENDATION.allowed(rec, services.case_roles(actor, rec))}
    return render(
        request,
        "recommendations/detail.html",
        {
            "rec": rec,
            "forms": _forms(rec, bound),
            "allowed": allowed,
            "messages_list": messages,
            "evidence": attachments_for(rec, purpose=services.RECOMMENDATION_FILES),
            "timeline": audit.timeline(rec),
            "error": error,
        },
        status=200,
    )


def _get(request: HttpRequest, pk: int) -> Recommendation:
    qs = visible_recommendations(get_actor(request)).select_related(
        "institution", "unit", "person__unit", "handler__person", "decided_by__person"
    )
    return get_visible_or_404(qs, pk=pk)


@access(RULE)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get(request, pk))


@access(RULE)
@require_POST
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    actor = get_actor(request)
    rec = _get(request, pk)
    if name not in ACTIONS:
        return _detail(request, rec)
    form: forms.Form | None = None
    try:
        if name == "start":
            services.start(actor=actor, rec=rec)
        elif name == "ask":
            form = QuestionForm(request.POST, prefix=PREFIXES["ask"])
            if not form.is_valid():
                return _detail(request, rec, {name: form})
            services.ask(actor=actor, rec=rec, question=form.cleaned_data["question"])
        elif name == "verify":
            verify_form = VerifyForm(request.POST, prefix=PREFIXES["verify"], rec=rec)
            form = verify_form
            if not verify_form.is_valid():
                return _detail(request, rec, {name: verify_form})
            person = verify_form.chosen_person() if "person" in verify_form.fields else None
            if verify_form.errors:
                return _detail(request, rec, {name: verify_form})
            services.verify(
                actor=actor,
                rec=rec,
                reason=verify_form.cleaned_data["reason"],
                person=person,
                unit=verify_form.chosen_unit(),
            )
        else:
            form = ReasonForm(request.POST, prefix=PREFIXES["reject"])
            if not form.is_valid():
                return _detail(request, rec, {name: form})
            services.reject(actor=actor, rec=rec, reason=form.cleaned_data["reason"])
    except DomainError as error:
        rec = _get(request, pk)
        if form is None:
            return _detail(request, rec, error=str(error.message))
        add_domain_error(form, error, {"reason": "question"} if name == "ask" else None)
        return _detail(request, rec, {name: form}, error="" if error.field else str(error.message))
    return HttpResponseRedirect(rec.get_absolute_url())
