"""The presumption lookup and the checklist of an exemption case (DOMAIN.md §5-§7).

`presumption_lookup(case)` answers, for every official the case names, whether a followed
pre-consultation opinion or committee advice presumes "no intent or gross negligence", and
if not, why not: the presumption's own exceptions (followed only partly, advice after the
act, a private interest, insufficient information) or the decider's rebuttal. Two queries,
whatever the number of officials and presumptions.

`evaluate(findings, lookup)` reads the checklist: which findings are still missing before a
decision, whether the third condition is presumed (by a presumption that counts for every
official, or by the two facts "no private interest" and "no serious procedural defect"),
and whether an exclusion applies.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from exemptions.models import (
    CONDITIONS,
    EXCLUSIONS,
    Criterion,
    ExemptionCase,
    Finding,
    Presumption,
    Rebuttal,
)
from exemptions.presumptions import presumptions_for
from institutions.models import Person

YES, NO, UNKNOWN = Finding.Answer.YES, Finding.Answer.NO, Finding.Answer.UNKNOWN


@dataclass
class PresumptionRow:
    presumption: Presumption
    rebuttal: Rebuttal | None = None

    @property
    def holds(self) -> bool:
        return self.presumption.holds

    @property
    def counts(self) -> bool:
        """It holds and the decider has not rebutted it."""
        return self.presumption.holds and self.rebuttal is None

    def why_not(self) -> list[str]:
        reasons = self.presumption.why_not()
        if self.rebuttal is not None:
            reasons.append(_("결정권자가 번복함: %(reason)s") % {"reason": self.rebuttal.reason})
        return reasons


@dataclass
class OfficialLookup:
    person: Person
    rows: list[PresumptionRow] = field(default_factory=list)

    @property
    def counts(self) -> bool:
        return any(row.counts for row in self.rows)

    def why_not(self) -> list[str]:
        """Why no presumption counts for this official (empty when one does)."""
        if self.counts:
            return []
        if not self.rows:
            return [_("이 행위에 관해 이행한 사전컨설팅 의견이나 위원회 자문이 없음")]
        reasons: list[str] = []
        for row in self.rows:
            for reason in row.why_not():
                if reason not in reasons:
                    reasons.append(reason)
        return reasons


@dataclass
class Lookup:
    officials: list[OfficialLookup]

    @property
    def rows(self) -> list[PresumptionRow]:
        return [row for official in self.officials for row in official.rows]

    @property
    def counts_for_all(self) -> bool:
        return bool(self.officials) and all(o.counts for o in self.officials)

    @property
    def counts_for_any(self) -> bool:
        return any(o.counts for o in self.officials)

    def row_for(self, presumption_id: int) -> PresumptionRow | None:
        return next((row for row in self.rows if row.presumption.pk == presumption_id), None)


def case_officials(case: ExemptionCase) -> list[Person]:
    return [row.person for row in case.official_rows.select_related("person").order_by("person__name", "person_id")]


def presumption_lookup(case: ExemptionCase, officials: list[Person] | None = None) -> Lookup:
    """Every presumption of the case's officials for the case's register entry, with the
    case's rebuttals (ADR 0010 §Presumption lookup)."""
    if officials is None:
        officials = case_officials(case)
    presumptions = list(
        presumptions_for(
            institution_id=case.institution_id,
            person_ids=[p.pk for p in officials],
            work_item_id=case.work_item_id,
        )
    )
    rebuttals = {r.presumption_id: r for r in Rebuttal.objects.filter(case=case)} if presumptions else {}
    by_person: dict[int, OfficialLookup] = {p.pk: OfficialLookup(p) for p in officials}
    for presumption in presumptions:
        by_person[presumption.person_id].rows.append(PresumptionRow(presumption, rebuttals.get(presumption.pk)))
    return Lookup(list(by_person.values()))


# --- The checklist ------------------------------------------------------------------------


@dataclass
class Checklist:
    answers: dict[str, str]
    lookup: Lookup

    @property
    def presumed_by_advice(self) -> bool:
        return self.lookup.counts_for_all

    @property
    def presumed_by_facts(self) -> bool:
        return self.answers.get(Criterion.NO_PRIVATE_INTEREST) == YES and (
            self.answers.get(Criterion.NO_PROCEDURAL_DEFECT) == YES
        )

    @property
    def no_intent_state(self) -> str:
        """How the third condition stands: "yes"/"no" as recorded, "presumed" when it is
        left open and presumed, "unknown" otherwise."""
        answer = self.answers.get(Criterion.NO_INTENT, UNKNOWN)
        if answer != UNKNOWN:
            return answer
        if self.presumed_by_advice or self.presumed_by_facts:
            return "presumed"
        return UNKNOWN

    def condition_met(self, criterion: str) -> bool:
        if criterion == Criterion.NO_INTENT:
            return self.no_intent_state in {YES, "presumed"}
        return self.answers.get(criterion) == YES

    @property
    def missing(self) -> list[str]:
        """The labels of the findings a decision still needs."""
        labels = dict(Criterion.choices)
        missing: list[str] = []
        for criterion in (*CONDITIONS, *EXCLUSIONS):
            if criterion == Criterion.NO_INTENT:
                if self.no_intent_state == UNKNOWN:
                    missing.append(str(labels[criterion]))
            elif self.answers.get(criterion, UNKNOWN) == UNKNOWN:
                missing.append(str(labels[criterion]))
        return missing

    @property
    def exclusions_applying(self) -> list[str]:
        labels = dict(Criterion.choices)
        return [str(labels[c]) for c in EXCLUSIONS if self.answers.get(c) == YES]

    @property
    def all_conditions_met(self) -> bool:
        return all(self.condition_met(c) for c in CONDITIONS)


def checklist(findings: Iterable[Finding] | Mapping[str, str], lookup: Lookup) -> Checklist:
    answers = dict(findings) if isinstance(findings, Mapping) else {f.criterion: f.answer for f in findings}
    return Checklist(answers, lookup)


def decision_problem(case: ExemptionCase) -> str | None:
    """The workflow's guard on "decide": every required finding recorded, and the decision
    consistent with them (no exemption or mitigation when an exclusion applies; a full
    exemption only when all three conditions are met or presumed)."""
    state = checklist(case.findings.all(), presumption_lookup(case))
    if state.missing:
        return _("다음 판단을 기록해야 결정할 수 있습니다: %(items)s") % {"items": "; ".join(state.missing)}
    decision = case.decision
    if decision in {ExemptionCase.Decision.FULL, ExemptionCase.Decision.MITIGATION} and state.exclusions_applying:
        return _("면책 제외 사유에 해당하여 면책하거나 감경할 수 없습니다: %(items)s") % {
            "items": "; ".join(state.exclusions_applying)
        }
    if decision == ExemptionCase.Decision.FULL and not state.all_conditions_met:
        return _("면책 요건 세 가지가 모두 인정되어야 전부 면책할 수 있습니다.")
    return None
