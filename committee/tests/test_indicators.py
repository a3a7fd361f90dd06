"""The committee's dashboard figures (committee/indicators.py) against a hand-counted
fixture: meetings and items at local midnight on the second quarter's first and last day and
one minute outside, cancelled, draft and open meetings, withdrawn items, advice given and
followed on the boundaries, opinions still requested, and another institution's rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import models
from django.utils import timezone

from committee.models import AdviceRequest, AgendaItem, Meeting, Opinion
from committee.tests.factories import AgendaItemFactory, MeetingFactory
from exemptions.models import Presumption
from oversight.indicators import drill, drill_row, figures
from oversight.period import Period
from tests.cast import Cast

Q2 = Period.parse("2026-Q2")
AFTER = datetime.date(2026, 7, 10)
RUNNING = datetime.date(2026, 6, 15)
Result = AgendaItem.Result
Followed = Presumption.Followed


def d(month: int, day: int) -> datetime.date:
    return datetime.date(2026, month, day)


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A local (Asia/Seoul) time."""
    return datetime.datetime(2026, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


@dataclass
class Rows:
    by_name: dict[str, models.Model]

    def pks(self, *names: str) -> set[int]:
        return {self.by_name[n].pk for n in names}


@pytest.fixture
def rows(cast: Cast) -> Rows:
    made: dict[str, Any] = {}
    home, other = cast.district, cast.other
    closed, cancelled = Meeting.Status.CLOSED, Meeting.Status.CANCELLED

    def meeting(name: str, starts_at: datetime.datetime, institution: Any = home, **values: Any) -> None:
        made[name] = MeetingFactory(institution=institution, starts_at=starts_at, **values)

    meeting("m1", at(4, 1, 0, 0), status=closed)  # local midnight of the first day
    meeting("m2", at(6, 30, 23, 59), status=closed)
    meeting("m3", at(3, 31, 23, 59), status=closed)
    meeting("m4", at(7, 1, 0, 0), status=closed)
    meeting("m5", at(5, 10), status=cancelled)
    meeting("m6", at(6, 22))  # still a draft
    meeting("m7", at(5, 20), status=Meeting.Status.CONVENED)
    meeting("m8", at(5, 15), status=closed, mode=Meeting.Mode.WRITTEN, written_reason=Meeting.WrittenReason.MINOR)
    meeting("om1", at(5, 5), institution=other, status=closed)

    decided = AgendaItem.Status.DECIDED

    def item(name: str, meeting_name: str, **values: Any) -> None:
        made[name] = AgendaItemFactory(meeting=made[meeting_name], **values)

    item("i1", "m1", status=decided, result=Result.ADOPTED, decided_at=at(4, 1, 0, 0), resolution="가결")
    item("i2", "m1", status=decided, result=Result.REJECTED, decided_at=at(4, 1, 10))
    item(
        "i3",
        "m2",
        status=decided,
        result=Result.ADOPTED,
        decided_at=at(6, 30, 23, 59),
        kind=AgendaItem.Kind.EXEMPTION,
        title="홍길동 면책 건의",
    )
    item("i4", "m3", status=decided, result=Result.ADOPTED, decided_at=at(3, 31, 23, 59))
    item("i5", "m4", status=decided, result=Result.NO_QUORUM, decided_at=at(7, 1, 0, 0))
    item("i6", "m7")  # pending
    item("i7", "m5", status=AgendaItem.Status.WITHDRAWN)
    item("i8", "m8", status=decided, result=Result.NO_QUORUM, decided_at=at(5, 15, 18))
    item("oi1", "om1", status=decided, result=Result.ADOPTED, decided_at=at(5, 5, 12))

    numbers = iter(range(1, 100))

    def advice(name: str, institution: Any = home, **values: Any) -> None:
        number = next(numbers)
        person = cast.official.person if institution == home else cast.official_b.person
        made[name] = AdviceRequest.objects.create(
            institution=institution,
            year=2026,
            number=number,
            reference=f"자문-2026-{number:04d}",
            requester=person,
            title=f"자문 요청 {name}",
            task="업무",
            rule="규정",
            options="방안",
            submitted_on=values.pop("submitted_on", d(3, 2)),
            **values,
        )

    s = AdviceRequest.Status
    advice("a1", status=s.ADVISED, advised_on=d(4, 1))
    advice("a2", status=s.OUTCOME_RECORDED, advised_on=d(6, 30), followed=Followed.FOLLOWED, acted_on=d(6, 30))
    advice("a3", status=s.OUTCOME_RECORDED, advised_on=d(3, 31), followed=Followed.FOLLOWED, acted_on=d(4, 1))
    advice("a4", status=s.OUTCOME_RECORDED, advised_on=d(5, 1), followed=Followed.PARTLY, acted_on=d(5, 10))
    advice("a5", status=s.OUTCOME_RECORDED, advised_on=d(6, 20), followed=Followed.NOT_FOLLOWED, acted_on=d(7, 1))
    advice("a6", status=s.SUBMITTED, submitted_on=d(4, 5))
    advice("a7", status=s.WITHDRAWN, submitted_on=d(4, 6))
    advice("a8", status=s.ADVISED, advised_on=d(7, 1))
    advice(
        "oa1",
        institution=other,
        status=s.OUTCOME_RECORDED,
        advised_on=d(5, 3),
        followed=Followed.FOLLOWED,
        acted_on=d(5, 9),
    )

    k, st = Opinion.Kind, Opinion.Status

    def opinion(name: str, item_name: str, **values: Any) -> None:
        made[name] = Opinion.objects.create(
            institution=made[item_name].institution, item=made[item_name], author="이해관계인 김모", **values
        )

    opinion("o1", "i1", kind=k.STAKEHOLDER_WRITTEN, status=st.RECEIVED, received_on=d(4, 1))
    opinion("o2", "i3", kind=k.LEGAL, status=st.RECEIVED, received_on=d(6, 30))
    opinion("o3", "i4", kind=k.STAKEHOLDER_HEARING, status=st.RECEIVED, received_on=d(3, 31))
    opinion("o4", "i5", kind=k.LEGAL, status=st.RECEIVED, received_on=d(7, 1))
    opinion("o5", "i6", kind=k.AUDIT, status=st.REQUESTED, requested_on=d(6, 1), due_on=d(6, 11))
    opinion("o6", "i6", kind=k.LEGAL, status=st.WITHDRAWN, requested_on=d(6, 2))
    opinion("o7", "i8", kind=k.AUDIT, status=st.RECEIVED, requested_on=d(5, 1), due_on=d(5, 11), received_on=d(5, 12))
    return Rows(made)


HOME = {
    "committee.meetings": 3,  # m1, m2, m8 (written)
    "committee.items_decided": 4,  # i1, i2, i3, i8
    "committee.items_adopted": 2,  # i1, i3
    "committee.advice_given": 4,  # a1, a2, a4, a5
    "committee.advice_acted": 3,  # a2, a3, a4 (a5 acted on 1 July)
    "committee.advice_followed": 2,  # a2, a3
    "committee.opinions_heard": 3,  # o1, o2, o7
}
OTHER = {
    "committee.meetings": 1,
    "committee.items_decided": 1,
    "committee.items_adopted": 1,
    "committee.advice_given": 1,
    "committee.advice_acted": 1,
    "committee.advice_followed": 1,
    "committee.opinions_heard": 0,
}


@pytest.mark.parametrize("today", [AFTER, RUNNING])
def test_quarter_figures_match_the_hand_count(cast: Cast, rows: Rows, today: datetime.date) -> None:
    """No committee figure depends on the day it is read (there is no deadline among them)."""
    got = figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=today, section="committee")
    assert got[cast.district.pk] == HOME
    assert got[cast.other.pk] == OTHER
    assert got[cast.city.pk] == dict.fromkeys(HOME, 0)


