"""The opinions the committee hears on an item (DOMAIN.md §6, ADR 0014).

- The secretary records a stakeholder's written submission, a hearing note or a legal
  opinion as received (with its documents).
- The secretary asks the audit side for its opinion: due `policy.audit_opinion_days`
  calendar days later (a core deadline of kind "committee_audit_opinion", so the
  foundation reminds the audit side); the audit side submits it (late is recorded and
  shown) or extends it once by the same number of days, with a reason; the secretary may
  withdraw the request.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from committee.models import AgendaItem, Opinion
from committee.workflow import AUDIT, OPINION, SECRETARY, meeting_roles
from core import audit, deadlines, files, notifications
from core.access import Actor
from core.errors import DomainError
from core.models import Deadline
from core.roles import AUDIT_ROLES, Role
from institutions.models import Policy

DEADLINE_KIND = "committee_audit_opinion"
PURPOSE = "opinion"
RECORDED_KINDS = (Opinion.Kind.STAKEHOLDER_WRITTEN, Opinion.Kind.STAKEHOLDER_HEARING, Opinion.Kind.LEGAL)
CLOSED_ITEM_STATES = (AgendaItem.Status.DECIDED, AgendaItem.Status.WITHDRAWN)
AUTHOR_MAX = 200
BODY_MAX = 20000
NOTE_MAX = 5000
MAX_DOCUMENTS = 10

Documents = Sequence[UploadedFile]  # type: ignore[type-arg]


def queue_url() -> str:
    return reverse("committee:opinion_queue")


#: The item page's URL name (the meetings part owns the page).
ITEM_URL_NAME = "committee:item_detail"


def item_url(item: AgendaItem) -> str:
    try:
        return reverse(ITEM_URL_NAME, kwargs={"pk": item.pk})
    except NoReverseMatch:
        return ""


def audit_people(institution_id: int) -> list[User]:
    """Who answers (and is reminded of) an audit opinion request: the institution's active
    administration officer and audit staff."""
    return list(notifications.users_with_roles(institution_id, *AUDIT_ROLES))


def deadline_recipients(deadline: Deadline) -> list[User]:
    return audit_people(deadline.institution_id)


def _policy(institution_id: int) -> Policy:
    return Policy.objects.filter(institution_id=institution_id).first() or Policy(institution_id=institution_id)


def roll_to_working_day(day: datetime.date) -> datetime.date:
    """A period whose last day is a weekend or a holiday ends on the next working day."""
    while not deadlines.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def _text(value: str | None, *, field: str, message: str, limit: int, required: bool = True) -> str:
    cleaned = (value or "").strip()
    if required and not cleaned:
        raise DomainError(message, field=field)
    if len(cleaned) > limit:
        raise DomainError(_("%(limit)s자 이내로 적어 주십시오.") % {"limit": limit}, field=field)
    return cleaned


def _lock_item(item: AgendaItem) -> AgendaItem:
    return AgendaItem.objects.select_for_update(of=("self",)).select_related("meeting").get(pk=item.pk)


def _lock(opinion: Opinion) -> Opinion:
    return Opinion.objects.select_for_update(of=("self",)).select_related("item__meeting").get(pk=opinion.pk)


def _item_open(item: AgendaItem) -> None:
    if item.status in CLOSED_ITEM_STATES:
        raise DomainError(
            _("%(status)s 상태의 안건에는 의견을 더할 수 없습니다.") % {"status": item.get_status_display()}
        )


def _secretary(actor: Actor, item: AgendaItem) -> frozenset[str]:
    roles = meeting_roles(actor, item.meeting)
    if SECRETARY not in roles:
        raise DomainError(_("위원회 간사만 의견을 기록하거나 요청할 수 있습니다."), code="forbidden")
    return roles


def _documents(documents: Documents) -> Documents:
    if len(documents) > MAX_DOCUMENTS:
        raise DomainError(_("첨부파일은 %(n)s개까지 올릴 수 있습니다.") % {"n": MAX_DOCUMENTS}, field="documents")
    return documents


def _attach(actor: Actor, opinion: Opinion, documents: Documents) -> list[int]:
    return [files.attach(actor=actor, target=opinion, upload=upload, purpose=PURPOSE).pk for upload in documents]


def _tell(recipients: Iterable[User], opinion: Opinion, title: str, url: str, body: str = "") -> None:
    people = list(recipients)
    label = f"{title}: {opinion.item}"[:200]
    institution_id = opinion.institution_id

    def send() -> None:
        from institutions.models import Institution

        notifications.notify(
            recipients=people,
            title=label,
            body=body,
            url=url,
            institution=Institution.objects.filter(pk=institution_id).first(),
        )

    transaction.on_commit(send)


def opinion_record(
    *,
    actor: Actor,
    item: AgendaItem,
    kind: str,
    author: str,
    body: str,
    received_on: datetime.date | None,
    documents: Documents = (),
) -> Opinion:
    """The secretary records an opinion received: a stakeholder's written submission, a
    hearing note or a legal opinion."""
    if kind not in RECORDED_KINDS:
        raise DomainError(_("의견 구분을 목록에서 골라 주십시오."), field="kind")
    author = " ".join((author or "").split())
    if not author:
        raise DomainError(_("의견 제출자를 입력해 주십시오."), field="author")
    if len(author) > AUTHOR_MAX:
        raise DomainError(_("%(limit)s자 이내로 적어 주십시오.") % {"limit": AUTHOR_MAX}, field="author")
    body = _text(body, field="body", message=_("의견 내용을 입력해 주십시오."), limit=BODY_MAX)
    if received_on is None:
        raise DomainError(_("접수일을 입력해 주십시오."), field="received_on")
    if received_on > timezone.localdate():
        raise DomainError(_("앞으로의 날짜는 입력할 수 없습니다."), field="received_on")
    _documents(documents)
    with transaction.atomic():
        current = _lock_item(item)
        _secretary(actor, current)
        _item_open(current)
        opinion = Opinion.objects.create(
            institution_id=current.institution_id,
            item=current,
            kind=kind,
            author=author,
            body=body,
            status=Opinion.Status.RECEIVED,
            received_on=received_on,
        )
        attached = _attach(actor, opinion, documents)
        audit.record(
            actor=actor,
            action="committee.opinion_recorded",
            target=opinion,
            changes={"item": current.pk, "kind": kind, "author": author, "received_on": received_on, "files": attached},
        )
    return opinion


def audit_opinion_request(*, actor: Actor, item: AgendaItem, request_note: str) -> Opinion:
    """The secretary asks the audit side for its opinion on the item, due in the policy's
    calendar days (a weekend or holiday moves it to the next working day)."""
    note = _text(request_note, field="request_note", message=_("요청 내용을 입력해 주십시오."), limit=NOTE_MAX)
    today = timezone.localdate()
    with transaction.atomic():
        current = _lock_item(item)
        _secretary(actor, current)
        _item_open(current)
        if current.opinions.filter(kind=Opinion.Kind.AUDIT, status=Opinion.Status.REQUESTED).exists():
            raise DomainError(_("이 안건에는 이미 답변을 기다리는 감사부서 의견 요청이 있습니다."))
        days = _policy(current.institution_id).audit_opinion_days
        due = roll_to_working_day(today + datetime.timedelta(days=days))
        opinion = Opinion.objects.create(
            institution_id=current.institution_id,
            item=current,
            kind=Opinion.Kind.AUDIT,
            request_note=note,
            status=Opinion.Status.REQUESTED,
            requested_on=today,
            due_on=due,
        )
        deadlines.deadline_open(
            target=opinion,
            kind=DEADLINE_KIND,
            working_days=1,
            due_on=due,
            starts_on=today,
            label=f"{_('감사부서 의견')}: {current}"[:300],
            url=queue_url(),
        )
        audit.record(
            actor=actor,
            action="committee.audit_opinion_requested",
            target=opinion,
            changes={"item": current.pk, "requested_on": today, "due_on": due},
            reason=note,
        )
        _tell(audit_people(current.institution_id), opinion, _("위원회 감사부서 의견 요청"), queue_url(), note[:500])
    return opinion


def _audit_side(actor: Actor, opinion: Opinion) -> frozenset[str]:
    roles = meeting_roles(actor, opinion.item.meeting)
    if AUDIT not in roles or opinion.kind != Opinion.Kind.AUDIT:
        raise DomainError(_("감사부서만 이 의견 요청에 답할 수 있습니다."), code="forbidden")
    return frozenset({AUDIT})


def _requested(opinion: Opinion) -> None:
    if opinion.status != Opinion.Status.REQUESTED:
        raise DomainError(
            _("%(status)s 상태의 의견 요청입니다.") % {"status": opinion.get_status_display()}, code="conflict"
        )


def audit_opinion_submit(*, actor: Actor, opinion: Opinion, body: str, documents: Documents = ()) -> Opinion:
    """The audit side submits its opinion; the deadline closes (late when after the due date;
    a late opinion is still received and shown as late)."""
    body = _text(body, field="body", message=_("의견 내용을 입력해 주십시오."), limit=BODY_MAX)
    _documents(documents)
    today = timezone.localdate()
    with transaction.atomic():
        current = _lock(opinion)
        roles = _audit_side(actor, current)
        _requested(current)
        _item_open(current.item)
        person = actor.user.person if actor.user is not None else None
        unit = person.unit.name if person is not None and person.unit is not None else ""
        current.body = body
        current.received_on = today
        current.author = " · ".join(x for x in (unit, str(person or actor.user or "")) if x)[:AUTHOR_MAX]
        late = current.due_on is not None and today > current.due_on
        attached = _attach(actor, current, documents)
        OPINION.apply(
            current,
            "receive",
            actor=actor,
            roles=roles,
            changes={"received_on": today, "due_on": current.due_on, "late": late, "files": attached},
            update_fields=["body", "received_on", "author"],
        )
        deadlines.stop_clock(current, DEADLINE_KIND)
        secretaries = notifications.users_with_roles(current.institution_id, Role.COMMITTEE_SECRETARY)
        _tell(secretaries, current, _("감사부서 의견 제출"), item_url(current.item))
    _copy(opinion, current)
    return current


def audit_opinion_extend(*, actor: Actor, opinion: Opinion, reason: str) -> Opinion:
    """The audit side extends the due date once, by the policy's number of days."""
    reason = _text(reason, field="reason", message=_("연장 사유를 입력해 주십시오."), limit=NOTE_MAX)
    with transaction.atomic():
        current = _lock(opinion)
        _audit_side(actor, current)
        _requested(current)
        _item_open(current.item)
        deadline = deadlines.deadline_for(current, DEADLINE_KIND)
        if deadline is None or current.due_on is None:
            raise DomainError(_("제출기한이 없는 의견 요청입니다."))
        if deadline.extension_count >= 1:
            raise DomainError(_("감사부서 의견 제출기한은 한 번만 연장할 수 있습니다."), code="conflict")
        days = _policy(current.institution_id).audit_opinion_days
        target = roll_to_working_day(current.due_on + datetime.timedelta(days=days))
        working = max(1, deadlines.working_days_between(current.due_on, target))
        deadline = deadlines.deadline_extend(actor=actor, deadline=deadline, working_days=working, reason=reason)
        audit.save_changes(
            current,
            {"due_on": deadline.due_on},
            fields=["due_on"],
            actor=actor,
            action="committee.audit_opinion_extended",
        )
    _copy(opinion, current)
    return current


def opinion_request_withdraw(*, actor: Actor, opinion: Opinion, reason: str) -> Opinion:
    """The secretary withdraws an audit opinion request (no longer needed)."""
    reason = (reason or "").strip()
    if len(reason) > NOTE_MAX:
        raise DomainError(_("%(limit)s자 이내로 적어 주십시오.") % {"limit": NOTE_MAX}, field="reason")
    with transaction.atomic():
        current = _lock(opinion)
        roles = meeting_roles(actor, current.item.meeting)
        if SECRETARY not in roles:
            raise DomainError(_("위원회 간사만 의견 요청을 철회할 수 있습니다."), code="forbidden")
        OPINION.apply(current, "withdraw_request", actor=actor, roles=roles, reason=reason)
        deadlines.stop_clock(current, DEADLINE_KIND)
    _copy(opinion, current)
    return current


def _copy(stale: Opinion, fresh: Opinion) -> None:
    if stale is not fresh:
        stale.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})
