"""Query counts of the exemption lists that test_case_views.py does not measure: my cases,
the disciplinary demands, the quarterly reports and a quarter's decided cases (page and
XLSX). More rows, each with its officials, work item and linked case, must not mean more
queries (issue 8)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from core.access import actor_for
from exemptions.models import ExemptionCase
from exemptions.services.demands import disciplinary_demand_record
from exemptions.services.reports import quarterly_report_submit
from exemptions.tests import factories as f
from tests.cast import Cast
from tests.factories import PersonFactory
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db


def _at(day: str):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime.datetime.fromisoformat(day + "T09:00:00+09:00"))


def test_my_cases(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("official")
    f.opened(cast, officials=[cast.official.person, cast.official2.person])

    def grow() -> None:
        for n in range(4):
            f.opened(cast, act=f"건 {n}", officials=[cast.official.person, cast.official2.person])
            f.applied(cast, act=f"신청 {n}", work_item=f.work_item(cast))

    assert_flat(client, reverse("exemptions:mine"), grow)
    assert "신청 3" in client.get(reverse("exemptions:mine")).content.decode()


def _demand(cast: Cast, n: int) -> None:
    disciplinary_demand_record(
        actor=actor_for(cast.hr_officer),
        person=PersonFactory(institution=cast.district, unit=cast.building),
        act=f"징계 대상 행위 {n}",
        matter_title="2026년 정기감사 징계",
        demanded_on=datetime.date(2026, 6, 1),
        work_item=f.work_item(cast),
        no_grounds_confirmed=True,
        note="면책 요건 검토: 공익성 없음",
    )


def test_the_disciplinary_demands(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hr_officer")
    _demand(cast, 0)

    def grow() -> None:
        for n in range(1, 6):
            _demand(cast, n)
        for n in range(2):  # demands linked to a decided mitigation
            person = PersonFactory(institution=cast.district, unit=cast.building)
            f.decided(cast, decision=ExemptionCase.Decision.MITIGATION, officials=[person], act=f"감경 {n}")
            disciplinary_demand_record(
                actor=actor_for(cast.hr_officer),
                person=person,
                act=f"감경 {n}",
                matter_title="2026년 정기감사 징계",
                demanded_on=datetime.date(2026, 6, 1),
            )

    assert_flat(client, reverse("exemptions:demands"), grow)
    assert client.get(reverse("exemptions:demands")).context["page_obj"].paginator.count == 8


def _decided_in_q1(cast: Cast, count: int) -> None:
    with _at("2026-02-10"):
        for n in range(count):
            f.decided(
                cast,
                act=f"분기 보고 대상 행위 {n}",
                officials=[PersonFactory(institution=cast.district, unit=cast.building), cast.official2.person],
                work_item=f.work_item(cast),
            )


@pytest.mark.parametrize("name", ["exemptions:report", "exemptions:report_xlsx"])
def test_a_quarters_decided_cases(cast: Cast, client_for, name: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    url = reverse(name, kwargs={"year": 2026, "quarter": 1})
    _decided_in_q1(cast, 1)
    with _at("2026-04-03"):
        assert_flat(client, url, lambda: _decided_in_q1(cast, 5))
        if name == "exemptions:report":
            assert len(client.get(url).context["cases"]) == 6


def test_the_quarterly_reports(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")

    def grow() -> None:
        for year, quarter in ((2026, 1), (2025, 4), (2025, 3)):
            quarterly_report_submit(actor=actor_for(cast.aa_officer), year=year, quarter=quarter, reference="감사-1")

    with _at("2026-04-05"):
        assert_flat(client, reverse("exemptions:reports"), grow)
