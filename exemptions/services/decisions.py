"""The decider's work on a case: findings, rebuttals of presumptions, the decision."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit
from core.access import Actor
from core.errors import DomainError
from core.notifications import notify
from core.numbering import document_reference, next_number
from exemptions.lookup import presumption_lookup
from exemptions.models import Criterion, ExemptionCase, Finding, Rebuttal
from exemptions.services.cases import _locked, _refuse_closed
from exemptions.services.common import clean_text, today
from exemptions.workflow import AUDITOR, DECIDER, EXEMPTION, case_roles

DECISION_SERIES = "exemption_decision"
DECISION_PREFIX = "면책결정"
MAX_EVIDENCE = 5000


def _refuse_unless_reviewing(case: ExemptionCase) -> None:
    _refuse_closed(case)
    if case.status != ExemptionCase.Status.UNDER_REVIEW:
        raise DomainError(_("검토를 시작한 뒤에 판단을 기록할 수 있습니다."))


def exemption_record_findings(
    *, actor: Actor, case: ExemptionCase, answers: Mapping[str, tuple[str, str]]
) -> dict[str, list[str]]:
    """Record the finding and its evidence for some or all criteria of the checklist
    ({criterion: (answer, evidence)}). A finding other than "unknown" needs its evidence.
    The third condition cannot be found missing while a presumption counts: the decider
    rebuts the presumption (with reasons) first. Returns the changes."""
    with transaction.atomic():
        current = _locked(case)
        _refuse_closed(current)
        if AUDITOR not in case_roles(actor, current):
            raise DomainError(_("판단을 기록할 권한이 없습니다."))
        _refuse_unless_reviewing(current)
        rows = {f.criterion: f for f in Finding.objects.select_for_update().filter(case=current)}
        changes: dict[str, list[str]] = {}
        for criterion, (answer, typed) in answers.items():
            if criterion not in rows:
                raise DomainError(_("알 수 없는 기준입니다: %(code)s") % {"code": criterion})
            if answer not in Finding.Answer.values:
                raise DomainError(_("예, 아니오, 미확인 가운데 하나를 골라 주십시오."), field=f"{criterion}_answer")
            evidence = clean_text(typed)
            if len(evidence) > MAX_EVIDENCE:
                raise DomainError(_("근거는 5,000자까지 적을 수 있습니다."), field=f"{criterion}_evidence")
            if answer != Finding.Answer.UNKNOWN and not evidence:
                raise DomainError(_("판단의 근거를 적어 주십시오."), field=f"{criterion}_evidence")
            if criterion == Criterion.NO_INTENT and answer == Finding.Answer.NO:
                lookup = presumption_lookup(current)
                if lookup.counts_for_any:
                    raise DomainError(
                        _(
                            "사전컨설팅 의견이나 위원회 자문을 이행한 공무원은 고의·중과실이 없는 것으로 "
                            "추정됩니다. 추정을 번복하려면 먼저 추정 목록에서 사유를 적어 번복해 주십시오."
                        ),
                        field=f"{criterion}_answer",
                    )
            row = rows[criterion]
            if (row.answer, row.evidence) != (answer, evidence):
                changes[criterion] = [row.answer, answer]
                row.answer, row.evidence = answer, evidence
                row.save(update_fields=["answer", "evidence"])
        if changes:
            audit.record(actor=actor, action="exemption.findings_recorded", target=current, changes=changes)
    return changes


def exemption_rebut(*, actor: Actor, case: ExemptionCase, presumption_id: int, reason: str) -> Rebuttal:
    """The decider sets aside a presumption that holds, for this case, with reasons."""
    reason = clean_text(reason)
    with transaction.atomic():
        current = _locked(case)
        _refuse_closed(current)
        if DECIDER not in case_roles(actor, current):
            raise DomainError(_("추정을 번복할 권한이 없습니다."))
        _refuse_unless_reviewing(current)
        row = presumption_lookup(current).row_for(presumption_id)
        if row is None:
            raise DomainError(_("이 건의 대상 공무원과 행위에 관한 추정이 아닙니다."))
        if row.rebuttal is not None:
            raise DomainError(_("이미 번복한 추정입니다."))
        if not row.holds:
            raise DomainError(
                _("이 추정은 이미 성립하지 않아 번복할 필요가 없습니다(%(why)s).") % {"why": ", ".join(row.why_not())}
            )
        if not reason:
            raise DomainError(_("추정을 번복하는 사유를 적어 주십시오."), field="reason")
        rebuttal = Rebuttal.objects.create(
            case=current, presumption=row.presumption, reason=reason, recorded_by=actor.user
        )
        audit.record(
            actor=actor,
            action="exemption.presumption_rebutted",
            target=current,
            changes={
                "presumption": row.presumption.source_reference or row.presumption.pk,
                "person": str(row.presumption.person),
            },
            reason=reason,
        )
    return rebuttal


def exemption_decide(*, actor: Actor, case: ExemptionCase, decision: str, reasons: str) -> ExemptionCase:
    """Decide: full exemption, mitigation or rejection, with reasons. Issues the decision
    number and notifies the officials who have an account."""
    reasons = clean_text(reasons)
    if decision not in ExemptionCase.Decision.values:
        raise DomainError(_("전부 면책, 감경, 불인정 가운데 하나를 골라 주십시오."), field="decision")
    with transaction.atomic():
        current = _locked(case)
        roles = case_roles(actor, current)
        current.decision = decision
        EXEMPTION.check(current, "decide", roles, reasons)  # before a number is taken
        decided_on = today()
        number = next_number(institution_id=current.institution_id, series=DECISION_SERIES, year=decided_on.year)
        current.reasons = reasons
        current.decided_on = decided_on
        current.decision_number = number
        current.decision_reference = document_reference(prefix=DECISION_PREFIX, year=decided_on.year, number=number)
        EXEMPTION.apply(
            current,
            "decide",
            actor=actor,
            roles=roles,
            reason=reasons,
            changes={"decision": decision, "decision_reference": current.decision_reference},
            update_fields=["decision", "reasons", "decided_on", "decision_number", "decision_reference"],
        )
        person_ids = list(current.official_rows.values_list("person_id", flat=True))
        notify(
            recipients=User.objects.filter(person_id__in=person_ids, is_active=True),
            title=_("면책 결정 통지: %(reference)s") % {"reference": current.reference},
            body=_("%(act)s에 대한 면책 신청이 '%(decision)s'(으)로 결정되었습니다. 결정서를 내려받을 수 있습니다.")
            % {"act": current.act, "decision": current.get_decision_display()},
            url=current.get_absolute_url(),
            institution=current.institution,
        )
    return current
