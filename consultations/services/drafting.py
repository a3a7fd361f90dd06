"""The department's side before a decision: draft, edit, ask the head, submit, withdraw,
add files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from consultations.models import SELF_CHECK_KEYS, Consultation
from consultations.services import common
from consultations.workflow import (
    AUDIT,
    CONSULTATION,
    EDITABLE,
    FINAL,
    WITH_OPINION,
    case_roles,
    is_department,
)
from core import audit, files
from core.access import Actor
from core.errors import DomainError
from core.models import Attachment
from core.roles import Role
from institutions.models import Person, Unit
from register.models import WorkItem

FIELDS = ["title", "work_item_id", "background", "laws", "issues", "own_review", "self_check"]
ANSWERS = ("yes", "no")
MAX_NOTE = 1000


def clean_self_check(raw: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """The checklist answers, keyed by the fixed questions (unknown keys dropped; an answer is
    "yes", "no" or empty)."""
    raw = raw or {}
    cleaned: dict[str, dict[str, str]] = {}
    for key in SELF_CHECK_KEYS:
        item = raw.get(key) or {}
        answer = str(item.get("answer") or "").strip()
        if answer not in ANSWERS:
            if answer:
                raise DomainError(_("점검표의 답은 '예' 또는 '아니요'로 골라 주십시오."), field=f"check_{key}")
            answer = ""
        cleaned[key] = {"answer": answer, "note": str(item.get("note") or "").strip()[:MAX_NOTE]}
    return cleaned


def _department_unit_ok(actor: Actor, unit: Unit) -> bool:
    if unit.institution_id != actor.institution_id:
        return False
    if actor.has(Role.OFFICIAL) and actor.unit_id == unit.pk:
        return True
    return actor.has_for_unit(Role.DEPT_HEAD, unit.pk)


def _check_people(actor: Actor, officials: Sequence[Person]) -> list[Person]:
    seen: dict[int, Person] = {}
    for person in officials:
        if person.institution_id != actor.institution_id:
            raise DomainError(_("이 기관의 직원만 지정할 수 있습니다."), field="officials")
        seen.setdefault(person.pk, person)
    return list(seen.values())


def _values(
    actor: Actor,
    *,
    title: str,
    work_item: WorkItem | None,
    background: str,
    laws: str,
    issues: str,
    own_review: str,
    self_check: Mapping[str, Any] | None,
) -> dict[str, Any]:
    title = common.require(common.clean_line(title), _("제목을 입력해 주십시오."), "title")
    if len(title) > 300:
        raise DomainError(_("제목이 너무 깁니다."), field="title")
    if work_item is not None and work_item.institution_id != actor.institution_id:
        raise DomainError(_("이 기관의 업무를 골라 주십시오."), field="work_item")
    return {
        "title": title,
        "work_item_id": work_item.pk if work_item is not None else None,
        "background": common.clean_text(background),
        "laws": common.clean_text(laws),
        "issues": common.clean_text(issues),
        "own_review": common.clean_text(own_review),
        "self_check": clean_self_check(self_check),
    }


def _names(people: Sequence[Person]) -> list[str]:
    return sorted(str(p) for p in people)


def consultation_create(
    *,
    actor: Actor,
    unit: Unit,
    title: str,
    work_item: WorkItem | None = None,
    background: str = "",
    laws: str = "",
    issues: str = "",
    own_review: str = "",
    self_check: Mapping[str, Any] | None = None,
    officials: Sequence[Person] = (),
) -> Consultation:
    """A department drafts a request (state draft)."""
    if actor.institution_id is None or not _department_unit_ok(actor, unit):
        raise DomainError(_("소속 부서의 요청만 작성할 수 있습니다."), field="unit")
    values = _values(
        actor,
        title=title,
        work_item=work_item,
        background=background,
        laws=laws,
        issues=issues,
        own_review=own_review,
        self_check=self_check,
    )
    people = _check_people(actor, officials)
    with transaction.atomic():
        consultation = Consultation.objects.create(
            institution_id=actor.institution_id, unit=unit, drafted_by=actor.user, **values
        )
        consultation.officials.set(people)
        audit.record(
            actor=actor,
            action="consultation.created",
            target=consultation,
            changes={**audit.snapshot(consultation, FIELDS), "unit": str(unit), "officials": _names(people)},
        )
    return consultation


def consultation_update(
    *,
    actor: Actor,
    consultation: Consultation,
    title: str,
    work_item: WorkItem | None = None,
    background: str = "",
    laws: str = "",
    issues: str = "",
    own_review: str = "",
    self_check: Mapping[str, Any] | None = None,
    officials: Sequence[Person] = (),
) -> Consultation:
    """The department changes its request while it is a draft or was returned."""
    values = _values(
        actor,
        title=title,
        work_item=work_item,
        background=background,
        laws=laws,
        issues=issues,
        own_review=own_review,
        self_check=self_check,
    )
    people = _check_people(actor, officials)
    with transaction.atomic():
        current = common.lock(consultation)
        _check_editable(actor, current)
        before = list(current.officials.all())
        extra: dict[str, Any] = {}
        if {p.pk for p in before} != {p.pk for p in people}:
            extra["officials"] = [_names(before), _names(people)]
            current.officials.set(people)
        audit.save_changes(current, values, fields=FIELDS, actor=actor, action="consultation.updated", extra=extra)
    common.refresh(consultation, current)
    return current


def _check_editable(actor: Actor, consultation: Consultation) -> None:
    if not is_department(case_roles(actor, consultation)):
        raise common.refuse(_("요청 부서만 고칠 수 있습니다."))
    if consultation.status not in EDITABLE:
        raise common.refuse(
            _("현재 상태(%(state)s)에서는 요청 내용을 고칠 수 없습니다.") % {"state": consultation.get_status_display()}
        )


def completeness_problem(consultation: Consultation) -> DomainError | None:
    """What is missing before the request can go to the head or the audit unit."""
    required = [
        ("background", _("추진 배경을 입력해 주십시오.")),
        ("laws", _("관련 법령을 입력해 주십시오.")),
        ("issues", _("쟁점 사항을 입력해 주십시오.")),
        ("own_review", _("부서 자체 검토 의견을 입력해 주십시오.")),
    ]
    for name, message in required:
        if not str(getattr(consultation, name)).strip():
            return DomainError(message, field=name)
    answers = consultation.self_check or {}
    for key in SELF_CHECK_KEYS:
        if (answers.get(key) or {}).get("answer") not in ANSWERS:
            return DomainError(_("자체 점검표의 모든 질문에 답해 주십시오."), field=f"check_{key}")
    if not consultation.officials.exists():
        return DomainError(_("처리할 담당 공무원을 한 명 이상 지정해 주십시오."), field="officials")
    return None


def _complete(consultation: Consultation) -> None:
    problem = completeness_problem(consultation)
    if problem is not None:
        raise problem


def consultation_request_approval(*, actor: Actor, consultation: Consultation) -> Consultation:
    """An official asks the department head to approve the request."""
    with transaction.atomic():
        current = common.lock(consultation)
        roles = common.check(actor, current, "request_approval")
        _complete(current)
        CONSULTATION.apply(current, "request_approval", actor=actor, roles=roles)
        common.tell(common.department_heads(current), current, _("사전컨설팅 결재 요청"))
    common.refresh(consultation, current)
    return current


def consultation_send_back(*, actor: Actor, consultation: Consultation, reason: str) -> Consultation:
    """The head sends a pending request back to the drafter, with the reason."""
    reason = common.clean_text(reason)
    with transaction.atomic():
        current = common.lock(consultation)
        roles = common.check(actor, current, "send_back", reason)
        CONSULTATION.apply(current, "send_back", actor=actor, roles=roles, reason=reason)
        if current.drafted_by is not None:
            common.tell([current.drafted_by], current, _("사전컨설팅 보완 지시"), reason)
    common.refresh(consultation, current)
    return current


def consultation_submit(*, actor: Actor, consultation: Consultation) -> Consultation:
    """The head approves and submits the request to the audit unit: it gets its number (at
    the first submission) and the processing deadline opens (a fresh one after a return)."""
    with transaction.atomic():
        current = common.lock(consultation)
        roles = common.check(actor, current, "submit")
        _complete(current)
        on = common.today()
        changes: dict[str, Any] = {}
        if not current.number:
            current.number = common.request_number(current.institution_id, on)
            changes["number"] = current.number
        resubmission = current.submission_count > 0
        current.submitted_on = on
        current.submission_count += 1
        if current.return_ground or current.return_reason:
            current.return_ground, current.return_reason, current.returned_on = "", "", None
        CONSULTATION.apply(
            current,
            "submit",
            actor=actor,
            roles=roles,
            changes={**changes, "submitted_on": on, "submission_count": current.submission_count},
            update_fields=[
                "number",
                "submitted_on",
                "submission_count",
                "return_ground",
                "return_reason",
                "returned_on",
            ],
        )
        deadline = common.open_clock(current)
        title = _("사전컨설팅 재제출") if resubmission else _("사전컨설팅 요청 접수")
        common.tell(
            common.audit_people(current.institution_id),
            current,
            title,
            _("처리기한: %(due)s") % {"due": deadline.due_on.isoformat()},
        )
    common.refresh(consultation, current)
    return current


def consultation_withdraw(*, actor: Actor, consultation: Consultation, reason: str) -> Consultation:
    """The department withdraws its request before a decision; the clock stops."""
    reason = common.clean_text(reason)
    with transaction.atomic():
        current = common.lock(consultation)
        roles = common.check(actor, current, "withdraw", reason)
        CONSULTATION.apply(current, "withdraw", actor=actor, roles=roles, reason=reason)
        common.stop_clock(current)
        if current.submission_count:
            common.tell(common.audit_people(current.institution_id), current, _("사전컨설팅 철회"), reason)
    common.refresh(consultation, current)
    return current


def upload_purpose(roles: frozenset[str], status: str) -> str | None:
    """What a file added now by someone with these case roles is (None: no upload now)."""
    if status in FINAL:
        return None
    if is_department(roles):
        if status in EDITABLE:
            return common.PURPOSE_REQUEST
        if status in WITH_OPINION:
            return common.PURPOSE_EVIDENCE
    if AUDIT in roles and status in {
        Consultation.Status.UNDER_REVIEW,
        Consultation.Status.REFERRED,
        Consultation.Status.AT_COMMITTEE,
        Consultation.Status.OPINION_ISSUED,
    }:
        return common.PURPOSE_OPINION
    return None


def consultation_attach(
    *,
    actor: Actor,
    consultation: Consultation,
    upload: UploadedFile,  # type: ignore[type-arg]
) -> Attachment:
    """Add one file: the department's request papers while it drafts, its evidence after the
    opinion; the audit unit's opinion documents while it reviews."""
    purpose = upload_purpose(case_roles(actor, consultation), consultation.status)
    if purpose is None:
        raise common.refuse(_("지금은 이 요청에 파일을 올릴 수 없습니다."), field="file")
    return files.attach(actor=actor, target=consultation, upload=upload, purpose=purpose)
