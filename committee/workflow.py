"""A member's status (ADR 0013), declared once: the committee secretary of the member's
institution dismisses an active member, with the grounds as the reason. A dismissal is
final: a dismissed person comes back only by a new appointment (a new member row)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from committee.models import CommitteeMember
from core.access import Actor
from core.roles import Role
from core.workflow import Transition, Workflow

SECRETARY = str(Role.COMMITTEE_SECRETARY)
S = CommitteeMember.Status

MEMBER = Workflow(
    "committee_member",
    S,
    [Transition("dismiss", _("위원 해촉"), {S.ACTIVE}, S.DISMISSED, roles={SECRETARY}, requires_reason=True)],
)


def member_roles(actor: Actor, member: CommitteeMember) -> frozenset[str]:
    """The actor's roles for this member: the secretary of the member's institution."""
    if actor.institution_id is not None and actor.institution_id == member.institution_id and actor.has(SECRETARY):
        return frozenset({SECRETARY})
    return frozenset()
