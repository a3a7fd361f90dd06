"""What the pre-consultation services share: locking, role checks, the deadline, numbers,
notifications and files."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from consultations.models import Consultation
from consultations.selectors import DEADLINE_KIND
from consultations.workflow import CONSULTATION, case_roles
from core import deadlines, files, notifications
from core.access import Actor
from core.errors import DomainError, TransitionNotAllowed
from core.models import Deadline
from core.numbering import document_reference, next_number
from core.roles import Role
from institutions.models import Unit

REQUEST_SERIES = "consultation"
REQUEST_PREFIX = "사전컨설팅"  # part of the document number: not translated
OPINION_SERIES = "consultation_opinion"
OPINION_FALLBACK_PREFIX = "감사"

#: Attachment purposes (core.files.attach): the department's request files, the opinion's
#: documents (the higher body's or the committee's papers), the department's evidence.
PURPOSE_REQUEST = "request"
PURPOSE_OPINION = "opinion"
PURPOSE_EVIDENCE = "evidence"

Documents = Sequence[UploadedFile]  # type: ignore[type-arg]


def today() -> datetime.date:
    return timezone.localdate()


def lock(consultation: Consultation) -> Consultation:
    return Consultation.objects.select_for_update().select_related("unit", "institution").get(pk=consultation.pk)


def refresh(stale: Consultation, fresh: Consultation) -> None:
    """Bring the caller's object up to date with what the service saved."""
    if stale is not fresh:
        stale.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})


def check(actor: Actor, consultation: Consultation, action: str, reason: str = "") -> frozenset[str]:
    """The workflow's check (state, role, reason) before a service validates its input."""
    roles = case_roles(actor, consultation)
    CONSULTATION.check(consultation, action, roles, reason)
    return roles


def clean_text(value: str | None) -> str:
    return (value or "").strip()


def clean_line(value: str | None) -> str:
    return " ".join((value or "").split())


def require(value: str, message: str, field: str) -> str:
    if not value:
        raise DomainError(message, field=field)
    return value


def date_not_future(value: datetime.date | None, *, field: str) -> datetime.date:
    """A date the user gave for something that already happened."""
    if value is None:
        raise DomainError(_("날짜를 입력해 주십시오."), field=field)
    if value > today():
        raise DomainError(_("앞으로의 날짜는 입력할 수 없습니다."), field=field)
    return value


# --- The deadline ---------------------------------------------------------------------


def deadline_of(consultation: Consultation) -> Deadline | None:
    return deadlines.deadline_for(consultation, DEADLINE_KIND)


def open_clock(consultation: Consultation) -> Deadline:
    from institutions.selectors import policy_of

    policy = policy_of(consultation.institution)
    return deadlines.deadline_open(
        target=consultation,
        kind=DEADLINE_KIND,
        working_days=policy.consultation_days,
        label=str(consultation)[:300],
        url=consultation.get_absolute_url(),
        unit=consultation.unit,
    )


def stop_clock(consultation: Consultation) -> bool:
    """Close the processing deadline (once); whether it was closed after its due date."""
    deadline = deadline_of(consultation)
    if deadline is None:
        return False
    if deadline.closed_at is None:
        deadline = deadlines.deadline_close(deadline=deadline)
    return deadline.closed_late


# --- Numbers --------------------------------------------------------------------------


def request_number(institution_id: int, on: datetime.date) -> str:
    number = next_number(institution_id=institution_id, series=REQUEST_SERIES, year=on.year)
    return document_reference(prefix=REQUEST_PREFIX, year=on.year, number=number)


def opinion_number(institution_id: int, on: datetime.date) -> str:
    prefix = (
        Unit.objects.filter(institution_id=institution_id, is_audit_unit=True, is_active=True)
        .order_by("code")
        .values_list("name", flat=True)
        .first()
    ) or OPINION_FALLBACK_PREFIX
    number = next_number(institution_id=institution_id, series=OPINION_SERIES, year=on.year)
    return document_reference(prefix=prefix, year=on.year, number=number)


# --- People to tell -------------------------------------------------------------------


def department_people(consultation: Consultation) -> list[User]:
    """The drafter and the department's heads."""
    heads = list(department_heads(consultation))
    drafter = [consultation.drafted_by] if consultation.drafted_by is not None else []
    return drafter + heads


def department_heads(consultation: Consultation) -> QuerySet[User]:
    return notifications.users_with_roles(consultation.institution_id, Role.DEPT_HEAD, unit_id=consultation.unit_id)


def audit_people(institution_id: int) -> QuerySet[User]:
    return notifications.users_with_roles(institution_id, Role.AA_OFFICER, Role.AUDIT_STAFF)


def tell(recipients: Iterable[User], consultation: Consultation, title: str, body: str = "") -> None:
    notifications.notify(
        recipients=recipients,
        title=f"{title}: {consultation}"[:200],
        body=body,
        url=consultation.get_absolute_url(),
        institution=consultation.institution,
    )


# --- Files ----------------------------------------------------------------------------


def attach_all(actor: Actor, consultation: Consultation, documents: Documents, purpose: str) -> list[int]:
    return [files.attach(actor=actor, target=consultation, upload=upload, purpose=purpose).pk for upload in documents]


def refuse(message: str, field: str | None = None) -> TransitionNotAllowed:
    return TransitionNotAllowed(message, field=field)
