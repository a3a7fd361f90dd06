"""The protection figures of the dashboards (protection/indicators.py) against a
hand-counted fixture: requests filed at local midnight on the second quarter's first and
last day and a minute outside, decisions and payments on the boundaries, a withdrawn
request, a request without money, insurance claims, and another institution's rows."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import models
from django.utils import timezone

from oversight.indicators import drill, drill_row, figures
from oversight.period import Period
from protection.models import Claim, Enrolment, SupportPayment, SupportRequest
from protection.tests.factories import InsurancePolicyFactory, SupportRequestFactory
from tests.cast import Cast

Q2 = Period.parse("2026-Q2")
AFTER = datetime.date(2026, 7, 10)
RUNNING = datetime.date(2026, 6, 15)
S, Kind, C = SupportRequest.Status, SupportRequest.Kind, Claim.Status


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A local (Asia/Seoul) time."""
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def rows(cast: Cast) -> dict[str, models.Model]:
    made: dict[str, Any] = {}

    def request(name: str, filed_at: datetime.datetime, status: str, institution: Any = None, **values: Any) -> None:
        row = SupportRequestFactory(institution=institution or cast.district, status=status, **values)
        SupportRequest.objects.filter(pk=row.pk).update(created_at=filed_at)
        row.refresh_from_db()
        made[name] = row

    request("p1", at(4, 1, 0, 0), S.FILED)
    request("p2", at(6, 30, 23, 59), S.UNDER_REVIEW)
    request("p3", at(3, 31, 23, 59), S.APPROVED, decided_on=d(4, 1), amount_approved=5_000_000)
    request("p4", at(7, 1, 0, 0), S.FILED)
    request("p5", at(4, 10), S.WITHDRAWN)
    request("p6", at(4, 12), S.REJECTED, decided_on=d(6, 30))
    request("p7", at(2, 1), S.PAID, decided_on=d(3, 31), amount_approved=3_000_000)
    request("p8", at(5, 2), S.CLOSED, decided_on=d(5, 20), amount_approved=4_000_000)
    request("p9", at(1, 5), S.PARTLY_PAID, decided_on=d(6, 30), amount_approved=2_000_000)
    request("p10", at(3, 3), S.APPROVED, decided_on=d(5, 3), kind=Kind.LEGAL_ADVICE, amount_requested=None)
    request("p11", at(1, 20), S.REJECTED, decided_on=d(7, 1))
    request("op1", at(5, 5), S.PARTLY_PAID, institution=cast.other, decided_on=d(5, 6), amount_approved=1_000_000)

    def payment(name: str, request_name: str, paid_on: datetime.date, amount: int) -> None:
        req = made[request_name]
        made[name] = SupportPayment.objects.create(
            request=req,
            institution_id=req.institution_id,
            person_id=req.person_id,
            paid_on=paid_on,
            amount=amount,
            payee="법무법인 새솔",
            created_by=cast.protection_officer,
        )

    payment("pay1", "p7", d(3, 31), 1_000_000)
    payment("pay2", "p7", d(4, 1), 2_000_000)
    payment("pay3", "p8", d(6, 30), 4_000_000)
    payment("pay4", "p9", d(7, 1), 500_000)
    payment("pay5", "p9", d(5, 15), 1_500_000)
    payment("opay1", "op1", d(5, 7), 600_000)

    policy = InsurancePolicyFactory(institution=cast.district, policy_number="LIAB-2026")
    enrolment = Enrolment.objects.create(
        institution=cast.district, policy=policy, person=cast.official.person, enrolled_on=d(1, 2)
    )

    def claim(name: str, filed_at: datetime.datetime, status: str, **values: Any) -> None:
        row = Claim.objects.create(
            institution=cast.district,
            enrolment=enrolment,
            incident_date=d(1, 3),
            description="민원인 홍길동의 손해배상 청구",
            amount_claimed=3_000_000,
            status=status,
            **values,
        )
        Claim.objects.filter(pk=row.pk).update(created_at=filed_at)
        made[name] = row

    claim("c1", at(4, 1, 0, 0), C.FILED)
    claim("c2", at(3, 31, 23, 59), C.PAID, paid_on=d(4, 1), amount_paid=800_000)
    claim("c3", at(6, 30, 23, 59), C.ACCEPTED)
    claim("c4", at(7, 1, 0, 0), C.FILED)
    claim("c5", at(5, 1), C.PAID, paid_on=d(6, 30), amount_paid=1_200_000)
    claim("c6", at(1, 10), C.PAID, paid_on=d(3, 31), amount_paid=500_000)
    claim("c7", at(4, 20), C.REJECTED)
    return made


