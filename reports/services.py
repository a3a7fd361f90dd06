"""Every change to a report (ADR 0015). Each is one transaction: lock the row, check the
workflow, change, audit; notifications and e-mails go out on commit.

Public services (the reporter, without an account) act as the anonymous actor: nothing
about the client (address, agent, session) reaches them. An identified reporter's name and
contact are kept until `retain_until` (the closing day + `policy.reporter_retention_days`;
set at submission too, so a report nobody closes is not kept for ever) and then erased by
`erase_expired_contacts` (a daily task; ADR 0026).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit, deadlines, files
from core.access import Actor
from core.errors import DomainError
from core.models import Deadline
from core.notifications import notify, users_with_roles
from core.tasks import enqueue_in_transaction
from institutions.models import Institution, Person, Policy, Unit
from portal import public
from portal.public import (
    MAX_SHORT,
    PUBLIC_ACTOR,
    SubmissionForms,
    check_file_count,
    clean_text,
    email_on_commit,
    public_number,
    route_once,
    route_submission,
)
from reports.models import Report, ReportMessage, ReportNote, ReportTransfer
from reports.selectors import AUDIT_ROLES, DEADLINE_KIND, is_audit
from reports.workflow import AUDIT, CLOCK_RUNNING, REPORT, REPORTER

FORMS = SubmissionForms("reports")
MESSAGE_FORMS = SubmissionForms("reports.message")
NUMBER_SERIES = "passive_report"
NUMBER_PREFIX = "소극행정신고"
MESSAGE_FILES = "report_message"
REPORT_FILES = "report"
ERASE_ACTION = "report.reporter_erased"


# --- Helpers ---------------------------------------------------------------------------


def case_roles(actor: Actor, report: Report) -> set[str]:
    return {AUDIT} if is_audit(actor) and actor.institution_id == report.institution_id else set()


def _lock(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def deadline_of(report: Report) -> Deadline | None:
    return deadlines.deadline_for(report, DEADLINE_KIND)


def _open_clock(report: Report, *, fresh: bool = False, policy: Policy | None = None) -> None:
    """Start the report's processing clock (a new report: `fresh`, nothing to close first;
    its `due_on` already holds the due date, so the deadline's copy is not written again).
    `policy`: the institution's, when the caller has it."""
    from institutions.selectors import policy_of

    if not fresh:
        deadlines.stop_clock(report, DEADLINE_KIND)
    deadlines.deadline_open(
        target=report,
        kind=DEADLINE_KIND,
        working_days=(policy or policy_of(report.institution)).report_days,
        label=str(report),
        url=report.get_absolute_url(),
        fresh=fresh,
    )


def _keep_contact(report: Report, day: datetime.date, policy: Policy | None = None) -> None:
    """Keep an identified reporter's name and contact until `day` + the institution's period
    (nothing to keep for an anonymous report, or once erased)."""
    from institutions.selectors import policy_of

    if report.anonymous or report.reporter_erased_at is not None:
        return
    days = (policy or policy_of(report.institution)).reporter_retention_days
    report.retain_until = day + datetime.timedelta(days=days)


def audit_holders(institution_id: int) -> list[Any]:
    return list(users_with_roles(institution_id, *AUDIT_ROLES))


def _unrouted_title(report: Report) -> str:
    return _("감사부서 담당자가 지정되지 않아 소극행정 신고를 처리할 수 없습니다: %(n)s") % {"n": report}


UNROUTED_BODY = gettext_lazy("적극행정 책임관 또는 감사부서 직원 역할을 지정해 주십시오.")


def _route(report: Report, title: str) -> None:
    """Tell the audit unit (on commit); with no holder, flag it to the administrators."""
    route_submission(
        report,
        holders=audit_holders(report.institution_id),
        title=title,
        unrouted_title=_unrouted_title(report),
        unrouted_body=str(UNROUTED_BODY),
    )


