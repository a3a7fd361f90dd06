"""Filing, editing, deciding, closing and withdrawing support requests: who may, the rules of
retired officials and criminal costs, clear errors for bad amounts, audit and notifications."""

from __future__ import annotations

import datetime

import pytest

from core.access import actor_for
from core.errors import DomainError, TransitionNotAllowed
from core.models import AuditEntry, Notification
from institutions.models import Person
from protection import services
from protection.models import SupportRequest
from tests.factories import PersonFactory, WorkItemFactory

from .factories import approved, file, officer, pay, reviewed

pytestmark = pytest.mark.django_db
K = SupportRequest.Kind


def actions(case: SupportRequest) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type="protection.supportrequest", target_id=str(case.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_official_files_for_themself_with_a_number_and_the_officers_are_told(cast) -> None:
    case = file(cast)
    assert (case.reference, case.status, case.person, case.filed_by) == (
        "보호지원-2026-0001",
        SupportRequest.Status.FILED,
        cast.official.person,
        cast.official,
    )
    assert file(cast).reference == "보호지원-2026-0002"
    assert actions(case) == ["protection.filed"]
    told = Notification.objects.filter(recipient=cast.protection_officer)
    assert told.count() == 2
    assert "보호지원-2026-0001" in told.order_by("pk").first().title


def test_officer_files_for_a_retired_official_without_an_account(cast) -> None:
    retired = PersonFactory(
        institution=cast.district, status=Person.Status.RETIRED, retired_on=datetime.date(2026, 1, 31)
    )
    case = file(cast, "protection_officer", person=retired, act_date=datetime.date(2025, 11, 3))
    assert case.person == retired
    assert case.filed_by == cast.protection_officer


@pytest.mark.parametrize("act_date", [datetime.date(2026, 1, 31), datetime.date(2026, 2, 1)])
def test_retired_official_is_not_supported_for_an_act_on_or_after_retirement(cast, act_date) -> None:
    retired = PersonFactory(
        institution=cast.district, status=Person.Status.RETIRED, retired_on=datetime.date(2026, 1, 31)
    )
    with pytest.raises(DomainError, match="재직 중의 행위만") as error:
        file(cast, "protection_officer", person=retired, act_date=act_date)
    assert error.value.field == "act_date"
    assert not SupportRequest.objects.exists()


def test_retired_official_without_a_retirement_date_is_refused_clearly(cast) -> None:
    retired = PersonFactory(institution=cast.district, status=Person.Status.RETIRED, retired_on=None)
    with pytest.raises(DomainError, match="퇴직일이 기록되어 있지 않습니다"):
        file(cast, "protection_officer", person=retired)


def test_an_official_cannot_file_for_someone_else(cast) -> None:
    with pytest.raises(DomainError, match="보호관만") as error:
        file(cast, "official", person=cast.official2.person)
    assert error.value.field == "person"


@pytest.mark.parametrize("who", ["official_b", "aa_officer_b"])
def test_another_institution_cannot_file_for_our_people(cast, who) -> None:
    with pytest.raises(DomainError, match="이 기관의 직원"):
        file(cast, who, person=cast.official.person)


def test_a_user_without_a_staff_role_cannot_file(cast) -> None:
    with pytest.raises(DomainError, match="권한이 없습니다"):
        file(cast, "no_role")


def test_work_item_of_another_institution_is_refused(cast) -> None:
    item = WorkItemFactory(institution=cast.other)
    with pytest.raises(DomainError, match="이 기관의 업무") as error:
        file(cast, work_item=item)
    assert error.value.field == "work_item"


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        (None, "신청 금액을 입력해"),
        ("", "신청 금액을 입력해"),
        (0, "0원보다 커야"),
        (-5, "0원보다 커야"),
        ("-1,000", "0원보다 커야"),
        ("abc", r"숫자\(원 단위\)로"),
        ("1.5e3", r"숫자\(원 단위\)로"),
        (1.5, "정수로"),
        (10_000_000_001, "너무 큽니다"),
        ("99999999999999999999999", "너무 큽니다"),
    ],
)
def test_bad_amounts_give_clear_errors_and_save_nothing(cast, amount, message) -> None:
    with pytest.raises(DomainError, match=message) as error:
        file(cast, amount_requested=amount)
    assert error.value.field == "amount_requested"
    assert not SupportRequest.objects.exists()


def test_amount_typed_with_separators_and_won_is_read(cast) -> None:
    assert file(cast, amount_requested="5,500,000원").amount_requested == 5_500_000


