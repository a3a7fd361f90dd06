"""Renewing a member's term, dismissing a member, designating the chair (ADR 0013).

HARD rules: a dismissed member is not renewed; an external member is not renewed beyond the
policy's `external_max_renewals`; a new term starts after the current one and does not end
before it starts; a renewal that brings a member back into the pool respects the maximum
size; dismissal needs its grounds; there is exactly one chair.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import CommitteeMember, Term
from committee.services._common import add_years, check_room, check_term, lock_pool, require_own, seated
from committee.workflow import MEMBER, member_roles
from core import audit
from core.access import Actor
from core.errors import DomainError
from core.roles import Role
from institutions.models import Policy, RoleAssignment


def term_end_for(starts_on: datetime.date, policy: Policy) -> datetime.date:
    """The last day of a term of the policy's length (2 years: 2026-03-01 -> 2028-02-29)."""
    return add_years(starts_on, policy.external_term_years) - datetime.timedelta(days=1)


def _locked(member: CommitteeMember) -> CommitteeMember:
    return CommitteeMember.objects.select_for_update().get(pk=member.pk)


def member_renew(
    *,
    actor: Actor,
    member: CommitteeMember,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> CommitteeMember:
    """Add a term after the current one (by default it starts the day after the current term
    ends and lasts the policy's `external_term_years`)."""
    institution_id = require_own(actor, member)
    today = timezone.localdate()
    with transaction.atomic():
        policy = lock_pool(institution_id)
        current = _locked(member)
        if current.status != CommitteeMember.Status.ACTIVE:
            raise DomainError(_("해촉된 위원은 연임할 수 없습니다."))
        if current.term_ends_on is None:
            raise DomainError(_("임기가 정해지지 않은 위원(당연직)은 연임할 필요가 없습니다."))
        limit = policy.external_max_renewals
        if current.kind == CommitteeMember.Kind.EXTERNAL and limit is not None and current.renewals >= limit:
            raise DomainError(
                _("민간위원의 연임은 %(limit)s회까지입니다. 이 위원은 이미 %(n)s회 연임했습니다.")
                % {"limit": limit, "n": current.renewals}
            )
        start = check_term(
            starts_on or current.term_ends_on + datetime.timedelta(days=1),
            ends_on,
            start_field="starts_on",
            end_field="ends_on",
        )
        if start <= current.term_ends_on:
            raise DomainError(
                _("새 임기는 현재 임기 종료일(%(end)s) 다음 날부터 시작해야 합니다.") % {"end": current.term_ends_on},
                field="starts_on",
            )
        end = ends_on or term_end_for(start, policy)
        if end < today:
            raise DomainError(_("이미 끝난 임기로 연임할 수 없습니다."), field="ends_on")
        if not seated(institution_id, today).filter(pk=current.pk).exists():
            check_room(policy, institution_id, today)  # the member comes back into the pool
        number = current.renewals + 1
        Term.objects.create(member=current, number=number, starts_on=start, ends_on=end)
        _extend_member_role(actor, current, current.term_ends_on, end)
        # The member's span runs on unbroken when the new term follows the current one at once;
        # after a gap it starts again with the new term (the member is out in between).
        contiguous = start == current.term_ends_on + datetime.timedelta(days=1)
        audit.save_changes(
            current,
            {
                "renewals": number,
                "term_starts_on": current.term_starts_on if contiguous else start,
                "term_ends_on": end,
            },
            fields=["renewals", "term_starts_on", "term_ends_on"],
            actor=actor,
            action="committee.member_renewed",
        )
    return current


def member_dismiss(
    *,
    actor: Actor,
    member: CommitteeMember,
    grounds: str,
    note: str = "",
    dismissed_on: datetime.date | None = None,
) -> CommitteeMember:
    """Dismiss (해촉) a member on stated grounds. A dismissed chair leaves the chair empty."""
    require_own(actor, member)
    if grounds not in CommitteeMember.Grounds.values:
        raise DomainError(_("해촉 사유를 골라 주십시오."), field="grounds")
    note = (note or "").strip()
    if grounds == CommitteeMember.Grounds.OTHER and not note:
        raise DomainError(_("'그 밖의 사유'를 고르면 상세 사유를 적어 주십시오."), field="note")
    if len(note) > 2000:
        raise DomainError(_("상세 사유는 2000자 이내로 적어 주십시오."), field="note")
    today = timezone.localdate()
    on = dismissed_on or today
    if on > today:
        raise DomainError(_("해촉일은 오늘 이후일 수 없습니다."), field="dismissed_on")
    with transaction.atomic():
        current = _locked(member)
        first = Term.objects.filter(member=current).order_by("number").values_list("starts_on", flat=True).first()
        if first is not None and on < first:
            raise DomainError(_("해촉일이 위촉일보다 빠릅니다."), field="dismissed_on")
        label = str(CommitteeMember.Grounds(grounds).label)
        changes = {"dismissal_grounds": grounds, "dismissed_on": on}
        if current.is_chair:
            changes["is_chair"] = [True, False]
        current.dismissed_on, current.dismissal_grounds, current.dismissal_note = on, grounds, note
        current.is_chair = False
        MEMBER.apply(
            current,
            "dismiss",
            actor=actor,
            roles=member_roles(actor, current),
            reason=f"{label}: {note}" if note else label,
            changes=changes,
            update_fields=["dismissed_on", "dismissal_grounds", "dismissal_note", "is_chair"],
        )
        _end_member_role(actor, current, on)
    return current


def _member_grants(member: CommitteeMember, user_id: int) -> QuerySet[RoleAssignment]:
    """The committee member role assignments of the member's account."""
    return RoleAssignment.objects.filter(
        user_id=user_id, institution_id=member.institution_id, role=Role.COMMITTEE_MEMBER
    )


def _end_member_role(actor: Actor, member: CommitteeMember, on: datetime.date) -> None:
    """A dismissed member's account stops holding the committee member role on the dismissal
    date (their other roles, as staff, stay)."""
    if member.user_id is None:
        return
    ended = list(
        _member_grants(member, member.user_id)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=on))
        .values_list("pk", flat=True)
    )
    if ended:
        RoleAssignment.objects.filter(pk__in=ended).update(ends_on=on)
        audit.record(
            actor=actor,
            action="committee.member_role_ended",
            target=member,
            changes={"role": str(Role.COMMITTEE_MEMBER), "ends_on": on, "assignments": ended},
        )