def route_new_report(report_id: int) -> int:
    """Tell the audit unit of a new report; with no holder, flag it `unrouted` and tell the
    administrators (portal.public.route_once). The task `reports.tasks.route_new_report`
    runs it: `submit_report` enqueues that task in the report's own transaction (an outbox:
    the task row commits with the report, so no report goes untold even if the process
    dies right after), and the citizen's request neither looks up recipients nor writes
    notifications (issue 8).

    A retried task tells nobody twice: the report's row is locked and whoever already has
    the notification is left out. Returns the number of notifications made."""
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",)).select_related("institution").filter(pk=report_id).first()
        )
        if report is None:
            return 0
        made = route_once(
            report,
            holders=audit_holders(report.institution_id),
            title=_("소극행정 신고가 접수되었습니다: %(n)s") % {"n": report},
            unrouted_title=_unrouted_title(report),
            unrouted_body=str(UNROUTED_BODY),
        )
    return len(made)


def _tell_reporter(report: Report) -> None:
    """Identified reporters get an e-mail when something changes (no content, no receipt)."""
    if report.anonymous or not report.reporter_email:
        return
    subject = _("[적극행정] 소극행정 신고 %(n)s의 처리 상황이 바뀌었습니다") % {"n": report}
    body = _(
        "신고하신 건(%(n)s)의 처리 상황이 바뀌었습니다. 국민코너의 '신고 확인' 화면에서 접수증 번호로 확인해 주십시오."
    ) % {"n": report}
    email_on_commit(report.reporter_email, subject=subject, body=body)


# --- Public: submission ----------------------------------------------------------------


def new_form_token() -> str:
    return FORMS.new_token()


def pending_receipt(form_token: str) -> str | None:
    return FORMS.pending(form_token)


def forget_receipt(form_token: str) -> None:
    FORMS.forget(form_token)


def submit_report(
    *,
    form_token: str,
    institution: Institution,
    kind: str,
    what: str,
    unit: Unit | None = None,
    occurred: str = "",
    place: str = "",
    harm: str = "",
    anonymous: bool = True,
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    uploads: Sequence[UploadedFile[bytes]] = (),
    policy: Policy | None = None,
) -> tuple[Report, str | None]:
    """Receive a public report. Returns the report and its receipt code (None when this form
    was already submitted and its receipt confirmed: one form makes one report).
    `policy`: the institution's, when the caller loaded it with the institution (the report
    form does: one statement less for each report); else it is read here."""

    def clean() -> dict[str, Any]:
        if not institution.is_active:
            raise DomainError(_("선택할 수 없는 기관입니다."), field="institution")
        if unit is not None and unit.institution_id != institution.pk:
            raise DomainError(_("선택한 기관의 부서가 아닙니다."), field="unit")
        if kind not in Report.Kind.values:
            raise DomainError(_("신고 유형을 선택해 주십시오."), field="kind")
        values: dict[str, Any] = {
            "what": clean_text(what, "what"),
            "occurred": clean_text(occurred, "occurred", required=False, limit=100),
            "place": clean_text(place, "place", required=False, limit=MAX_SHORT),
            "harm": clean_text(harm, "harm", required=False),
            "reporter_name": "",
            "reporter_email": "",
            "reporter_phone": "",
        }
        if not anonymous:
            values["reporter_name"] = clean_text(reporter_name, "reporter_name", limit=100)
            values["reporter_email"] = (reporter_email or "").strip()[:254]
            values["reporter_phone"] = (reporter_phone or "").strip()[:30]
            if not values["reporter_email"] and not values["reporter_phone"]:
                raise DomainError(_("연락받을 전자우편이나 전화번호를 입력해 주십시오."), field="reporter_email")
        check_file_count(uploads)
        return values

    def create(values: dict[str, Any]) -> Report:
        from institutions.selectors import policy_of
        from reports import tasks

        rules = policy or policy_of(institution)
        today = timezone.localdate()
        report = Report(
            institution=institution,
            unit=unit,
            number=public_number(institution.pk, series=NUMBER_SERIES, prefix=NUMBER_PREFIX),
            kind=kind,
            anonymous=anonymous,
            # the deadline's due date, mirrored here by core.deadlines: written with the row
            due_on=deadlines.add_working_days(today, rules.report_days),
            **values,
        )
        _keep_contact(report, today, rules)
        report.save(force_insert=True)
        audit.record(
            actor=PUBLIC_ACTOR,
            action="report.submitted",
            target=report,
            changes={"kind": kind, "anonymous": anonymous, "files": len(uploads)},
        )
        for upload in uploads:
            files.attach(actor=PUBLIC_ACTOR, target=report, upload=upload, purpose=REPORT_FILES)
        _open_clock(report, fresh=True, policy=rules)
        # The audit unit hears of it from a task written in this transaction (route_new_report).
        enqueue_in_transaction(tasks.route_new_report, report.pk)
        return report

    return FORMS.submit(form_token, Report, clean=clean, create=create)


