"""An official's request to the committee for advice on an unclear rule (ADR 0014).

advice_request_submit (official) → submitted
advice_request_schedule (secretary: an item on a meeting's agenda) → on_agenda
the item is decided (committee/links.py) → advised | back to submitted
advice_request_record_outcome (requester) → outcome_recorded, one presumption row per
    acting official (exemptions/presumptions.py, the same rows as a pre-consultation)
advice_request_withdraw (requester, while submitted) → withdrawn
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import AdviceRequest, AgendaItem, Meeting
from committee.services._common import clean_text
from committee.workflow import ADVICE_REQUEST, COMMITTEE, SECRETARY, request_roles
from core import audit, notifications
from core.access import Actor
from core.errors import DomainError
from core.numbering import document_reference, next_number
from core.roles import Role
from exemptions.models import Presumption
from exemptions.presumptions import presumption_record
from institutions.selectors import people_by_numbers, split_employee_numbers

if TYPE_CHECKING:
    from accounts.models import User
    from register.models import WorkItem

SERIES = "committee_advice"
PREFIX = "자문"  # part of the document number: not translated
TITLE_MAX = 200
TEXT_MAX = 5000
NOTE_MAX = 5000
ACT_MAX = 300


def request_url(request: AdviceRequest) -> str:
    return reverse("committee:advice_request_detail", kwargs={"pk": request.pk})


def _lock(request: AdviceRequest) -> AdviceRequest:
    return AdviceRequest.objects.select_for_update(of=("self",)).select_related("work_item").get(pk=request.pk)


def _refresh(stale: AdviceRequest, fresh: AdviceRequest) -> None:
    if stale is not fresh:
        stale.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})


def _tell(users: Iterable[User], request: AdviceRequest, title: str, body: str = "") -> None:
    """Notify once the transaction commits."""
    recipients = list(users)
    url = request_url(request)
    label = f"{title}: {request}"[:200]

    def send() -> None:
        notifications.notify(recipients=recipients, title=label, body=body, url=url, institution=request.institution)

    transaction.on_commit(send)


def advice_request_submit(
    *,
    actor: Actor,
    title: str,
    task: str,
    rule: str,
    options: str,
    work_item: WorkItem | None = None,
) -> AdviceRequest:
    """An official of the institution asks the committee for advice; the secretaries are told."""
    from register.selectors import visible_work_items

    if actor.institution_id is None or actor.person_id is None or not actor.has(Role.OFFICIAL):
        raise DomainError(_("소속 기관의 공무원만 위원회 자문을 요청할 수 있습니다."), code="forbidden")
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("제목을 입력해 주십시오."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(_("제목은 %(limit)s자 이내로 적어 주십시오.") % {"limit": TITLE_MAX}, field="title")
    task = clean_text(task, field="task", label=_("업무 내용"), limit=TEXT_MAX, required=True)
    rule = clean_text(rule, field="rule", label=_("불명확한 규정"), limit=TEXT_MAX, required=True)
    options = clean_text(options, field="options", label=_("검토한 방안"), limit=TEXT_MAX, required=True)
    if work_item is not None and (
        work_item.institution_id != actor.institution_id
        or not visible_work_items(actor).filter(pk=work_item.pk).exists()
    ):
        raise DomainError(_("이 기관의 업무 등록부 항목을 골라 주십시오."), field="work_item")
    today = timezone.localdate()
    person = actor.user.person if actor.user is not None else None
    with transaction.atomic():
        number = next_number(institution_id=actor.institution_id, series=SERIES, year=today.year)
        request = AdviceRequest.objects.create(
            institution_id=actor.institution_id,
            year=today.year,
            number=number,
            reference=document_reference(prefix=PREFIX, year=today.year, number=number),
            requester_id=actor.person_id,
            unit_id=person.unit_id if person is not None else None,
            title=title,
            task=task,
            rule=rule,
            options=options,
            work_item=work_item,
            submitted_on=today,
        )
        audit.record(
            actor=actor,
            action="committee.advice_request_submitted",
            target=request,
            changes={"reference": request.reference, "title": title, "work_item": str(work_item or "")},
        )
        secretaries = notifications.users_with_roles(actor.institution_id, Role.COMMITTEE_SECRETARY)
        _tell(secretaries, request, _("위원회 자문 요청 접수"), title)
    return request


def advice_request_withdraw(*, actor: Actor, request: AdviceRequest, reason: str = "") -> AdviceRequest:
    """The requester withdraws a request not yet on an agenda."""
    reason = (reason or "").strip()
    if len(reason) > NOTE_MAX:
        raise DomainError(_("사유는 %(limit)s자 이내로 적어 주십시오.") % {"limit": NOTE_MAX}, field="reason")
    with transaction.atomic():
        current = _lock(request)
        ADVICE_REQUEST.apply(current, "withdraw", actor=actor, roles=request_roles(actor, current), reason=reason)
    _refresh(request, current)
    return current


def summary_of(request: AdviceRequest) -> str:
    """The agenda item's summary: the task, the unclear rule and the options considered."""
    return "\n\n".join(
        [
            f"[{_('업무 내용')}]\n{request.task}",
            f"[{_('불명확한 규정')}]\n{request.rule}",
            f"[{_('검토한 방안')}]\n{request.options}",
        ]
    )


