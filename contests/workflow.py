"""The states of a contest and who may move them (ADR 0020). Every transition is the
organiser's (the institution's AA officer or HR officer):

    draft ─open_entries→ entries ─start_preliminary→ preliminary ─select_finalists→ final
      ─open_vote→ voting ─close_vote→ closed ─publish→ published

`select_finalists` is applied by services.select_finalists, which marks the entries
finalist or eliminated in the same transaction.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from contests.models import Contest, Entry
from contests.permissions import is_organiser
from core.access import Actor
from core.workflow import Transition, Workflow

S = Contest.Status
ORGANISER = "organiser"

#: states in which entries may be added or withdrawn
ENTRY_STATES = frozenset({S.DRAFT, S.ENTRIES})
#: states in which the contest's settings may still change
EDITABLE = frozenset({S.DRAFT, S.ENTRIES, S.PRELIMINARY, S.FINAL})
#: states in which experts and the organiser (panel) score the finalists
FINAL_STATES = frozenset({S.FINAL, S.VOTING})


def _has_entries(contest: Contest) -> str | None:
    if not contest.entries.exists():
        return gettext("출품작이 한 건 이상 있어야 합니다.")
    return None


def _has_finalists(contest: Contest) -> str | None:
    if not contest.entries.filter(status=Entry.Status.FINALIST).exists():
        return gettext("본선 진출작을 한 건 이상 골라 주십시오.")
    return None


def _vote_period(contest: Contest) -> str | None:
    if contest.vote_opens_at is None or contest.vote_closes_at is None:
        return gettext("국민 투표 기간을 먼저 정해 주십시오.")
    if contest.vote_closes_at <= timezone.now():
        return gettext("국민 투표 마감 시각이 이미 지났습니다. 투표 기간을 고쳐 주십시오.")
    return None


def _has_grades(contest: Contest) -> str | None:
    if not contest.entries.exclude(grade="").exists():
        return gettext("수상 등급을 먼저 정해 주십시오.")
    return None


CONTEST = Workflow(
    "contest",
    S,
    [
        Transition("open_entries", _("출품 접수 시작"), {S.DRAFT}, S.ENTRIES, roles={ORGANISER}),
        Transition(
            "start_preliminary",
            _("예선 심사 시작"),
            {S.ENTRIES},
            S.PRELIMINARY,
            roles={ORGANISER},
            guards=[_has_entries],
        ),
        Transition(
            "select_finalists",
            _("본선 진출작 확정"),
            {S.PRELIMINARY},
            S.FINAL,
            roles={ORGANISER},
            guards=[_has_finalists],
        ),
        Transition("open_vote", _("국민 투표 시작"), {S.FINAL}, S.VOTING, roles={ORGANISER}, guards=[_vote_period]),
        Transition("close_vote", _("국민 투표 마감"), {S.VOTING}, S.CLOSED, roles={ORGANISER}),
        Transition("publish", _("결과 발표"), {S.CLOSED}, S.PUBLISHED, roles={ORGANISER}, guards=[_has_grades]),
    ],
)


def contest_roles(actor: Actor, contest: Contest) -> frozenset[str]:
    if actor.institution_id is None or actor.institution_id != contest.institution_id:
        return frozenset()
    return frozenset({ORGANISER}) if is_organiser(actor) else frozenset()
