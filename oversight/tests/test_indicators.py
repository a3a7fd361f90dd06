"""The registry itself, on a test source over core.models.Deadline (every institution has
deadlines; the modules' own sources are tested in their apps)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from core.models import Deadline
from institutions.models import Institution
from oversight import indicators
from oversight.expressions import Days, Median, missed, overdue_rows
from oversight.indicators import COUNT, DAYS, DrillRow, Measure, Source
from oversight.period import Period
from oversight.tests.conftest import make_deadline
from tests.cast import Cast

Q2 = Period.parse("2026-Q2")
AFTER = datetime.date(2026, 8, 1)
JUNE_15 = datetime.date(2026, 6, 15)
JUNE_30 = datetime.date(2026, 6, 30)


deadline = make_deadline


@pytest.fixture
def source() -> Iterator[Source]:
    src = Source(
        key="test.deadlines",
        section="test",
        rows=lambda period, as_of: Deadline.objects.filter(indicators.in_period("starts_on", period)),
        measures=(
            Measure("test.started", "started"),
            Measure("test.open", "open", condition=Q(closed_at__isnull=True)),
            Measure("test.days", "days", kind=DAYS, aggregate=lambda: Median(Days("starts_on", "due_on"))),
        ),
        row=lambda d: DrillRow(str(d.pk), d.label, "", d.starts_on),
        order_by=("starts_on", "pk"),
    )
    indicators.register_section("test", "시험", 999)
    indicators.register_source(src)
    yield src
    indicators.unregister_source(src.key)


@pytest.mark.django_db
def test_counts_medians_and_boundaries_per_institution(cast: Cast, source: Source) -> None:
    district, other = cast.district, cast.other
    deadline(district, datetime.date(2026, 3, 31), datetime.date(2026, 4, 7))  # day before: out
    first = deadline(district, datetime.date(2026, 4, 1), datetime.date(2026, 4, 3))  # 2 days
    deadline(district, datetime.date(2026, 5, 1), datetime.date(2026, 5, 11), closed=True)  # 10 days
    last = deadline(district, datetime.date(2026, 6, 30), datetime.date(2026, 7, 4))  # 4 days
    deadline(district, datetime.date(2026, 7, 1), datetime.date(2026, 7, 8))  # day after: out
    deadline(other, datetime.date(2026, 5, 5), datetime.date(2026, 5, 6))

    got = indicators.figures([district.pk, other.pk], Q2, today=AFTER, section="test")
    assert got[district.pk] == {"test.started": 3, "test.open": 2, "test.days": 4.0}
    assert got[other.pk] == {"test.started": 1, "test.open": 1, "test.days": 1.0}
    rows = list(indicators.drill("test.open", district.pk, Q2, today=AFTER))
    assert rows == [first, last]


@pytest.mark.django_db
def test_an_institution_without_rows_gets_zero_and_none(cast: Cast, source: Source) -> None:
    city = cast.city
    got = indicators.figures([city.pk], Q2, today=AFTER, section="test")
    assert got[city.pk] == {"test.started": 0, "test.open": 0, "test.days": None}


@pytest.mark.django_db
def test_one_query_per_source_whatever_the_number_of_institutions(
    cast: Cast, source: Source, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    ids = [cast.city.pk, cast.district.pk, cast.other.pk]
    for inst in (cast.city, cast.district, cast.other):
        deadline(inst, datetime.date(2026, 4, 2), datetime.date(2026, 4, 9))
    with django_assert_num_queries(1):
        indicators.figures(ids[:1], Q2, today=AFTER, section="test")
    with django_assert_num_queries(1):
        indicators.figures(ids, Q2, today=AFTER, section="test")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    [
        (datetime.date(2026, 4, 10), True, False, JUNE_15, False),  # closed on time
        (datetime.date(2026, 4, 10), False, False, JUNE_15, True),  # open past its due date
        (datetime.date(2026, 4, 10), True, True, JUNE_15, True),  # closed late
        (datetime.date(2026, 6, 20), False, False, JUNE_15, False),  # not due yet on 15 June
        (datetime.date(2026, 6, 15), False, False, JUNE_15, False),  # due today: not missed yet
        (datetime.date(2026, 6, 30), False, False, JUNE_30, True),  # the finished quarter's last day is over
        (datetime.date(2026, 3, 31), False, False, JUNE_30, False),  # due before the quarter
        (datetime.date(2026, 7, 1), False, False, JUNE_30, False),  # due after it
    ],
)
def test_missed_is_due_in_the_period_and_open_past_due_or_closed_late(
    cast: Cast, case: tuple[datetime.date, bool, bool, datetime.date, bool]
) -> None:
    due, closed, closed_late, as_of, expected = case
    Deadline.objects.create(
        institution=cast.district,
        content_type=ContentType.objects.get_for_model(Institution),
        object_id=cast.district.pk,
        kind="test",
        label="건",
        starts_on=datetime.date(2026, 3, 1),
        working_days=5,
        due_on=due,
        closed_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC) if closed else None,
        closed_late=closed_late,
    )
    flagged = set(Institution.objects.filter(missed(Institution, "test", Q2, as_of)).values_list("pk", flat=True))
    assert flagged == ({cast.district.pk} if expected else set())
    rows = overdue_rows(Institution, "test", Q2, as_of)
    assert [(i.pk, i.due_on) for i in rows] == ([(cast.district.pk, due)] if expected else [])


def test_a_measure_key_is_registered_once() -> None:
    first = Source(key="t.a", section="t", measures=(Measure("t.same", "x"),), compute=lambda i, p, a: {})
    second = Source(key="t.b", section="t", measures=(Measure("t.same", "y"),), compute=lambda i, p, a: {})
    indicators.register_source(first)
    try:
        with pytest.raises(ValueError, match="registered twice"):
            indicators.register_source(second)
    finally:
        indicators.unregister_source("t.a")


def test_a_source_needs_rows_or_compute() -> None:
    with pytest.raises(ValueError, match="needs rows or compute"):
        indicators.register_source(Source(key="t.c", section="t", measures=(Measure("t.c", "c", kind=COUNT),)))


@pytest.mark.django_db
def test_a_filtered_median_honours_its_filter_on_every_database(cast: Cast) -> None:
    deadline(cast.district, datetime.date(2026, 4, 1), datetime.date(2026, 4, 3))  # 2 days, open
    deadline(cast.district, datetime.date(2026, 4, 1), datetime.date(2026, 4, 5), closed=True)  # 4 days
    deadline(cast.district, datetime.date(2026, 4, 1), datetime.date(2026, 4, 9), closed=True)  # 8 days
    got = Deadline.objects.aggregate(
        every=Median(Days("starts_on", "due_on")),
        closed=Median(Days("starts_on", "due_on"), filter=Q(closed_at__isnull=False, kind="test")),
        none=Median(Days("starts_on", "due_on"), filter=Q(kind="nothing")),
    )
    assert got == {"every": 4.0, "closed": 6.0, "none": None}


# --- Kept figures (ADR 0033) ------------------------------------------------------------------


@pytest.fixture
def kept(settings, fresh_cache) -> None:  # type: ignore[no-untyped-def]
    settings.KEPT_FIGURES_SECONDS = 300


def _record(inst: Institution) -> None:
    """A change in the institution, as every service writes it: an audit entry on its chain."""
    from core import audit

    audit.record(actor=None, action="test.changed", target=inst, changes={})


@pytest.mark.django_db
def test_kept_figures_are_read_until_the_institutions_chain_moves(
    cast: Cast, source: Source, kept: None, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    district, other = cast.district, cast.other
    deadline(district, datetime.date(2026, 4, 2), datetime.date(2026, 4, 9))
    deadline(other, datetime.date(2026, 4, 2), datetime.date(2026, 4, 9))
    ids = [district.pk, other.pk]
    with django_assert_num_queries(2):  # the chains' heads, then the count
        first = indicators.figures(ids, Q2, today=AFTER, section="test")
    assert first[district.pk]["test.started"] == 1
    deadline(district, datetime.date(2026, 4, 3), datetime.date(2026, 4, 10))  # no audit entry: unseen
    with django_assert_num_queries(1):  # the chains' heads only
        assert indicators.figures(ids, Q2, today=AFTER, section="test") == first
    _record(district)
    with django_assert_num_queries(2):  # the district's figures counted again, the other's kept
        again = indicators.figures(ids, Q2, today=AFTER, section="test")
    assert again[district.pk]["test.started"] == 2
    assert again[other.pk] == first[other.pk]


@pytest.mark.django_db
def test_kept_figures_expire_and_follow_the_day_and_the_system_chain(cast: Cast, source: Source, kept: None) -> None:
    import time_machine

    from core import audit

    district = cast.district
    deadline(district, datetime.date(2026, 4, 2), datetime.date(2026, 4, 9))
    with time_machine.travel(datetime.datetime(2026, 8, 1, 9, tzinfo=datetime.UTC), tick=False) as clock:

        def started(today: datetime.date = AFTER) -> int:
            return indicators.figures([district.pk], Q2, today=today, section="test")[district.pk]["test.started"]

        assert started() == 1
        deadline(district, datetime.date(2026, 4, 3), datetime.date(2026, 4, 10))  # a bulk load: no entry
        assert started() == 1
        clock.shift(datetime.timedelta(seconds=301))  # the time limit bounds what nobody recorded
        assert started() == 2
        deadline(district, datetime.date(2026, 4, 4), datetime.date(2026, 4, 11))
        assert started() == 2
        audit.record(actor=None, action="scale.seeded", target_label="seed_scale", changes={})  # the system chain
        assert started() == 3
        deadline(district, datetime.date(2026, 4, 5), datetime.date(2026, 4, 12))
        assert started(AFTER + datetime.timedelta(days=1)) == 3  # the past quarter: read as of its last day
        assert started(JUNE_15) == 4  # a day inside the quarter is another key


@pytest.mark.django_db
def test_nothing_is_kept_when_turned_off(cast: Cast, source: Source, fresh_cache: None) -> None:
    district = cast.district
    assert indicators.figures([district.pk], Q2, today=AFTER, section="test")[district.pk]["test.started"] == 0
    deadline(district, datetime.date(2026, 4, 2), datetime.date(2026, 4, 9))
    assert indicators.figures([district.pk], Q2, today=AFTER, section="test")[district.pk]["test.started"] == 1


@pytest.mark.django_db
def test_a_change_through_a_service_shows_on_the_next_dashboard(cast: Cast, kept: None) -> None:
    """The whole path with a module's own source: a report filed through the service."""
    from oversight import selectors
    from reports.tests.factories import submit

    today = datetime.date(2026, 6, 15)
    period = Period.parse("2026")

    def received() -> int:
        sections = selectors.dashboard(cast.district.pk, period, today=today)
        return int({f.measure.key: f.value for s in sections for f in s.figures}["reports.received"])

    before = received()
    submit(cast.district)
    assert received() == before + 1