@pytest.mark.parametrize("kind", [K.LEGAL_ADVICE, K.INVESTIGATOR_OPINION])
def test_kinds_without_money_take_no_amount(cast, kind) -> None:
    with pytest.raises(DomainError, match="금액이 없습니다"):
        file(cast, kind=kind, amount_requested=1000)
    case = file(cast, kind=kind, amount_requested=None)
    assert case.amount_requested is None
    assert not case.has_money


def test_criminal_costs_need_the_final_acquittal_recorded(cast) -> None:
    for missing, field in [
        ({"acquittal_final_on": None}, "acquittal_final_on"),
        ({"acquittal_court": ""}, "acquittal_court"),
        ({"acquittal_case_number": ""}, "acquittal_case_number"),
        ({"acquittal_final_on": datetime.date(2026, 7, 1)}, "acquittal_final_on"),
        ({"acquittal_final_on": datetime.date(2026, 1, 1)}, "acquittal_final_on"),  # before the act
    ]:
        values = {
            "kind": K.CRIMINAL_COSTS,
            "acquittal_final_on": datetime.date(2026, 5, 20),
            "acquittal_court": "한빛지방법원",
            "acquittal_case_number": "2026고단77",
            **missing,
        }
        with pytest.raises(DomainError) as error:
            file(cast, **values)
        assert error.value.field == field, missing
    case = file(
        cast,
        kind=K.CRIMINAL_COSTS,
        acquittal_final_on=datetime.date(2026, 5, 20),
        acquittal_court="한빛지방법원",
        acquittal_case_number="2026고단77",
    )
    assert case.acquittal_case_number == "2026고단77"


def test_acquittal_fields_belong_to_criminal_costs_only(cast) -> None:
    with pytest.raises(DomainError, match="형사소송 비용 지원에만"):
        file(cast, acquittal_court="한빛지방법원")


def test_approval_guard_refuses_criminal_costs_whose_acquittal_was_removed(cast) -> None:
    case = reviewed(
        cast,
        kind=K.CRIMINAL_COSTS,
        acquittal_final_on=datetime.date(2026, 5, 20),
        acquittal_court="한빛지방법원",
        acquittal_case_number="2026고단77",
    )
    SupportRequest.objects.filter(pk=case.pk).update(acquittal_case_number="")
    with pytest.raises(TransitionNotAllowed, match="무죄 확정"):
        services.support_request_decide(actor=officer(cast), request=case, approve=True, amount_approved=1000)


def test_future_act_date_is_refused(cast) -> None:
    with pytest.raises(DomainError, match="오늘 이후") as error:
        file(cast, act_date=datetime.date(2026, 6, 16))
    assert error.value.field == "act_date"


def test_applicant_edits_while_filed_and_the_change_is_audited(cast) -> None:
    case = file(cast)
    services.support_request_update(
        actor=actor_for(cast.official),
        request=case,
        kind=K.CIVIL_COSTS,
        act_description="고친 내용",
        act_date=datetime.date(2026, 3, 3),
        amount_requested=2_000_000,
    )
    case.refresh_from_db()
    assert (case.act_description, case.amount_requested) == ("고친 내용", 2_000_000)
    entry = AuditEntry.objects.get(action="protection.updated")
    assert entry.changes["amount_requested"] == [10_000_000, 2_000_000]


def test_applicant_cannot_edit_once_under_review_but_the_officer_can(cast) -> None:
    case = reviewed(cast)
    kwargs = {
        "kind": K.CIVIL_COSTS,
        "act_description": "x",
        "act_date": datetime.date(2026, 3, 3),
        "amount_requested": 5,
    }
    with pytest.raises(DomainError, match="보호관만"):
        services.support_request_update(actor=actor_for(cast.official), request=case, **kwargs)
    services.support_request_update(actor=officer(cast), request=case, **kwargs)


def test_closed_case_cannot_be_edited(cast) -> None:
    case = approved(cast)
    services.support_request_close(actor=officer(cast), request=case, outcome="won")
    with pytest.raises(DomainError, match="종결된 건은 고칠 수 없습니다"):
        services.support_request_update(
            actor=officer(cast),
            request=case,
            kind=K.CIVIL_COSTS,
            act_description="x",
            act_date=datetime.date(2026, 3, 3),
            amount_requested=5,
        )
    with pytest.raises(TransitionNotAllowed):
        pay(cast, case, 1000)
    with pytest.raises(DomainError, match="종결되거나 취하된"):
        services.support_request_attach(actor=officer(cast), request=case, upload=None)  # type: ignore[arg-type]


