"""Payments: within the approved amount, the per-case limit and the yearly limit (per
official, calendar year of the payment date), with clear errors; the request becomes
"partly paid" and then "paid"; the headroom shown on the page."""

from __future__ import annotations

import datetime

import pytest

from core.access import actor_for
from core.errors import DomainError, TransitionNotAllowed
from core.models import AuditEntry
from institutions.models import Policy
from protection import services
from protection.models import SupportPayment

from .factories import approved, file, officer, pay

pytestmark = pytest.mark.django_db


def set_limits(cast, *, per_case: int, yearly: int) -> None:
    Policy.objects.filter(institution=cast.district).update(
        support_per_case_limit=per_case, support_yearly_limit=yearly
    )


def test_payments_move_the_request_to_partly_paid_then_paid(cast) -> None:
    case = approved(cast, amount=5_000_000)
    pay(cast, case, 2_000_000)
    case.refresh_from_db()
    assert (case.status, case.amount_paid) == ("partly_paid", 2_000_000)
    pay(cast, case, 3_000_000)
    case.refresh_from_db()
    assert (case.status, case.amount_paid) == ("paid", 5_000_000)
    entry = AuditEntry.objects.filter(action="protection.pay_in_full").get()
    assert entry.changes["payment"]["amount"] == 3_000_000
    assert entry.changes["amount_paid"] == [2_000_000, 5_000_000]


def test_payment_cannot_pass_what_is_left_of_the_approved_amount(cast) -> None:
    case = approved(cast, amount=5_000_000)
    pay(cast, case, 4_000_000)
    with pytest.raises(DomainError, match="결정 금액의 남은 금액\\(1,000,000원\\)") as error:
        pay(cast, case, 1_000_001)
    assert error.value.field == "amount"
    assert SupportPayment.objects.count() == 1


def test_per_case_limit_lowered_after_approval_still_holds_and_completes_the_case(cast) -> None:
    case = approved(cast, amount=10_000_000)
    set_limits(cast, per_case=6_000_000, yearly=50_000_000)
    with pytest.raises(DomainError, match="건당 지원 한도\\(6,000,000원\\)") as error:
        pay(cast, case, 6_000_001)
    assert "6,000,000원입니다" in str(error.value.message)
    pay(cast, case, 6_000_000)
    case.refresh_from_db()
    assert case.status == "paid"  # nothing more may be paid on it


def test_yearly_limit_counts_every_request_of_the_official_in_the_calendar_year_of_payment(cast) -> None:
    set_limits(cast, per_case=30_000_000, yearly=12_000_000)
    first = approved(cast, amount=10_000_000)
    second = approved(cast, amount=10_000_000)
    pay(cast, first, 10_000_000)
    with pytest.raises(DomainError, match="연간 지원 한도\\(12,000,000원\\)") as error:
        pay(cast, second, 2_000_001)
    assert "2026년에 더 지급할 수 있는 금액은 2,000,000원" in str(error.value.message)
    pay(cast, second, 2_000_000)
    assert services.paid_in_year(cast.official.person.pk, 2026) == 12_000_000


def test_yearly_limit_starts_again_with_the_payment_year(cast) -> None:
    set_limits(cast, per_case=30_000_000, yearly=5_000_000)
    case = approved(cast, amount=10_000_000)
    case.decided_on = datetime.date(2025, 12, 1)
    case.save(update_fields=["decided_on"])
    pay(cast, case, 5_000_000, paid_on=datetime.date(2025, 12, 30))
    pay(cast, case, 5_000_000, paid_on=datetime.date(2026, 1, 5))
    assert services.paid_in_year(cast.official.person.pk, 2025) == 5_000_000
    assert services.paid_in_year(cast.official.person.pk, 2026) == 5_000_000


def test_other_officials_payments_do_not_count(cast) -> None:
    set_limits(cast, per_case=30_000_000, yearly=5_000_000)
    mine = approved(cast, amount=5_000_000)
    theirs = services.support_request_decide(
        actor=officer(cast),
        request=services.support_request_review(actor=officer(cast), request=file(cast, "official2")),
        approve=True,
        amount_approved=5_000_000,
    )
    pay(cast, mine, 5_000_000)
    pay(cast, theirs, 5_000_000)


@pytest.mark.parametrize(
    ("amount", "message"),
    [(0, "0원보다"), (-1, "0원보다"), ("x", "숫자"), (None, "입력해"), (10**12, "너무 큽니다")],
)
def test_bad_payment_amounts_are_refused_clearly(cast, amount, message) -> None:
    case = approved(cast)
    with pytest.raises(DomainError, match=message) as error:
        pay(cast, case, amount)
    assert error.value.field == "amount"
    assert not SupportPayment.objects.exists()


def test_payment_date_cannot_be_in_the_future_or_before_the_decision(cast) -> None:
    case = approved(cast)
    with pytest.raises(DomainError, match="오늘 이후") as error:
        pay(cast, case, 1000, paid_on=datetime.date(2026, 6, 16))
    assert error.value.field == "paid_on"
    with pytest.raises(DomainError, match="결정일"):
        pay(cast, case, 1000, paid_on=datetime.date(2026, 6, 14))


def test_payee_is_required(cast) -> None:
    case = approved(cast)
    with pytest.raises(DomainError, match="받는 이") as error:
        services.support_payment_add(
            actor=officer(cast), request=case, paid_on=datetime.date(2026, 6, 15), amount=1000, payee=" "
        )
    assert error.value.field == "payee"


def test_only_the_officer_pays_and_only_an_approved_case(cast) -> None:
    case = file(cast)
    with pytest.raises(TransitionNotAllowed):
        pay(cast, case, 1000)
    case = approved(cast)
    with pytest.raises(TransitionNotAllowed):
        services.support_payment_add(
            actor=actor_for(cast.official), request=case, paid_on=datetime.date(2026, 6, 15), amount=1, payee="x"
        )


def test_headroom_shows_what_is_left_of_each_limit(cast) -> None:
    set_limits(cast, per_case=8_000_000, yearly=9_000_000)
    first = approved(cast, amount=8_000_000)
    pay(cast, first, 3_000_000)
    second = approved(cast, amount=8_000_000)
    room = services.headroom(second)
    assert (room.per_case_limit, room.per_case_remaining, room.approved_remaining) == (8_000_000, 8_000_000, 8_000_000)
    assert (room.year, room.paid_in_year, room.yearly_remaining) == (2026, 3_000_000, 6_000_000)
    assert room.payable == 6_000_000