def find_by_digest(digest: str) -> Report | None:
    """The report of a receipt digest (portal/follow.py does the rate-limited lookup)."""
    return Report.objects.select_related("institution").filter(receipt_hash=digest).first()


# --- Public: the reporter's actions ----------------------------------------------------


def new_message_token() -> str:
    return MESSAGE_FORMS.new_token()


def reporter_message(
    *, report: Report, body: str, uploads: Sequence[UploadedFile[bytes]] = (), form_token: str = ""
) -> ReportMessage:
    """The reporter's message to the office. With the form's one-time token, the same form
    sent twice (a retry after a lost answer, a double click) makes one message: the second
    call returns the first one's."""
    key = MESSAGE_FORMS.key(form_token) if form_token else None
    if key is not None and (sent := ReportMessage.objects.filter(submission_key=key).first()) is not None:
        return sent
    body = clean_text(body, "body")
    check_file_count(uploads)
    try:
        return _reporter_message(report, body, uploads, key)
    except IntegrityError:
        sent = ReportMessage.objects.filter(submission_key=key).first() if key is not None else None
        if sent is None:
            raise
        return sent


def _reporter_message(
    report: Report, body: str, uploads: Sequence[UploadedFile[bytes]], key: str | None
) -> ReportMessage:
    with transaction.atomic():
        current = _lock(report)
        message = ReportMessage.objects.create(
            report=current, direction=ReportMessage.Direction.FROM_REPORTER, body=body, submission_key=key
        )
        for upload in uploads:
            files.attach(actor=PUBLIC_ACTOR, target=message, upload=upload, purpose=MESSAGE_FILES)
        audit.record(
            actor=PUBLIC_ACTOR,
            action="report.reporter_message",
            target=current,
            changes={"message": message.pk, "files": len(uploads)},
        )
        holders = [current.handler] if current.handler and current.handler.is_active else []
        if not holders:
            _route(current, _("신고인이 메시지를 보냈습니다: %(n)s") % {"n": current})
        else:
            url = current.get_absolute_url()
            institution = current.institution
            transaction.on_commit(
                lambda: notify(
                    recipients=holders,
                    title=_("신고인이 메시지를 보냈습니다: %(n)s") % {"n": current},
                    url=url,
                    institution=institution,
                )
            )
    return message


def request_review(*, report: Report, reason: str) -> Report:
    reason = clean_text(reason, "reason")
    with transaction.atomic():
        current = _lock(report)
        REPORT.apply(current, "request_review", actor=PUBLIC_ACTOR, roles={REPORTER}, reason=reason)
        current.review_reason = reason
        current.review_requested_at = timezone.now()
        _keep_contact(current, timezone.localdate())  # handled again: the period restarts at the next closing
        current.save(update_fields=["review_reason", "review_requested_at", "retain_until", "updated_at"])
        _open_clock(current)
        _route(current, _("신고인이 재검토를 요청했습니다: %(n)s") % {"n": current})
    return current


# --- Staff: the audit unit -------------------------------------------------------------


def _staff_transition(actor: Actor, report: Report, action: str, **kwargs: Any) -> Report:
    current = _lock(report)
    REPORT.apply(current, action, actor=actor, roles=case_roles(actor, current), **kwargs)
    return current


def investigate(*, actor: Actor, report: Report) -> Report:
    with transaction.atomic():
        current = _lock(report)
        REPORT.check(current, "investigate", case_roles(actor, current))
        current.handler = actor.user
        current.unrouted = False
        REPORT.apply(
            current,
            "investigate",
            actor=actor,
            roles=case_roles(actor, current),
            update_fields=["handler", "unrouted"],
        )
        _tell_reporter(current)
    return current