HOME = {
    "protection.requests": 5,  # p1, p2, p5 (withdrawn later), p6, p8
    "protection.granted": 4,  # p3 (1 April), p8, p9 (30 June), p10 (no money)
    "protection.rejected": 1,  # p6 (p11 was decided on 1 July)
    "protection.amount_granted": 11_000_000,  # 5M + 4M + 2M
    "protection.amount_paid": 7_500_000,  # 2M (1 April) + 4M (30 June) + 1.5M
    "protection.claims": 4,  # c1, c3, c5, c7
    "protection.claims_paid": 2,  # c2, c5
    "protection.claim_amount_paid": 2_000_000,  # 0.8M + 1.2M
}
OTHER = {
    "protection.requests": 1,
    "protection.granted": 1,
    "protection.rejected": 0,
    "protection.amount_granted": 1_000_000,
    "protection.amount_paid": 600_000,
    "protection.claims": 0,
    "protection.claims_paid": 0,
    "protection.claim_amount_paid": 0,
}


@pytest.mark.parametrize("today", [AFTER, RUNNING])
def test_quarter_figures_match_the_hand_count(cast: Cast, rows: dict[str, models.Model], today: datetime.date) -> None:
    got = figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=today, section="protection")
    assert got[cast.district.pk] == HOME
    assert got[cast.other.pk] == OTHER
    assert got[cast.city.pk] == dict.fromkeys(HOME, 0)


def test_first_quarter_has_what_happened_by_31_march(cast: Cast, rows: dict[str, models.Model]) -> None:
    got = figures([cast.district.pk], Period.parse("2026-Q1"), today=AFTER, section="protection")[cast.district.pk]
    assert got["protection.requests"] == 5  # p3 (a minute before midnight), p7, p9, p10, p11
    assert (got["protection.granted"], got["protection.amount_granted"]) == (1, 3_000_000)  # p7
    assert got["protection.amount_paid"] == 1_000_000  # pay1
    assert (got["protection.claims"], got["protection.claim_amount_paid"]) == (2, 500_000)  # c2, c6; c6 paid


@pytest.mark.parametrize(
    ("key", "names"),
    [
        ("protection.requests", ("p1", "p2", "p5", "p6", "p8")),
        ("protection.granted", ("p3", "p8", "p9", "p10")),
        ("protection.rejected", ("p6",)),
        ("protection.amount_granted", ("p3", "p8", "p9", "p10")),  # the granted ones only
        ("protection.amount_paid", ("pay2", "pay3", "pay5")),
        ("protection.claims", ("c1", "c3", "c5", "c7")),
        ("protection.claims_paid", ("c2", "c5")),
    ],
)
def test_drill_lists_exactly_the_rows_behind_each_figure(
    cast: Cast, rows: dict[str, models.Model], key: str, names: tuple[str, ...]
) -> None:
    assert {row.pk for row in drill(key, cast.district.pk, Q2, today=AFTER)} == {rows[n].pk for n in names}


def test_drill_rows_show_the_kind_and_state_not_the_person(
    cast: Cast, rows: dict[str, models.Model], django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1):
        paid = [drill_row("protection.amount_paid", p) for p in drill("protection.amount_paid", cast.district.pk, Q2)]
    p8 = rows["p8"]
    assert paid[0] == drill_row("protection.amount_paid", rows["pay3"])
    assert (paid[0].reference, paid[0].title, paid[0].state, paid[0].on) == (
        p8.reference,  # type: ignore[attr-defined]
        "민사소송 비용 지원",
        "종결",
        d(6, 30),
    )
    assert paid[0].url == f"/office/protection/{p8.pk}/"
    with django_assert_num_queries(1):
        claims = [drill_row("protection.claims_paid", c) for c in drill("protection.claims_paid", cast.district.pk, Q2)]
    assert [(c.reference, c.title, c.state) for c in claims] == [
        (f"LIAB-2026 #{rows['c5'].pk}", "배상책임보험 청구", "보상 지급"),
        (f"LIAB-2026 #{rows['c2'].pk}", "배상책임보험 청구", "보상 지급"),
    ]
    names = " ".join(f"{r.title} {r.reference}" for r in paid + claims)
    assert cast.official.person.name not in names
    assert "홍길동" not in names


def test_figures_cost_one_query_per_source_for_any_number_of_institutions(
    cast: Cast, rows: dict[str, models.Model], django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(5):
        figures([cast.district.pk], Q2, today=AFTER, section="protection")
    with django_assert_num_queries(5):
        figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER, section="protection")
