"""The public pages of the application service (no account; ADR 0018).

Nothing about the client is stored: the views pass only what the person typed to the
services. The status page is shown by the one follow page (portal:follow) once the receipt
is found; the applicant only reads there, so it needs no ticket.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from applications import services
from applications.forms import ApplicationForm
from applications.models import Application
from core.access import PUBLIC, access
from portal.submission_views import SubmissionPages

S = Application.Status
PAGES = SubmissionPages(
    forms=services.FORMS,
    urls="portal_applications",
    templates="applications/portal",
    record_name="application",
    receipt_title=_("신청이 접수되었습니다"),
    receipt_number=_("신청번호 %(n)s"),
    receipt_hint=_("처리 상황과 답변을 확인하려면 이 번호가 필요합니다. 번호는 암호처럼 다뤄 주십시오."),
    pick_link=_("%(name)s에 신청하기"),
)

#: What each state means, in plain words, for the applicant.
PLAIN_STATUS = {
    S.RECEIVED: _("접수되어 담당자의 검토를 기다리고 있습니다."),
    S.REVIEWING: _("담당자가 신청 내용을 검토하고 있습니다."),
    S.AT_CONSULTATION: _("사전컨설팅 중: 감사부서의 사전컨설팅을 거쳐 처리 방향을 정하고 있습니다."),
    S.AT_COMMITTEE: _("위원회 심의 중: 적극행정위원회가 처리 방향을 심의하고 있습니다."),
    S.ANSWERED: _("검토를 마치고 답변했습니다. 아래에서 처리 결과와 답변을 확인해 주십시오."),
}


@access(PUBLIC)
def start(request: HttpRequest) -> HttpResponse:
    """Who may apply (with an example) and the institution picker (server-side search,
    htmx as an enhancement, a plain GET form without JavaScript)."""
    return PAGES.start_page(request, "applications/portal/start.html", {})


@never_cache
@access(PUBLIC)
def new(request: HttpRequest) -> HttpResponse:
    """The application form. A POST of the same form twice makes one application."""
    return PAGES.form_page(request, ApplicationForm, "applications/portal/form.html", _submit)


def _submit(form: ApplicationForm) -> tuple[Application, str | None]:
    data = form.cleaned_data
    return services.submit_application(
        form_token=data["form_token"],
        institution=data["institution"],
        unit_name=data["unit_name"],
        refused_request=data["refused_request"],
        refused_on=data["refused_on"],
        refusal_reason=data["refusal_reason"],
        law=data["law"],
        request=data["request"],
        applicant_name=data["applicant_name"],
        applicant_email=data["applicant_email"],
        applicant_phone=data["applicant_phone"],
        uploads=data["attachments"],
    )


@never_cache
@access(PUBLIC)
@require_POST
def confirm_receipt(request: HttpRequest) -> HttpResponse:
    return PAGES.confirm_receipt(request)


@access(PUBLIC)
def done(request: HttpRequest) -> HttpResponse:
    return render(request, "applications/portal/done.html")


def status_page(request: HttpRequest, application: Application) -> HttpResponse:
    """The applicant's page, once the receipt was found (portal/follow.py)."""
    due_on, extension_reason = services.extension_notice(application)
    response = render(
        request,
        "applications/portal/status.html",
        {
            "application": application,
            "plain_status": PLAIN_STATUS.get(S(application.status), ""),
            "status_label": application.get_status_display(),
            "due_on": due_on,
            "extension_reason": extension_reason,
            "answered": application.status == S.ANSWERED,
        },
    )
    add_never_cache_headers(response)
    return response