def test_a_minute_before_midnight_on_31_march_is_the_first_quarter(cast: Cast, rows: Rows) -> None:
    got = figures([cast.district.pk], Period.parse("2026-Q1"), today=AFTER, section="committee")[cast.district.pk]
    assert (got["committee.meetings"], got["committee.items_decided"], got["committee.advice_given"]) == (1, 1, 1)


@pytest.mark.parametrize(
    ("key", "names"),
    [
        ("committee.meetings", ("m1", "m2", "m8")),
        ("committee.items_decided", ("i1", "i2", "i3", "i8")),
        ("committee.items_adopted", ("i1", "i3")),
        ("committee.advice_given", ("a1", "a2", "a4", "a5")),
        ("committee.advice_acted", ("a2", "a3", "a4")),
        ("committee.advice_followed", ("a2", "a3")),
        ("committee.opinions_heard", ("o1", "o2", "o7")),
    ],
)
def test_drill_lists_exactly_the_rows_behind_each_figure(
    cast: Cast, rows: Rows, key: str, names: tuple[str, ...]
) -> None:
    assert {row.pk for row in drill(key, cast.district.pk, Q2, today=AFTER)} == rows.pks(*names)


def test_drill_rows_name_no_one(cast: Cast, rows: Rows, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    """An exemption item shows its kind, an opinion its kind (not the stakeholder), and the
    rows need no query beyond the drill-down's own."""
    with django_assert_num_queries(1):
        items = [
            drill_row("committee.items_decided", i) for i in drill("committee.items_decided", cast.district.pk, Q2)
        ]
    i3 = rows.by_name["i3"]
    assert items[0].title == str(AgendaItem.Kind.EXEMPTION.label)
    assert items[0].reference == f"{i3.meeting.reference}-{i3.order}"
    assert items[0].state == "가결"
    assert "홍길동" not in " ".join(row.title for row in items)
    with django_assert_num_queries(1):
        heard = [
            drill_row("committee.opinions_heard", o) for o in drill("committee.opinions_heard", cast.district.pk, Q2)
        ]
    assert {row.title for row in heard} == {"이해관계인 서면 의견", "법률 자문", "감사부서 의견"}
    assert heard[0].url == f"/office/committee/items/{rows.by_name['o2'].item_id}/"


def test_figures_cost_one_query_per_source_for_any_number_of_institutions(
    cast: Cast, rows: Rows, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(5):
        figures([cast.district.pk], Q2, today=AFTER, section="committee")
    with django_assert_num_queries(5):
        figures([cast.district.pk, cast.other.pk, cast.city.pk], Q2, today=AFTER, section="committee")
