"""Who may use the contests' office pages (ADR 0020).

Organisers are the institution's active administration officer and HR officer. Judges are
any staff members an organiser assigned to a contest (ContestJudge); they reach only their
scoring pages. `PARTICIPANT` is the rule of the pages both use (the list, the scoring
pages): an organiser, or a user assigned as a judge of some contest."""

from __future__ import annotations

from dataclasses import dataclass

from core.access import Actor, Rule, roles
from core.roles import Role

ORGANISER_ROLES = (Role.AA_OFFICER, Role.HR_OFFICER)
ORGANISER = roles(*ORGANISER_ROLES)


def is_organiser(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*ORGANISER_ROLES)


def is_judge(actor: Actor) -> bool:
    from contests.models import ContestJudge

    if actor.user is None or actor.institution_id is None:
        return False
    return ContestJudge.objects.filter(user=actor.user, contest__institution_id=actor.institution_id).exists()


@dataclass(frozen=True)
class ParticipantRule(Rule):
    """An organiser, or a staff member assigned as a judge of a contest of the institution."""

    def allows(self, actor: Actor) -> bool:
        if not actor.is_authenticated:
            return False
        return is_organiser(actor) or is_judge(actor)

    def describe(self) -> str:
        return "contest organiser or judge"


PARTICIPANT = ParticipantRule(kind="contest_participant")