def not_passive(*, actor: Actor, report: Report, reason: str) -> Report:
    """Triage: not passive administration. The reason is shown to the reporter."""
    reason = clean_text(reason, "reason")
    with transaction.atomic():
        current = _lock(report)
        REPORT.check(current, "triage_not_passive", case_roles(actor, current), reason)
        current.result_text = reason
        current.outcome = ""
        current.closed_by = actor.user
        current.closed_at = timezone.now()
        _keep_contact(current, timezone.localdate(current.closed_at))
        REPORT.apply(
            current,
            "triage_not_passive",
            actor=actor,
            roles=case_roles(actor, current),
            reason=reason,
            update_fields=["result_text", "outcome", "closed_by", "closed_at", "retain_until"],
        )
        deadlines.stop_clock(current, DEADLINE_KIND)
        _tell_reporter(current)
    return current


def transfer(*, actor: Actor, report: Report, to_institution: Institution, reason: str) -> ReportTransfer:
    """Send the report on to another institution with its history; the first institution
    keeps only the transfer record."""
    from core.models import Attachment

    reason = clean_text(reason, "reason")
    with transaction.atomic():
        current = _lock(report)
        REPORT.check(current, "transfer", case_roles(actor, current), reason)
        if to_institution.pk == current.institution_id or not to_institution.is_active:
            raise DomainError(_("이송할 다른 기관을 선택해 주십시오."), field="to_institution")
        record = ReportTransfer.objects.create(
            report=current,
            number=current.number,
            from_institution_id=current.institution_id,
            to_institution=to_institution,
            reason=reason,
            by=actor.user,
        )
        deadlines.stop_clock(current, DEADLINE_KIND)
        REPORT.apply(
            current,
            "transfer",
            actor=actor,
            roles=case_roles(actor, current),
            reason=reason,
            changes={"institution": [current.institution_id, to_institution.pk]},
        )
        old = current.institution_id
        current.institution = to_institution
        current.unit = None
        current.handler = None
        current.save(update_fields=["institution", "unit", "handler", "updated_at"])
        current.officials.clear()
        message_ids = list(current.messages.values_list("pk", flat=True))
        from django.contrib.contenttypes.models import ContentType

        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(Report), object_id=current.pk, institution_id=old
        ).update(institution_id=to_institution.pk)
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(ReportMessage), object_id__in=message_ids
        ).update(institution_id=to_institution.pk)
        audit.record(
            actor=actor,
            action="report.transferred_in",
            target=current,
            institution_id=to_institution.pk,
            changes={"from": old},
            reason=reason,
        )
        deadline = deadline_of(current)
        if deadline is not None:
            deadline.delete()
        _open_clock(current)
        _route(current, _("다른 기관에서 소극행정 신고가 이송되었습니다: %(n)s") % {"n": current})
        _tell_reporter(current)
    return record


def close(
    *,
    actor: Actor,
    report: Report,
    outcome: str,
    result_text: str,
    disciplinary_demand: str = "",
    officials: Iterable[Person] = (),
) -> Report:
    result_text = clean_text(result_text, "result_text")
    if outcome not in Report.Outcome.values:
        raise DomainError(_("처리 결과를 선택해 주십시오."), field="outcome")
    people = list(officials)
    with transaction.atomic():
        current = _lock(report)
        roles_held = case_roles(actor, current)
        REPORT.check(current, "close", roles_held)
        if any(p.institution_id != current.institution_id for p in people):
            raise DomainError(_("이 기관의 공무원만 지정할 수 있습니다."), field="officials")
        substantiated = outcome != Report.Outcome.NOT_SUBSTANTIATED
        if substantiated and not people:
            raise DomainError(_("신고 내용이 사실로 확인되면 관련 공무원을 지정해야 합니다."), field="officials")
        demand = clean_text(disciplinary_demand, "disciplinary_demand", required=outcome == Report.Outcome.DISCIPLINARY)
        if not substantiated:
            demand = ""
        current.outcome = outcome
        current.result_text = result_text
        current.disciplinary_demand = demand
        current.closed_by = actor.user
        current.closed_at = timezone.now()
        _keep_contact(current, timezone.localdate(current.closed_at))
        REPORT.apply(
            current,
            "close",
            actor=actor,
            roles=roles_held,
            changes={"outcome": outcome, "officials": [p.pk for p in people]},
            update_fields=["outcome", "result_text", "disciplinary_demand", "closed_by", "closed_at", "retain_until"],
        )
        current.officials.set(people if substantiated else [])
        deadlines.stop_clock(current, DEADLINE_KIND)
        _tell_reporter(current)
    return current