def test_approval_notifies_the_applicant_and_records_the_amount(cast) -> None:
    case = approved(cast, amount=7_000_000)
    assert (case.status, case.amount_approved, case.decided_on) == ("approved", 7_000_000, datetime.date(2026, 6, 15))
    assert actions(case) == ["protection.filed", "protection.review", "protection.approve"]
    told = Notification.objects.get(recipient=cast.official)
    assert "지원 결정" in told.title
    assert "7,000,000원" in told.body


def test_approved_amount_cannot_pass_the_request_nor_the_per_case_limit(cast) -> None:
    case = reviewed(cast, amount_requested=40_000_000)
    with pytest.raises(DomainError, match="신청 금액") as error:
        services.support_request_decide(actor=officer(cast), request=case, approve=True, amount_approved=40_000_001)
    assert error.value.field == "amount_approved"
    with pytest.raises(DomainError, match="건당 지원 한도\\(30,000,000원\\)"):
        services.support_request_decide(actor=officer(cast), request=case, approve=True, amount_approved=30_000_001)
    with pytest.raises(DomainError, match="0원보다"):
        services.support_request_decide(actor=officer(cast), request=case, approve=True, amount_approved=0)
    case.refresh_from_db()
    assert case.status == "under_review"


def test_approval_without_money_takes_no_amount(cast) -> None:
    case = reviewed(cast, kind=K.LEGAL_ADVICE, amount_requested=None)
    with pytest.raises(DomainError, match="결정 금액을 비워"):
        services.support_request_decide(actor=officer(cast), request=case, approve=True, amount_approved=100)
    case = services.support_request_decide(actor=officer(cast), request=case, approve=True)
    assert case.status == "approved"
    with pytest.raises(TransitionNotAllowed, match="금액이 없는 지원"):
        pay(cast, case, 100)
    services.support_request_close(actor=officer(cast), request=case, outcome="advice_given")


def test_rejection_needs_a_reason_and_tells_the_applicant(cast) -> None:
    case = file(cast)
    with pytest.raises(DomainError, match="사유를 입력") as error:
        services.support_request_decide(actor=officer(cast), request=case, approve=False, note="  ")
    assert error.value.field == "note"
    services.support_request_decide(actor=officer(cast), request=case, approve=False, note="사적 이해관계")
    case.refresh_from_db()
    assert (case.status, case.decision_note) == ("rejected", "사적 이해관계")
    assert "지원하지 않기로" in Notification.objects.get(recipient=cast.official).title


def test_the_applicant_cannot_decide_even_as_an_officer(cast) -> None:
    case = file(cast, "protection_officer")
    with pytest.raises(TransitionNotAllowed, match="권한이 없습니다"):
        services.support_request_review(actor=officer(cast), request=case)


def test_close_needs_an_outcome_from_the_list(cast) -> None:
    case = approved(cast)
    with pytest.raises(DomainError, match="결과를 목록에서") as error:
        services.support_request_close(actor=officer(cast), request=case, outcome="nonsense")
    assert error.value.field == "outcome"
    services.support_request_close(actor=officer(cast), request=case, outcome="won", outcome_text="원고 청구 기각")
    case.refresh_from_db()
    assert (case.status, case.outcome, case.closed_on) == ("closed", "won", datetime.date(2026, 6, 15))


def test_applicant_withdraws_before_the_decision_only(cast) -> None:
    case = file(cast)
    services.support_request_withdraw(actor=actor_for(cast.official), request=case)
    case.refresh_from_db()
    assert case.status == "withdrawn"
    decided = approved(cast)
    with pytest.raises(TransitionNotAllowed):
        services.support_request_withdraw(actor=actor_for(cast.official), request=decided)


def test_officer_withdraws_on_the_applicants_behalf_only_with_a_reason(cast) -> None:
    case = file(cast)
    with pytest.raises(DomainError, match="대신해 취하") as error:
        services.support_request_withdraw(actor=officer(cast), request=case)
    assert error.value.field == "reason"
    services.support_request_withdraw(actor=officer(cast), request=case, reason="전화로 취하 의사 확인")


def test_another_official_has_no_role_on_the_case(cast) -> None:
    case = file(cast)
    with pytest.raises(TransitionNotAllowed):
        services.support_request_withdraw(actor=actor_for(cast.official2), request=case)
    with pytest.raises(TransitionNotAllowed):
        services.support_request_review(actor=actor_for(cast.aa_officer_b), request=case)
