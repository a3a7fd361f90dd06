"""Every change to a public application for active handling (ADR 0018). Each is one
transaction: lock the row, check the workflow, change, audit; notifications and e-mails
go out on commit.

The public service (the applicant, without an account) acts as PUBLIC_ACTOR: nothing about
the client (address, agent, session) reaches it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from applications.selectors import DEADLINE_KIND, HANDLER_ROLES, is_handler, linkable_consultations
from applications.workflow import APPLICATION, COMMITTEE, HANDLER, OPEN
from core import audit, deadlines, files
from core.access import Actor
from core.errors import DomainError
from core.models import Deadline
from core.notifications import notify, users_with_roles
from core.roles import Role
from institutions.models import Institution, Unit
from portal.public import (
    MAX_SHORT,
    PUBLIC_ACTOR,
    SubmissionForms,
    check_file_count,
    clean_text,
    email_on_commit,
    public_number,
    route_submission,
)

if TYPE_CHECKING:
    from committee.models import AgendaItem
    from consultations.models import Consultation

FORMS = SubmissionForms("applications")
NUMBER_SERIES = "public_application"
NUMBER_PREFIX = "국민신청"
APPLICATION_FILES = "application"
COMMITTEE_ROLES = frozenset({COMMITTEE})
ON_AGENDA_ACTION = "application.on_agenda"


# --- Helpers ---------------------------------------------------------------------------


def case_roles(actor: Actor, application: Application) -> set[str]:
    return {HANDLER} if is_handler(actor) and actor.institution_id == application.institution_id else set()


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("institution").get(pk=application.pk)


def deadline_of(application: Application) -> Deadline | None:
    return deadlines.deadline_for(application, DEADLINE_KIND)


def _open_clock(application: Application) -> None:
    from institutions.selectors import policy_of

    deadlines.deadline_open(
        target=application,
        kind=DEADLINE_KIND,
        working_days=policy_of(application.institution).application_days,
        label=str(application),
        url=application.get_absolute_url(),
    )


def handlers_of(institution_id: int) -> list[Any]:
    return list(users_with_roles(institution_id, *HANDLER_ROLES))


def _route(application: Application, title: str) -> None:
    """Tell the handlers (on commit); with none, flag it and tell the administrators."""
    route_submission(
        application,
        holders=handlers_of(application.institution_id),
        title=title,
        unrouted_title=_("담당자가 지정되지 않아 적극행정 국민신청을 처리할 수 없습니다: %(n)s") % {"n": application},
        unrouted_body=_("적극행정 책임관 또는 감사부서 직원 역할을 지정해 주십시오."),
    )


def _tell_applicant(application: Application) -> None:
    """An applicant who left an e-mail address hears that something changed (no content)."""
    subject = _("[적극행정] 국민신청 %(n)s의 처리 상황이 바뀌었습니다") % {"n": application}
    body = _(
        "신청하신 건(%(n)s)의 처리 상황이 바뀌었습니다. "
        "국민코너의 '처리 상황 확인' 화면에서 접수증 번호로 확인해 주십시오."
    ) % {"n": application}
    email_on_commit(application.applicant_email, subject=subject, body=body)


def _clean_email(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError as exc:
        raise DomainError(_("올바른 전자우편 주소를 입력해 주십시오."), field="applicant_email") from exc
    return value[:254]


# --- Public: submission ----------------------------------------------------------------


def new_form_token() -> str:
    return FORMS.new_token()


def pending_receipt(form_token: str) -> str | None:
    return FORMS.pending(form_token)


def forget_receipt(form_token: str) -> None:
    FORMS.forget(form_token)


def submit_application(
    *,
    form_token: str,
    institution: Institution,
    refused_request: str,
    refusal_reason: str,
    request: str,
    applicant_name: str,
    unit_name: str = "",
    refused_on: str = "",
    law: str = "",
    applicant_email: str = "",
    applicant_phone: str = "",
    uploads: Sequence[UploadedFile[bytes]] = (),
) -> tuple[Application, str | None]:
    """Receive a public application. Returns it and its receipt code (None when this form
    was already submitted and its receipt confirmed: one form makes one application)."""

    def clean() -> dict[str, Any]:
        if not institution.is_active:
            raise DomainError(_("선택할 수 없는 기관입니다."), field="institution")
        name = clean_text(unit_name, "unit_name", required=False, limit=MAX_SHORT)
        values: dict[str, Any] = {
            "refused_request": clean_text(refused_request, "refused_request"),
            "refused_on": clean_text(refused_on, "refused_on", required=False, limit=100),
            "refusal_reason": clean_text(refusal_reason, "refusal_reason"),
            "law": clean_text(law, "law", required=False, limit=300),
            "request": clean_text(request, "request"),
            "applicant_name": clean_text(applicant_name, "applicant_name", limit=100),
            "applicant_email": _clean_email(applicant_email),
            "applicant_phone": clean_text(applicant_phone, "applicant_phone", required=False, limit=30),
        }
        if not values["applicant_email"] and not values["applicant_phone"]:
            raise DomainError(_("답변을 받을 전자우편이나 전화번호를 입력해 주십시오."), field="applicant_email")
        check_file_count(uploads)
        values["unit_name"] = name
        values["unit"] = (
            Unit.objects.filter(institution=institution, name=name, is_active=True).order_by("pk").first()
            if name
            else None
        )
        return values

    def create(values: dict[str, Any]) -> Application:
        application = Application.objects.create(
            institution=institution,
            number=public_number(institution.pk, series=NUMBER_SERIES, prefix=NUMBER_PREFIX),
            **values,
        )
        audit.record(
            actor=PUBLIC_ACTOR,
            action="application.submitted",
            target=application,
            changes={"unit": application.unit_id, "files": len(uploads)},
        )
        for upload in uploads:
            files.attach(actor=PUBLIC_ACTOR, target=application, upload=upload, purpose=APPLICATION_FILES)
        _open_clock(application)
        _route(application, _("적극행정 국민신청이 접수되었습니다: %(n)s") % {"n": application})
        return application

    return FORMS.submit(form_token, Application, clean=clean, create=create)


def find_by_digest(digest: str) -> Application | None:
    """The application of a receipt digest (portal/follow.py does the rate-limited lookup)."""
    return Application.objects.select_related("institution", "consultation").filter(receipt_hash=digest).first()


# --- Staff: the handlers ---------------------------------------------------------------


def start(*, actor: Actor, application: Application) -> Application:
    """Start the review; the one who starts it becomes the handler."""
    with transaction.atomic():
        current = _lock(application)
        roles_held = case_roles(actor, current)
        APPLICATION.check(current, "start", roles_held)
        current.handler = actor.user
        current.unrouted = False  # someone took it up: no longer waiting for a handler
        APPLICATION.apply(current, "start", actor=actor, roles=roles_held, update_fields=["handler", "unrouted"])
        _tell_applicant(current)
    return current


def refer_consultation(*, actor: Actor, application: Application, consultation: Consultation) -> Application:
    """Take the application to pre-consultation: link a consultation of the same institution
    that was submitted (never a draft)."""
    with transaction.atomic():
        current = _lock(application)
        roles_held = case_roles(actor, current)
        APPLICATION.check(current, "refer_consultation", roles_held)
        if not linkable_consultations(current.institution_id).filter(pk=consultation.pk).exists():
            raise DomainError(_("이 기관에 접수된 사전컨설팅 중에서 골라 주십시오."), field="consultation")
        current.consultation = consultation
        APPLICATION.apply(
            current,
            "refer_consultation",
            actor=actor,
            roles=roles_held,
            changes={"consultation": consultation.pk},
            update_fields=["consultation"],
        )
        _tell_applicant(current)
    return current


def refer_committee(*, actor: Actor, application: Application) -> Application:
    """Ask the committee to deliberate: the secretary puts it on an agenda (committee link
    "application")."""
    with transaction.atomic():
        current = _lock(application)
        roles_held = case_roles(actor, current)
        APPLICATION.apply(current, "refer_committee", actor=actor, roles=roles_held)
        secretaries = list(users_with_roles(current.institution_id, Role.COMMITTEE_SECRETARY))
        institution = current.institution
        title = _("위원회 심의를 요청한 적극행정 국민신청이 있습니다: %(n)s") % {"n": current}
        if secretaries:
            transaction.on_commit(lambda: notify(recipients=secretaries, title=title, institution=institution))
        _tell_applicant(current)
    return current


def _pending_item(application: Application) -> AgendaItem | None:
    """The undecided agenda item the application is on, if any."""
    from django.contrib.contenttypes.models import ContentType

    from committee.models import AgendaItem

    return AgendaItem.objects.filter(
        case_type=ContentType.objects.get_for_model(Application),
        case_id=application.pk,
        status__in=[AgendaItem.Status.PENDING, AgendaItem.Status.OPEN],
    ).first()


def agenda_item(application: Application) -> AgendaItem | None:
    """The latest agenda item the application is on (with its meeting), if any."""
    from django.contrib.contenttypes.models import ContentType

    from committee.models import AgendaItem

    return (
        AgendaItem.objects.filter(case_type=ContentType.objects.get_for_model(Application), case_id=application.pk)
        .select_related("meeting")
        .order_by("-created_at", "-pk")
        .first()
    )


def put_on_agenda(*, actor: Actor, application: Application, item: AgendaItem) -> None:
    """The committee secretary put the application on an agenda (the committee link's
    `on_agenda`, inside the meeting service's transaction): audited on the application and
    its handler (or, without one, the handlers) told on commit."""
    with transaction.atomic():
        current = _lock(application)
        audit.record(
            actor=actor,
            action=ON_AGENDA_ACTION,
            target=current,
            changes={"meeting": item.meeting.reference, "item": item.pk},
        )
        holders = [current.handler] if current.handler is not None and current.handler.is_active else []
        holders = holders or handlers_of(current.institution_id)
        url = current.get_absolute_url()
        institution = current.institution
        title = _("적극행정 국민신청이 위원회 안건으로 올랐습니다: %(n)s (%(meeting)s)") % {
            "n": current,
            "meeting": item.meeting.reference,
        }
        transaction.on_commit(lambda: notify(recipients=holders, title=title, url=url, institution=institution))


def resume(*, actor: Actor, application: Application) -> Application:
    """Back to review from the consultation or from the committee (before it is put on an
    agenda: an application on an agenda waits for the committee's decision)."""
    with transaction.atomic():
        current = _lock(application)
        roles_held = case_roles(actor, current)
        APPLICATION.check(current, "resume", roles_held)
        if current.status == Application.Status.AT_COMMITTEE and _pending_item(current) is not None:
            raise DomainError(_("위원회 안건으로 올라 있어 심의 결과를 기다려야 합니다."))
        APPLICATION.apply(current, "resume", actor=actor, roles=roles_held)
        _tell_applicant(current)
    return current


def committee_advised(*, actor: Actor, application: Application, opinion: str, decided_on: datetime.date) -> None:
    """The committee's adopted item is written on the application, which returns to review
    (called by the committee link inside the decision's transaction; raises on failure)."""
    opinion = clean_text(opinion, "resolution", limit=20_000)
    with transaction.atomic():
        current = _lock(application)
        current.committee_opinion = opinion
        current.committee_decided_on = decided_on
        APPLICATION.apply(
            current,
            "committee_advised",
            actor=actor,
            roles=COMMITTEE_ROLES,
            changes={"decided_on": decided_on.isoformat()},
            update_fields=["committee_opinion", "committee_decided_on"],
        )
        holders = [current.handler] if current.handler is not None and current.handler.is_active else []
        holders = holders or handlers_of(current.institution_id)
        url = current.get_absolute_url()
        institution = current.institution
        title = _("적극행정위원회 심의 결과가 기록되었습니다: %(n)s") % {"n": current}
        transaction.on_commit(lambda: notify(recipients=holders, title=title, url=url, institution=institution))
        _tell_applicant(current)


def answer(*, actor: Actor, application: Application, decision: str, answer: str) -> Application:
    """Answer the applicant (closes the application and its deadline)."""
    text = clean_text(answer, "answer")
    if decision not in Application.Decision.values:
        raise DomainError(_("처리 결과를 선택해 주십시오."), field="decision")
    with transaction.atomic():
        current = _lock(application)
        roles_held = case_roles(actor, current)
        APPLICATION.check(current, "answer", roles_held)
        current.decision = decision
        current.answer = text
        current.answered_by = actor.user
        current.answered_at = timezone.now()
        APPLICATION.apply(
            current,
            "answer",
            actor=actor,
            roles=roles_held,
            changes={"decision": decision},
            update_fields=["decision", "answer", "answered_by", "answered_at"],
        )
        deadlines.stop_clock(current, DEADLINE_KIND)
        _tell_applicant(current)
    return current


def extend(*, actor: Actor, application: Application, working_days: int, reason: str) -> Deadline:
    """Extend the answer deadline; the reason is shown to the applicant."""
    reason = clean_text(reason, "reason")
    with transaction.atomic():
        current = _lock(application)
        if not case_roles(actor, current):
            raise DomainError(_("처리기한 연장 권한이 없습니다."))
        if current.status not in OPEN:
            raise DomainError(_("처리 중인 신청만 기한을 연장할 수 있습니다."))
        deadline = deadline_of(current)
        if deadline is None:
            raise DomainError(_("처리기한이 없습니다."))
        extended = deadlines.deadline_extend(actor=actor, deadline=deadline, working_days=working_days, reason=reason)
        _tell_applicant(current)
    return extended


def extension_notice(application: Application) -> tuple[datetime.date | None, str]:
    """The due date and the last extension reason, for the applicant's page."""
    deadline = deadline_of(application)
    if deadline is None:
        return None, ""
    return deadline.due_on, deadline.extension_reason