def advice_request_schedule(*, actor: Actor, request: AdviceRequest, meeting: Meeting) -> AgendaItem:
    """The secretary puts a submitted request on a draft or convened meeting of the
    institution: an advice item linked to it (the link's on_agenda moves the request)."""
    from committee.services.meetings import item_add

    roles = request_roles(actor, request)
    if SECRETARY not in roles:
        raise DomainError(_("위원회 간사만 자문 요청을 안건으로 올릴 수 있습니다."), code="forbidden")
    if meeting.institution_id != request.institution_id:
        raise DomainError(_("이 기관의 회의를 골라 주십시오."), field="meeting")
    if meeting.status not in Meeting.OPEN_STATES:
        raise DomainError(_("준비 중이거나 소집된 회의에만 안건을 올릴 수 있습니다."), field="meeting")
    ADVICE_REQUEST.check(request, "put_on_agenda", roles)
    with transaction.atomic():
        return item_add(
            actor=actor,
            meeting=meeting,
            kind=AgendaItem.Kind.ADVICE,
            title=request.title,
            summary=summary_of(request),
            case=request,
        )


# --- The link's hooks (called inside the meeting services' transactions) ------------------


def _decided_on(item: AgendaItem) -> datetime.date:
    return timezone.localdate(item.decided_at) if item.decided_at is not None else timezone.localdate()


def on_agenda(actor: Actor, request: AdviceRequest, item: AgendaItem) -> None:
    """An item was linked to the request: it is on the agenda (the secretary's act)."""
    if item.institution_id != request.institution_id:
        raise DomainError(_("다른 기관의 자문 요청은 안건으로 올릴 수 없습니다."))
    current = _lock(request)
    ADVICE_REQUEST.apply(
        current,
        "put_on_agenda",
        actor=actor,
        roles=frozenset({SECRETARY}),
        changes={"meeting": item.meeting_id, "item": item.pk},
    )
    _refresh(request, current)


def on_result(actor: Actor, request: AdviceRequest, item: AgendaItem) -> None:
    """The item was decided: adopted advice is written on the request and the requester is
    told; otherwise the request goes back to the secretary's queue."""
    current = _lock(request)
    if item.result != AgendaItem.Result.ADOPTED:
        ADVICE_REQUEST.apply(
            current,
            "return_to_queue",
            actor=actor,
            roles=frozenset({COMMITTEE}),
            changes={"item": item.pk, "result": item.result},
        )
        _refresh(request, current)
        return
    advice = (item.resolution or "").strip()
    if not advice:
        raise DomainError(_("자문 내용이 없는 안건은 자문 요청에 기록할 수 없습니다."), field="resolution")
    current.advice = advice
    current.advised_on = _decided_on(item)
    ADVICE_REQUEST.apply(
        current,
        "advise",
        actor=actor,
        roles=frozenset({COMMITTEE}),
        changes={"item": item.pk, "advised_on": current.advised_on},
        update_fields=["advice", "advised_on"],
    )
    requester = notifications.users_with_roles(current.institution_id, Role.OFFICIAL).filter(
        person_id=current.requester_id
    )
    _tell(requester, current, _("위원회 자문 결과"), advice[:500])
    _refresh(request, current)


def on_removed(actor: Actor, request: AdviceRequest, item: AgendaItem) -> None:
    """The item was withdrawn: the request waits for another agenda."""
    current = _lock(request)
    ADVICE_REQUEST.apply(
        current,
        "return_to_queue",
        actor=actor,
        roles=frozenset({COMMITTEE}),
        changes={"item": item.pk, "withdrawn": True},
    )
    _refresh(request, current)


# --- What the official did with the advice ---------------------------------------------


def advice_request_record_outcome(
    *,
    actor: Actor,
    request: AdviceRequest,
    followed: str,
    acted_on: datetime.date | None,
    act: str = "",
    employee_numbers: str = "",
    note: str = "",
) -> AdviceRequest:
    """The requester records whether they followed the advice, when they acted and who acted
    with them; each acting official gets a presumption row (source committee_advice). Acting
    before the advice or not following it in full is recorded, and the presumption then
    does not hold (exemptions.models.Presumption.why_not) - the same rule as for a
    pre-consultation."""
    if followed not in Presumption.Followed.values:
        raise DomainError(_("이행 여부를 목록에서 골라 주십시오."), field="followed")
    if acted_on is None:
        raise DomainError(_("처리일을 입력해 주십시오."), field="acted_on")
    if acted_on > timezone.localdate():
        raise DomainError(_("앞으로의 날짜는 입력할 수 없습니다."), field="acted_on")
    note = clean_text(note, field="note", label=_("이행 내용"), limit=NOTE_MAX)
    act = " ".join((act or "").split())
    if len(act) > ACT_MAX:
        raise DomainError(_("업무·행위는 %(limit)s자 이내로 적어 주십시오.") % {"limit": ACT_MAX}, field="act")
    with transaction.atomic():
        current = _lock(request)
        roles = request_roles(actor, current)
        ADVICE_REQUEST.check(current, "record_outcome", roles)
        if current.advised_on is None:
            raise DomainError(_("자문일이 없는 요청입니다."))
        others = people_by_numbers(actor, split_employee_numbers(employee_numbers), field="employee_numbers")
        people = [current.requester, *(p for p in others if p.pk != current.requester_id)]
        act = act or (current.work_item.title if current.work_item is not None else current.title)
        current.followed, current.acted_on, current.outcome_note = followed, acted_on, note
        ADVICE_REQUEST.apply(
            current,
            "record_outcome",
            actor=actor,
            roles=roles,
            changes={"followed": followed, "acted_on": acted_on, "officials": [p.employee_number for p in people]},
            update_fields=["followed", "acted_on", "outcome_note"],
        )
        url = request_url(current)
        for person in people:
            presumption_record(
                actor=actor,
                source=current,
                kind=Presumption.Source.COMMITTEE_ADVICE,
                person=person,
                work_item=current.work_item,
                act=act,
                advice_given_on=current.advised_on,
                acted_on=acted_on,
                followed=followed,
                reference=current.reference,
                url=url,
            )
    _refresh(request, current)
    return current