def _extend_member_role(actor: Actor, member: CommitteeMember, old_end: datetime.date, new_end: datetime.date) -> None:
    """A renewed member's account keeps the committee member role to the new term's end
    (the grants that ran to the old end; an open-ended grant needs nothing)."""
    if member.user_id is None:
        return
    extended = list(_member_grants(member, member.user_id).filter(ends_on=old_end).values_list("pk", flat=True))
    if extended:
        RoleAssignment.objects.filter(pk__in=extended).update(ends_on=new_end)
        audit.record(
            actor=actor,
            action="committee.member_role_extended",
            target=member,
            changes={"role": str(Role.COMMITTEE_MEMBER), "ends_on": [old_end, new_end], "assignments": extended},
        )


def chair_designate(*, actor: Actor, member: CommitteeMember) -> CommitteeMember:
    """Make this member the chair; the previous chair (if any) stays a member."""
    institution_id = require_own(actor, member)
    today = timezone.localdate()
    with transaction.atomic():
        lock_pool(institution_id)
        current = _locked(member)
        if not seated(institution_id, today).filter(pk=current.pk).exists():
            raise DomainError(_("재임 중인 위원만 위원장으로 지정할 수 있습니다."))
        if current.is_chair:
            raise DomainError(_("이미 위원장입니다."))
        previous = (
            CommitteeMember.objects.select_for_update()
            .filter(institution_id=institution_id, status=CommitteeMember.Status.ACTIVE, is_chair=True)
            .first()
        )
        if previous is not None:
            previous.is_chair = False
            previous.save(update_fields=["is_chair", "updated_at"])
            audit.record(
                actor=actor, action="committee.chair_released", target=previous, changes={"is_chair": [True, False]}
            )
        current.is_chair = True
        current.save(update_fields=["is_chair", "updated_at"])
        audit.record(
            actor=actor,
            action="committee.chair_designated",
            target=current,
            changes={"is_chair": [False, True], "previous_chair": previous.name if previous else None},
        )
    return current