@pytest.mark.django_db
def test_a_kept_text_figure_is_kept_in_each_language(cast: Cast, kept: None) -> None:
    from django.utils import translation
    from django.utils.translation import gettext

    from oversight.indicators import TEXT

    src = Source(
        key="test.text",
        section="test",
        compute=lambda ids, period, as_of: {pk: {"test.word": gettext("찾기")} for pk in ids},
        measures=(Measure("test.word", "word", kind=TEXT),),
    )
    indicators.register_source(src)
    try:
        for language, word in (("ko", "찾기"), ("en", "Search"), ("ko", "찾기")):
            with translation.override(language):
                got = indicators.figures([cast.district.pk], Q2, today=AFTER, section="test")
            assert got[cast.district.pk]["test.word"] == word, language
    finally:
        indicators.unregister_source(src.key)


@pytest.mark.django_db
def test_the_chain_heads_read_whole_or_by_institution_agree(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    from core import audit

    audit.record(actor=None, action="test.changed", target=cast.district, changes={})
    audit.record(actor=None, action="test.changed", target=cast.district, changes={})
    audit.record(actor=None, action="test.changed", target=cast.other, changes={})
    ids = [cast.district.pk, cast.other.pk, cast.city.pk]
    by_institution = indicators._chain_heads(ids)
    monkeypatch.setattr(indicators, "MANY_INSTITUTIONS", 0)
    whole = indicators._chain_heads(ids)
    assert whole == by_institution
    assert set(whole) == {audit.SYSTEM_CHAIN, *ids}
    assert whole[cast.district.pk] >= 2
    assert whole[cast.other.pk] >= 1
