"""The presumption lookup as the case shows it (DOMAIN.md §5-§7): for each official, whether
a followed opinion or advice presumes "no intent or gross negligence", and why not."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from core import audit
from core.access import actor_for
from core.errors import DomainError
from exemptions.lookup import checklist, presumption_lookup
from exemptions.models import Criterion, Presumption, Rebuttal
from exemptions.presumptions import presumption_set_exception
from exemptions.services.decisions import exemption_rebut, exemption_record_findings
from exemptions.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(cast):  # type: ignore[no-untyped-def]
    return f.work_item(cast)


def _case(cast, item, people=None):  # type: ignore[no-untyped-def]
    return f.reviewing(cast, officials=people or [cast.official.person], work_item=item)


def test_a_followed_opinion_counts_and_presumes_the_third_condition(cast, item) -> None:  # type: ignore[no-untyped-def]
    f.presumption(cast, cast.official.person, item)
    case = _case(cast, item)
    lookup = presumption_lookup(case)
    assert lookup.counts_for_all
    assert lookup.officials[0].why_not() == []
    assert checklist(case.findings.all(), lookup).no_intent_state == "presumed"


def test_an_opinion_followed_only_partly_does_not_count(cast, item) -> None:  # type: ignore[no-untyped-def]
    f.presumption(cast, cast.official.person, item, followed=Presumption.Followed.PARTLY)
    lookup = presumption_lookup(_case(cast, item))
    assert not lookup.counts_for_any
    assert lookup.officials[0].why_not() == ["의견을 일부만 이행함"]


def test_a_recorded_private_interest_defeats_the_presumption(cast, item) -> None:  # type: ignore[no-untyped-def]
    p = f.presumption(cast, cast.official.person, item)
    presumption_set_exception(
        actor=actor_for(cast.aa_officer),
        presumption=p,
        private_interest=True,
        insufficient_information=False,
        reason="신청인의 친척",
    )
    lookup = presumption_lookup(_case(cast, item))
    assert lookup.officials[0].why_not() == ["사적 이해관계가 있었음"]


def test_two_officials_where_only_one_had_a_private_interest(cast, item) -> None:  # type: ignore[no-untyped-def]
    source = f.work_item(cast)
    f.presumption(cast, cast.official.person, item, source=source)
    tainted = f.presumption(cast, cast.official2.person, item, source=source)
    presumption_set_exception(
        actor=actor_for(cast.aa_officer),
        presumption=tainted,
        private_interest=True,
        insufficient_information=False,
        reason="배우자 소유 토지",
    )
    case = _case(cast, item, [cast.official.person, cast.official2.person])
    by_name = {o.person.name: o for o in presumption_lookup(case).officials}
    assert by_name["official"].counts
    assert not by_name["official2"].counts
    assert by_name["official2"].why_not() == ["사적 이해관계가 있었음"]
    lookup = presumption_lookup(case)
    assert lookup.counts_for_any
    assert not lookup.counts_for_all
    # not presumed for the case as a whole: the decider records the third condition
    assert checklist(case.findings.all(), lookup).no_intent_state == "unknown"


def test_advice_given_after_the_act_does_not_count(cast, item) -> None:  # type: ignore[no-untyped-def]
    f.presumption(
        cast,
        cast.official.person,
        item,
        kind=Presumption.Source.COMMITTEE_ADVICE,
        advice_given_on=datetime.date(2026, 3, 1),
        acted_on=datetime.date(2026, 2, 1),
    )
    lookup = presumption_lookup(_case(cast, item))
    assert lookup.officials[0].why_not() == ["처리 후에 받은 의견·자문임"]


def test_an_official_without_any_opinion_is_told_so(cast, item) -> None:  # type: ignore[no-untyped-def]
    lookup = presumption_lookup(_case(cast, item))
    assert lookup.officials[0].why_not() == ["이 행위에 관해 이행한 사전컨설팅 의견이나 위원회 자문이 없음"]


def test_opinions_on_another_register_entry_are_not_shown(cast, item) -> None:  # type: ignore[no-untyped-def]
    f.presumption(cast, cast.official.person, f.work_item(cast))
    assert presumption_lookup(_case(cast, item)).rows == []


def test_the_lookup_costs_two_queries_whatever_the_number_of_officials(cast, item, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    source = f.work_item(cast)
    people = [cast.official.person, cast.official2.person, cast.dept_head.person]
    for person in people:
        f.presumption(cast, person, item, source=source)
    case = _case(cast, item, people)
    officials = list(people)
    with django_assert_num_queries(2):
        lookup = presumption_lookup(case, officials)
    assert len(lookup.rows) == 3


class TestRebuttal:
    def test_a_rebuttal_needs_its_reason(self, cast, item) -> None:  # type: ignore[no-untyped-def]
        p = f.presumption(cast, cast.official.person, item)
        case = _case(cast, item)
        with pytest.raises(DomainError) as refused:
            exemption_rebut(actor=actor_for(cast.aa_officer), case=case, presumption_id=p.pk, reason="  ")
        assert refused.value.field == "reason"
        assert not Rebuttal.objects.exists()

    def test_a_rebutted_presumption_no_longer_counts_and_the_case_says_why(self, cast, item) -> None:  # type: ignore[no-untyped-def]
        p = f.presumption(cast, cast.official.person, item)
        case = _case(cast, item)
        exemption_rebut(actor=actor_for(cast.aa_officer), case=case, presumption_id=p.pk, reason="의견과 다르게 처리")
        lookup = presumption_lookup(case)
        assert not lookup.counts_for_any
        assert lookup.officials[0].why_not() == ["결정권자가 번복함: 의견과 다르게 처리"]
        entry = audit.timeline(case).last()
        assert entry is not None
        assert (entry.action, entry.reason) == ("exemption.presumption_rebutted", "의견과 다르게 처리")

    def test_a_presumption_that_does_not_hold_cannot_be_rebutted(self, cast, item) -> None:  # type: ignore[no-untyped-def]
        p = f.presumption(cast, cast.official.person, item, followed=Presumption.Followed.NOT_FOLLOWED)
        with pytest.raises(DomainError, match="이미 성립하지 않아"):
            exemption_rebut(actor=actor_for(cast.aa_officer), case=_case(cast, item), presumption_id=p.pk, reason="x")

    def test_a_presumption_of_another_case_cannot_be_rebutted_here(self, cast, item) -> None:  # type: ignore[no-untyped-def]
        p = f.presumption(cast, cast.official2.person, item)
        with pytest.raises(DomainError, match="추정이 아닙니다"):
            exemption_rebut(actor=actor_for(cast.aa_officer), case=_case(cast, item), presumption_id=p.pk, reason="x")

    def test_only_the_decider_rebuts(self, cast, item) -> None:  # type: ignore[no-untyped-def]
        from exemptions.models import ExemptionCase

        p = f.presumption(cast, cast.official.person, item)
        case = f.reviewing(
            cast, officials=[cast.official.person], work_item=item, stage=ExemptionCase.Stage.DISCIPLINARY
        )
        with pytest.raises(DomainError, match="권한"):
            exemption_rebut(actor=actor_for(cast.audit_staff), case=case, presumption_id=p.pk, reason="x")


class TestThirdCondition:
    def test_it_cannot_be_found_missing_while_a_presumption_counts(self, cast, item) -> None:  # type: ignore[no-untyped-def]
        f.presumption(cast, cast.official.person, item)
        case = _case(cast, item)
        with pytest.raises(DomainError, match="번복") as refused:
            exemption_record_findings(
                actor=actor_for(cast.audit_staff), case=case, answers={Criterion.NO_INTENT: ("no", "중과실")}
            )
        assert refused.value.field == "no_intent_answer"

    def test_after_a_rebuttal_it_can_be_found_missing(self, cast, item) -> None:  # type: ignore[no-untyped-def]
        p = f.presumption(cast, cast.official.person, item)
        case = _case(cast, item)
        exemption_rebut(actor=actor_for(cast.aa_officer), case=case, presumption_id=p.pk, reason="허위 자료 제출")
        exemption_record_findings(
            actor=actor_for(cast.audit_staff), case=case, answers={Criterion.NO_INTENT: ("no", "중과실")}
        )
        assert checklist(case.findings.all(), presumption_lookup(case)).no_intent_state == "no"

    def test_no_private_interest_and_no_serious_defect_presume_it(self, cast, item) -> None:  # type: ignore[no-untyped-def]
        case = _case(cast, item)
        exemption_record_findings(
            actor=actor_for(cast.audit_staff),
            case=case,
            answers={
                Criterion.NO_PRIVATE_INTEREST: ("yes", "이해관계 없음"),
                Criterion.NO_PROCEDURAL_DEFECT: ("yes", "결재 완료"),
            },
        )
        state = checklist(case.findings.all(), presumption_lookup(case))
        assert state.no_intent_state == "presumed"
        assert state.presumed_by_facts
        assert not state.presumed_by_advice


def test_the_case_page_shows_each_official_and_why_not(client_for, cast, item) -> None:  # type: ignore[no-untyped-def]
    source = f.work_item(cast)
    f.presumption(cast, cast.official.person, item, source=source, reference="감사담당관-2026-0007")
    tainted = f.presumption(cast, cast.official2.person, item, source=source, reference="감사담당관-2026-0007")
    presumption_set_exception(
        actor=actor_for(cast.aa_officer),
        presumption=tainted,
        private_interest=True,
        insufficient_information=False,
        reason="배우자 소유",
    )
    case = _case(cast, item, [cast.official.person, cast.official2.person])
    page = client_for("aa_officer").get(reverse("exemptions:detail", kwargs={"pk": case.pk})).content.decode()
    assert "추정 인정" in page
    assert "사적 이해관계가 있었음" in page
    assert "감사담당관-2026-0007" in page
    assert reverse("exemptions:rebut", kwargs={"pk": case.pk, "presumption_pk": tainted.pk}) not in page
