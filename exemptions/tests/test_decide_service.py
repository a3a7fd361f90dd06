"""Deciding: every required finding first, a decision consistent with them, reasons, a
decision number, the officials notified, and a closed case that stays closed."""

from __future__ import annotations

import pytest

from core.access import actor_for
from core.errors import DomainError, TransitionNotAllowed
from core.models import Notification
from exemptions.models import Criterion, ExemptionCase
from exemptions.services.decisions import exemption_decide, exemption_record_findings
from exemptions.tests import factories as f

pytestmark = pytest.mark.django_db
D = ExemptionCase.Decision


def _decide(cast, case, decision=D.FULL, reasons="요건 충족", who="aa_officer"):  # type: ignore[no-untyped-def]
    return exemption_decide(actor=actor_for(cast.users[who]), case=case, decision=decision, reasons=reasons)


def _record(cast, case, answers):  # type: ignore[no-untyped-def]
    return exemption_record_findings(actor=actor_for(cast.audit_staff), case=case, answers=answers)


def test_a_decision_is_refused_while_a_required_finding_is_missing(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.reviewing(cast)
    _record(cast, case, {k: v for k, v in f.ALL_MET.items() if k != Criterion.EXCL_LEAK})
    with pytest.raises(TransitionNotAllowed, match="비밀 누설"):
        _decide(cast, case)
    case.refresh_from_db()
    assert case.status == ExemptionCase.Status.UNDER_REVIEW
    assert case.decision_number is None


def test_the_third_condition_is_not_required_when_presumed(cast) -> None:  # type: ignore[no-untyped-def]
    item = f.work_item(cast)
    f.presumption(cast, cast.official.person, item)
    case = f.reviewing(cast, work_item=item)
    _record(cast, case, {k: v for k, v in f.ALL_MET.items() if k != Criterion.NO_INTENT})
    assert _decide(cast, case).decision == D.FULL


def test_a_full_exemption_needs_all_three_conditions(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.reviewing(cast)
    _record(cast, case, {**f.ALL_MET, Criterion.ACTIVE_EFFORT: ("no", "통상 업무")})
    with pytest.raises(TransitionNotAllowed, match="세 가지"):
        _decide(cast, case)
    assert _decide(cast, case, D.MITIGATION).decision == D.MITIGATION


@pytest.mark.parametrize("decision", [D.FULL, D.MITIGATION])
def test_an_exclusion_refuses_exemption_and_mitigation(cast, decision) -> None:  # type: ignore[no-untyped-def]
    case = f.reviewing(cast)
    _record(cast, case, {**f.ALL_MET, Criterion.EXCL_BRIBERY: ("yes", "금품 수수 확인")})
    with pytest.raises(TransitionNotAllowed, match="제외 사유"):
        _decide(cast, case, decision)


def test_an_exclusion_still_allows_a_rejection(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.reviewing(cast)
    _record(cast, case, {**f.ALL_MET, Criterion.EXCL_BRIBERY: ("yes", "금품 수수 확인")})
    assert _decide(cast, case, D.REJECTION).decision == D.REJECTION


def test_a_decision_needs_reasons(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.reviewing(cast)
    _record(cast, case, f.ALL_MET)
    with pytest.raises(TransitionNotAllowed) as refused:
        _decide(cast, case, reasons=" ")
    assert refused.value.field == "reason"


def test_an_unknown_decision_is_refused_by_field(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.reviewing(cast)
    with pytest.raises(DomainError) as refused:
        _decide(cast, case, "pardon")
    assert refused.value.field == "decision"


def test_a_finding_needs_its_evidence(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.reviewing(cast)
    with pytest.raises(DomainError) as refused:
        _record(cast, case, {Criterion.PUBLIC_INTEREST: ("yes", "")})
    assert refused.value.field == "public_interest_evidence"


def test_findings_are_recorded_only_under_review(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="검토를 시작한 뒤"):
        _record(cast, f.opened(cast), f.ALL_MET)


def test_the_decision_is_numbered_audited_and_notified_to_officials_with_accounts(cast) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import PersonFactory

    no_account = PersonFactory(institution=cast.district, unit=cast.building)
    case = f.decided(cast, officials=[cast.official.person, cast.official2.person, no_account])
    assert case.decision_number == 1
    assert case.decision_reference == f"면책결정-{case.decided_on.year}-0001"
    notified = set(
        Notification.objects.filter(title__contains=case.reference).values_list("recipient__username", flat=True)
    )
    assert notified == {"official", "official2"}


def test_the_audit_staff_cannot_decide_at_the_disciplinary_stage(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.reviewing(cast, stage=ExemptionCase.Stage.DISCIPLINARY)
    _record(cast, case, f.ALL_MET)
    with pytest.raises(TransitionNotAllowed, match="권한"):
        _decide(cast, case, who="audit_staff")
    assert _decide(cast, case, who="aa_officer").status == ExemptionCase.Status.DECIDED


def test_a_decided_case_cannot_be_decided_again_nor_its_findings_changed(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.decided(cast)
    with pytest.raises(TransitionNotAllowed):
        _decide(cast, case, D.REJECTION)
    with pytest.raises(DomainError, match="고칠 수 없습니다"):
        _record(cast, case, {Criterion.PUBLIC_INTEREST: ("no", "번복")})
    case.refresh_from_db()
    assert case.decision == D.FULL
