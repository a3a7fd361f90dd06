"""Member selection for a meeting: the pool system (DOMAIN.md §6, ADR 0014 §Rules).

HARD rules, all checked and every breach named in one refusal:
- at least `policy.meeting_min_selected` (8) members besides the chair;
- at least `policy.committee_external_min_percent` (half) of those external;
- every one of them in the pool on the meeting's date (not dismissed, within term), of the
  meeting's institution - a member who is not is refused by name;
- exactly one chair: the pool's chair by default, or an acting chair named among the selected.
The selection may change until the first item opens. Who selects: the secretary (on the
chair's behalf) and the pool's chair.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import AgendaItem, CommitteeMember, Declaration, Meeting, MeetingMember, Tag
from committee.selectors import in_pool
from committee.services._common import lock_pool
from committee.services.meetings import UNDECIDED, lock_meeting, tell_seated
from committee.workflow import SECRETARY
from core import audit
from core.access import Actor
from core.errors import DomainError
from core.roles import Role
from institutions.models import Policy


class SelectionError(DomainError):
    """A selection that breaks one or more rules; `problems` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(" ".join(problems), field="member_ids", code="invalid")
        self.problems = problems


def meeting_date(meeting: Meeting) -> datetime.date:
    return timezone.localtime(meeting.starts_at).date()


def pool_chair(institution_id: int) -> CommitteeMember | None:
    return CommitteeMember.objects.filter(
        institution_id=institution_id, status=CommitteeMember.Status.ACTIVE, is_chair=True
    ).first()


def may_select(actor: Actor, meeting: Meeting) -> bool:
    """The secretary of the meeting's institution, or the pool's chair by their own account."""
    if actor.institution_id is None or actor.institution_id != meeting.institution_id:
        return False
    if actor.has(SECRETARY):
        return True
    if actor.user is None or not actor.has(Role.COMMITTEE_MEMBER):
        return False
    chair = pool_chair(meeting.institution_id)
    return chair is not None and chair.user_id == actor.user.pk


@dataclass
class Suggestion:
    member: CommitteeMember
    matched: list[str] = field(default_factory=list)

    @property
    def score(self) -> int:
        return len(self.matched)

    @property
    def is_external(self) -> bool:
        return self.member.kind == CommitteeMember.Kind.EXTERNAL


def agenda_tags(meeting: Meeting) -> list[str]:
    return sorted(
        set(
            Tag.objects.filter(items__meeting=meeting, items__status__in=UNDECIDED)
            .values_list("name", flat=True)
            .distinct()
        )
    )


def suggest_members(meeting: Meeting) -> list[Suggestion]:
    """The members in the pool on the meeting's date, ranked by how many of the agenda's
    expertise tags they hold, external first on ties, then by name (two queries)."""
    wanted = set(agenda_tags(meeting))
    members = in_pool(CommitteeMember.objects.filter(institution_id=meeting.institution_id), meeting_date(meeting))
    members = members.prefetch_related(Prefetch("expertise", queryset=Tag.objects.order_by("name")))
    found = [Suggestion(m, [t.name for t in m.expertise.all() if t.name in wanted]) for m in members]
    found.sort(key=lambda s: (-s.score, not s.is_external, s.member.name, s.member.pk))
    return found


def _problems(
    meeting: Meeting, members: list[CommitteeMember], chair: CommitteeMember | None, policy: Policy
) -> list[str]:
    problems: list[str] = []
    on = meeting_date(meeting)
    dismissed = [m.name for m in members if m.status != CommitteeMember.Status.ACTIVE]
    if dismissed:
        problems.append(_("해촉된 위원은 지명할 수 없습니다: %(names)s.") % {"names": ", ".join(dismissed)})
    out = [m.name for m in members if m.status == CommitteeMember.Status.ACTIVE and not m.in_term(on)]
    if out:
        problems.append(
            _("회의일(%(date)s)에 임기가 아닌 위원은 지명할 수 없습니다: %(names)s.")
            % {"date": on.isoformat(), "names": ", ".join(out)}
        )
    if chair is None:
        problems.append(_("회의를 주재할 위원장이 없습니다. 지명한 위원 가운데 위원장 직무대행을 정해 주십시오."))
    others = [m for m in members if chair is None or m.pk != chair.pk]
    minimum = policy.meeting_min_selected
    if len(others) < minimum:
        problems.append(
            _("위원장 외에 %(min)s명 이상을 지명해야 합니다(지금 %(n)s명).") % {"min": minimum, "n": len(others)}
        )
    external = sum(1 for m in others if m.kind == CommitteeMember.Kind.EXTERNAL)
    percent = policy.committee_external_min_percent
    if others and external * 100 < percent * len(others):
        problems.append(
            _("위원장 외 지명 위원의 %(percent)s%% 이상이 민간위원이어야 합니다(지금 %(n)s명 중 %(ext)s명).")
            % {"percent": percent, "n": len(others), "ext": external}
        )
    return problems


