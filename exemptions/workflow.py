"""The exemption case's states and transitions (ADR 0010), declared once.

    filed (an official's application) ─┐
    opened (the audit unit's own case) ─┴─ review ─> under_review ─ decide ─> decided
    filed / under_review ─ withdraw (the applicant) ─> withdrawn

The roles are the actor's roles *for one case* (`case_roles`):
- AUDITOR: the audit side (적극행정 책임관, 감사부서 직원) at either stage - reviews,
  records findings and rebuttals.
- DECIDER: who decides - the audit side at the audit stage; at the disciplinary stage the
  적극행정 책임관 (AA officer) only.
- APPLICANT: the official who filed the application (withdraws it, adds evidence while it
  is filed).
- VIEWER: anyone else who may see the case (a named official, an HR officer at the
  disciplinary stage); no transition.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.access import Actor
from core.roles import AUDIT_ROLES, Role
from core.workflow import Transition, Workflow
from exemptions.lookup import decision_problem
from exemptions.models import ExemptionCase

Status = ExemptionCase.Status

AUDITOR = "auditor"
DECIDER = "decider"
APPLICANT = "applicant"
VIEWER = "viewer"
CASE_ROLES = (AUDITOR, DECIDER, APPLICANT, VIEWER)

EXEMPTION = Workflow(
    "exemption",
    Status,
    [
        Transition("review", _("검토 시작"), {Status.FILED, Status.OPENED}, Status.UNDER_REVIEW, roles={AUDITOR}),
        Transition(
            "decide",
            _("면책 결정"),
            {Status.UNDER_REVIEW},
            Status.DECIDED,
            roles={DECIDER},
            requires_reason=True,
            guards=[decision_problem],
        ),
        Transition(
            "withdraw", _("신청 취하"), {Status.FILED, Status.UNDER_REVIEW}, Status.WITHDRAWN, roles={APPLICANT}
        ),
    ],
)


def case_roles(actor: Actor, case: ExemptionCase, official_ids: set[int] | None = None) -> frozenset[str]:
    """The actor's roles for this case (empty for another institution)."""
    if actor.institution_id is None or case.institution_id != actor.institution_id:
        return frozenset()
    found: set[str] = set()
    person_id = actor.person_id
    if actor.has(*AUDIT_ROLES):
        if official_ids is None and person_id is not None:
            official_ids = set(case.official_rows.values_list("person_id", flat=True))
        # Nobody reviews or decides a case about their own act (a colleague of the audit side does).
        if person_id is None or official_ids is None or person_id not in official_ids:
            found.add(AUDITOR)
            if case.stage == ExemptionCase.Stage.AUDIT or actor.has(Role.AA_OFFICER):
                found.add(DECIDER)
    if (
        person_id is not None
        and case.origin == ExemptionCase.Origin.APPLICATION
        and case.applicant_id == person_id
        and actor.has(Role.OFFICIAL)
    ):
        found.add(APPLICANT)
    if not found:
        if official_ids is None:
            official_ids = set(case.official_rows.values_list("person_id", flat=True))
        if (person_id is not None and person_id in official_ids) or (
            actor.has(Role.HR_OFFICER) and case.stage == ExemptionCase.Stage.DISCIPLINARY
        ):
            found.add(VIEWER)
    return frozenset(found)


def may_edit(roles: frozenset[str], case: ExemptionCase) -> bool:
    """Who may change the case's details and add evidence: the audit side while it is open,
    the applicant while it is filed (not yet under review)."""
    if not case.is_open:
        return False
    return AUDITOR in roles or (APPLICANT in roles and case.status == Status.FILED)
