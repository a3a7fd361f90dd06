"""A disciplinary demand is recorded only after the exemption grounds were checked."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from core import audit
from core.access import actor_for
from core.errors import DomainError
from exemptions.models import DisciplinaryDemand, ExemptionCase
from exemptions.services.demands import disciplinary_demand_record
from exemptions.tests import factories as f

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 6, 1)


def _demand(cast, *, who="hr_officer", person=None, act="건축허가 변경 시 기준 완화", **kwargs):  # type: ignore[no-untyped-def]
    return disciplinary_demand_record(
        actor=actor_for(cast.users[who]),
        person=person or cast.official.person,
        act=act,
        matter_title="2026년 정기감사 징계",
        demanded_on=DAY,
        **kwargs,
    )


def test_refused_while_an_exemption_case_on_the_same_act_is_undecided(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.reviewing(cast, stage=ExemptionCase.Stage.DISCIPLINARY)
    with pytest.raises(DomainError, match=f"{case.reference}.*아직 결정되지 않았습니다"):
        _demand(cast, no_grounds_confirmed=True, note="없음")
    assert not DisciplinaryDemand.objects.exists()


def test_refused_while_undecided_also_when_matched_by_the_register_entry(cast) -> None:  # type: ignore[no-untyped-def]
    item = f.work_item(cast)
    f.opened(cast, work_item=item)
    with pytest.raises(DomainError, match="아직 결정되지 않았습니다"):
        _demand(cast, act="다르게 적은 행위", work_item=item, no_grounds_confirmed=True, note="없음")


def test_another_officials_open_case_does_not_block(cast) -> None:  # type: ignore[no-untyped-def]
    f.opened(cast, officials=[cast.official2.person])
    demand = _demand(cast, no_grounds_confirmed=True, note="면책 요건 검토: 공익성 없음")
    assert demand.exemption_case is None


def test_without_a_decided_case_the_recorder_confirms_no_grounds_with_a_note(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as refused:
        _demand(cast)
    assert refused.value.field == "note"
    with pytest.raises(DomainError):
        _demand(cast, no_grounds_confirmed=True, note=" ")
    with pytest.raises(DomainError):
        _demand(cast, note="확인함")
    demand = _demand(cast, no_grounds_confirmed=True, note="확인함")
    assert demand.exemption_check_note == "확인함"
    assert audit.timeline(demand).get().action == "exemption.demand_recorded"


def test_a_decided_mitigation_is_linked_as_the_check(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.decided(cast, decision=ExemptionCase.Decision.MITIGATION)
    assert _demand(cast).exemption_case == case


def test_a_full_exemption_refuses_the_demand(cast) -> None:  # type: ignore[no-untyped-def]
    f.decided(cast, decision=ExemptionCase.Decision.FULL)
    with pytest.raises(DomainError, match="전부 면책"):
        _demand(cast, no_grounds_confirmed=True, note="확인")


@pytest.mark.parametrize("who", ["official", "dept_head", "aa_officer_b"])
def test_only_hr_and_the_audit_side_record_demands(cast, who) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError):
        _demand(cast, who=who, no_grounds_confirmed=True, note="확인")


def test_the_form_shows_the_block_and_keeps_what_was_typed(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    f.opened(cast, stage=ExemptionCase.Stage.DISCIPLINARY)
    response = client_for("hr_officer").post(
        reverse("exemptions:demand_create"),
        {
            "person_number": cast.official.person.employee_number,
            "act": "건축허가 변경 시 기준 완화",
            "matter_title": "징계 사건",
            "demanded_on": "2026-06-01",
            "no_grounds_confirmed": "on",
            "note": "확인",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "아직 결정되지 않았습니다" in page
    assert 'value="징계 사건"' in page
    assert not DisciplinaryDemand.objects.exists()


def test_the_form_records_and_the_list_shows_it(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hr_officer")
    response = client.post(
        reverse("exemptions:demand_create"),
        {
            "person_number": cast.official.person.employee_number,
            "act": "무단 처리",
            "matter_title": "징계 사건",
            "demanded_on": "2026-06-01",
            "no_grounds_confirmed": "on",
            "note": "면책 요건 미충족 확인",
        },
    )
    assert response.status_code == 302
    assert "면책 요건 미충족 확인" in client.get(reverse("exemptions:demands")).content.decode()


def test_an_unknown_employee_number_is_an_error_by_its_field(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    response = client_for("hr_officer").post(
        reverse("exemptions:demand_create"),
        {"person_number": "NOPE", "act": "a", "matter_title": "b", "demanded_on": "2026-06-01"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["person_number"]


def test_the_demand_list_is_one_institutions(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    _demand(cast, no_grounds_confirmed=True, note="우리 기관 기록")
    assert "우리 기관 기록" not in client_for("aa_officer_b").get(reverse("exemptions:demands")).content.decode()