def check_seats(meeting: Meeting) -> None:
    """The meeting's current seats keep the rules on its date (before convening, and when a
    convened meeting moves)."""
    seats = list(meeting.seats.select_related("member"))
    if not seats:
        raise SelectionError([_("지명한 위원이 없습니다. 위원을 먼저 지명해 주십시오.")])
    chairs = [s.member for s in seats if s.is_chair]
    policy = lock_pool(meeting.institution_id)
    problems = _problems(meeting, [s.member for s in seats], chairs[0] if chairs else None, policy)
    if problems:
        raise SelectionError(problems)


def selection_set(
    *, actor: Actor, meeting: Meeting, member_ids: Iterable[int], chair_id: int | None = None
) -> list[MeetingMember]:
    """Name the meeting's members (replacing the previous selection). The chair is the pool's
    chair unless `chair_id` names an acting chair among the selected. On a convened meeting
    the newly named members are invited at once and the removed ones are told."""
    if not may_select(actor, meeting):
        raise DomainError(_("위원 지명은 위원장 또는 위원회 간사만 할 수 있습니다."), code="forbidden")
    ids = {int(i) for i in member_ids}
    with transaction.atomic():
        current = lock_meeting(meeting)
        if current.status not in Meeting.OPEN_STATES:
            raise DomainError(
                _("%(status)s 상태의 회의는 위원을 지명할 수 없습니다.") % {"status": current.get_status_display()},
                code="conflict",
            )
        if current.items.exclude(status__in=[AgendaItem.Status.PENDING, AgendaItem.Status.WITHDRAWN]).exists():
            raise DomainError(_("안건 심의가 시작된 뒤에는 지명 위원을 바꿀 수 없습니다."), code="conflict")
        policy = lock_pool(current.institution_id)
        if chair_id is not None:
            ids.add(int(chair_id))
        else:
            default = pool_chair(current.institution_id)
            if default is not None:
                ids.add(default.pk)
        members = list(
            CommitteeMember.objects.filter(institution_id=current.institution_id, pk__in=ids).order_by("name", "pk")
        )
        if len(members) != len(ids):
            raise SelectionError([_("이 기관의 위원이 아닌 사람이 있습니다.")])
        by_pk = {m.pk: m for m in members}
        chair = by_pk.get(int(chair_id)) if chair_id is not None else pool_chair(current.institution_id)
        problems = _problems(current, members, chair, policy)
        if problems:
            raise SelectionError(problems)
        assert chair is not None
        old = {s.member_id: s for s in current.seats.select_related("member")}
        removed = [s for pk, s in old.items() if pk not in ids]
        removed_users = [s.member.user for s in removed if s.member.user is not None]
        if removed:
            Declaration.objects.filter(item__meeting=current, member_id__in=[s.member_id for s in removed]).delete()
            MeetingMember.objects.filter(pk__in=[s.pk for s in removed]).delete()
        MeetingMember.objects.filter(meeting=current, is_chair=True).exclude(member_id=chair.pk).update(is_chair=False)
        convened = current.status == Meeting.Status.CONVENED
        now = timezone.now()
        added: list[CommitteeMember] = []
        for member in members:
            seat = old.get(member.pk)
            if seat is None:
                MeetingMember.objects.create(
                    meeting=current,
                    member=member,
                    is_chair=member.pk == chair.pk,
                    attendance=MeetingMember.Attendance.INVITED if convened else MeetingMember.Attendance.PENDING,
                    invited_at=now if convened else None,
                )
                added.append(member)
            elif seat.is_chair != (member.pk == chair.pk):
                seat.is_chair = member.pk == chair.pk
                seat.save(update_fields=["is_chair"])
        _record(actor, current, old, added, removed, chair, len(members) - 1)
        if convened:
            new_users = [m.user for m in added if m.user is not None]
            if new_users:
                tell_seated(current, _("위원회 회의 소집"), _("참석 여부를 알려 주십시오."), users=new_users)
            if removed_users:
                tell_seated(current, _("회의 지명 해제"), users=removed_users)
    return list(current.seats.select_related("member"))


def _record(  # noqa: PLR0917 - one private audit helper
    actor: Actor,
    meeting: Meeting,
    old: dict[int, MeetingMember],
    added: list[CommitteeMember],
    removed: list[MeetingMember],
    chair: CommitteeMember,
    count: int,
) -> None:
    old_chair = next((s.member.name for s in old.values() if s.is_chair), None)
    audit.record(
        actor=actor,
        action="committee.selection_set",
        target=meeting,
        changes={
            "added": [m.name for m in added],
            "removed": [s.member.name for s in removed],
            "chair": [old_chair, chair.name] if old_chair != chair.name else chair.name,
            "count": count,
        },
    )