def reopen(*, actor: Actor, report: Report, handler: Any) -> Report:
    """Reopen after a review request, with a handler other than the one who closed it."""
    with transaction.atomic():
        current = _lock(report)
        roles_held = case_roles(actor, current)
        REPORT.check(current, "reopen", roles_held)
        if handler is None or handler.pk not in {u.pk for u in audit_holders(current.institution_id)}:
            raise DomainError(_("감사부서 담당자 중에서 선택해 주십시오."), field="handler")
        if current.closed_by_id is not None and handler.pk == current.closed_by_id:
            raise DomainError(_("재검토는 처음 처리한 담당자가 아닌 다른 담당자가 맡아야 합니다."), field="handler")
        current.handler = handler
        current.outcome = ""
        REPORT.apply(
            current,
            "reopen",
            actor=actor,
            roles=roles_held,
            changes={"handler": handler.pk},
            update_fields=["handler", "outcome"],
        )
        _tell_reporter(current)
        url = current.get_absolute_url()
        institution = current.institution
        transaction.on_commit(
            lambda: notify(
                recipients=[handler],
                title=_("재검토할 소극행정 신고가 배정되었습니다: %(n)s") % {"n": current},
                url=url,
                institution=institution,
            )
        )
    return current


def extend(*, actor: Actor, report: Report, working_days: int, reason: str) -> Deadline:
    """Extend the processing deadline; the reason is shown to the reporter."""
    with transaction.atomic():
        current = _lock(report)
        if not case_roles(actor, current):
            raise DomainError(_("처리기한 연장 권한이 없습니다."))
        if current.status not in CLOCK_RUNNING:
            raise DomainError(_("처리 중인 신고만 기한을 연장할 수 있습니다."))
        deadline = deadline_of(current)
        if deadline is None:
            raise DomainError(_("처리기한이 없습니다."))
        extended = deadlines.deadline_extend(actor=actor, deadline=deadline, working_days=working_days, reason=reason)
        _tell_reporter(current)
    return extended


def add_note(*, actor: Actor, report: Report, body: str) -> ReportNote:
    body = clean_text(body, "body")
    with transaction.atomic():
        current = _lock(report)
        if not case_roles(actor, current):
            raise DomainError(_("내부 메모를 쓸 권한이 없습니다."))
        note = ReportNote.objects.create(report=current, body=body, author=actor.user)
        audit.record(actor=actor, action="report.note_added", target=current, changes={"note": note.pk})
    return note


def send_message(
    *, actor: Actor, report: Report, body: str, uploads: Sequence[UploadedFile[bytes]] = ()
) -> ReportMessage:
    body = clean_text(body, "body")
    with transaction.atomic():
        current = _lock(report)
        if not case_roles(actor, current):
            raise DomainError(_("신고인에게 메시지를 보낼 권한이 없습니다."))
        message = ReportMessage.objects.create(
            report=current, direction=ReportMessage.Direction.TO_REPORTER, body=body, author=actor.user
        )
        for upload in uploads:
            files.attach(actor=actor, target=message, upload=upload, purpose=MESSAGE_FILES)
        audit.record(actor=actor, action="report.message_sent", target=current, changes={"message": message.pk})
        _tell_reporter(current)
    return message


def extension_notice(report: Report) -> tuple[datetime.date | None, str]:
    """The due date and the last extension reason, for the reporter's page."""
    deadline = deadline_of(report)
    if deadline is None:
        return None, ""
    return deadline.due_on, deadline.extension_reason


# --- Retention --------------------------------------------------------------------------


def erase_expired_contacts(today: datetime.date | None = None) -> int:
    """Erase the name and contact of identified reporters whose retention period is over
    (`retain_until` before `today`; set when the report is closed). The report, its messages,
    its outcome and its timeline stay (portal/public.py)."""
    return public.erase_expired_contacts(Report, person="reporter", action=ERASE_ACTION, today=today)
