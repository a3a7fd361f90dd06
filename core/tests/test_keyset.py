"""Keyset pagination (core.keyset, ADR 0029): every row exactly once in the queryset's order,
ties and NULLs included, forwards and backwards; the boundaries; cursors we did not make
give the first page; the count is bounded. Reports stand in for any model: their queue
orders by a nullable date (many ties) and the pk."""

from __future__ import annotations

import datetime
import itertools
import re
from typing import Any

import pytest
from django.core import signing
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.keyset import MAX_CURSOR_LENGTH, KeysetPage, KeysetPaginator
from institutions.models import Institution
from reports.models import Report
from tests.cast import Cast

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)
_serial = itertools.count()


def _reports(institution: Institution, dues: list[datetime.date | None], kind: str = "neglect") -> list[Report]:
    """Reports with these due dates, made in a shuffled order so that pk and date disagree."""
    return Report.objects.bulk_create(
        Report(
            institution=institution,
            kind=kind,
            what="민원을 처리하지 않습니다.",
            receipt_hash=f"r{n}",
            submission_key=f"s{n}",
            due_on=due,
        )
        for n, due in zip(_serial, dues, strict=False)
    )


def _dues(count: int) -> list[datetime.date | None]:
    """Few distinct dates (long runs of ties) and some without a due date, interleaved."""
    return [None if n % 7 == 3 else DAY + datetime.timedelta(days=(n * 5) % 4) for n in range(count)]


def _queue(institution: Institution) -> Any:
    return Report.objects.filter(institution=institution).order_by("due_on", "pk")


def _walk_forward(paginator: KeysetPaginator) -> list[KeysetPage]:
    pages = [paginator.page()]
    while pages[-1].has_next:
        assert len(pages) < 100, "no end"
        pages.append(paginator.page(pages[-1].next_cursor))
    return pages


def _walk_back(paginator: KeysetPaginator) -> list[KeysetPage]:
    last = paginator.page(paginator.page().last_cursor)
    pages = [last]
    while pages[-1].has_previous:
        assert len(pages) < 100, "no start"
        pages.append(paginator.page(pages[-1].previous_cursor))
    return pages


def _pks(pages: list[KeysetPage]) -> list[int]:
    return [row.pk for page in pages for row in page]


@pytest.mark.parametrize("per_page", [1, 4, 5, 7, 40])
def test_next_links_give_every_row_once_in_order_ties_and_nulls_included(cast: Cast, per_page: int) -> None:
    _reports(cast.district, _dues(30))
    _reports(cast.other, _dues(5))  # another list's rows never show
    expected = list(_queue(cast.district).values_list("pk", flat=True))
    pages = _walk_forward(KeysetPaginator(_queue(cast.district), per_page))
    assert _pks(pages) == expected
    assert all(len(page) == per_page for page in pages[:-1])
    assert [page.start for page in pages] == list(range(1, 31, per_page))
    assert pages[-1].is_last
    assert pages[-1].end == 30
    assert pages[0].is_first
    assert not pages[0].has_previous
    assert pages[0].previous_cursor is None


@pytest.mark.parametrize("per_page", [1, 4, 7])
def test_previous_links_from_the_last_page_give_every_row_once(cast: Cast, per_page: int) -> None:
    _reports(cast.district, _dues(30))
    expected = list(_queue(cast.district).values_list("pk", flat=True))
    pages = _walk_back(KeysetPaginator(_queue(cast.district), per_page))
    pks = [row.pk for page in reversed(pages) for row in page]
    # the walk back ends on the first page, full: the rows it shares with the page after
    # it are the only repeat
    assert pks[:per_page] == expected[:per_page]
    assert list(dict.fromkeys(pks)) == expected
    assert pages[0].is_last
    assert pages[0].start == 30 - len(pages[0]) + 1
    assert pages[-1].is_first
    assert pages[-1].start == 1
    assert len(pages[-1]) == per_page


def test_a_descending_ordering_and_the_nulls_of_a_datetime(cast: Cast) -> None:
    made = _reports(cast.district, _dues(12))
    for n, report in enumerate(made):  # microseconds apart: the cursor must keep them
        closed = None if n % 3 == 0 else datetime.datetime(2026, 3, 2, 9, 0, 0, n % 2, tzinfo=datetime.UTC)
        Report.objects.filter(pk=report.pk).update(closed_at=closed)
    queryset = Report.objects.filter(institution=cast.district).order_by("-closed_at", "-pk")
    expected = list(queryset.values_list("pk", flat=True))
    assert _pks(_walk_forward(KeysetPaginator(queryset, 5))) == expected
    back = _walk_back(KeysetPaginator(queryset, 5))
    assert list(dict.fromkeys(row.pk for page in reversed(back) for row in page)) == expected


def test_columns_in_both_directions(cast: Cast) -> None:
    _reports(cast.district, _dues(23))
    queryset = Report.objects.filter(institution=cast.district).order_by("due_on", "-pk")
    expected = list(queryset.values_list("pk", flat=True))
    assert _pks(_walk_forward(KeysetPaginator(queryset, 4))) == expected
    back = _walk_back(KeysetPaginator(queryset, 4))
    assert list(dict.fromkeys(row.pk for page in reversed(back) for row in page)) == expected


def test_a_page_seeks_with_one_row_comparison(cast: Cast) -> None:
    """(due_on, id) > (x, y): the form an index on (…, due_on, id) serves as a range and the
    planner estimates well (ADR 0029)."""
    made = _reports(cast.district, [DAY] * 8)
    paginator = KeysetPaginator(_queue(cast.district), 5)
    with CaptureQueriesContext(connection) as ctx:
        paginator.page(paginator.cursor_after(made[2]))
    page_sql = ctx.captured_queries[1]["sql"]
    assert re.search(r'\("reports_report"."due_on", "reports_report"."id"\) > \(', page_sql), page_sql


@pytest.mark.parametrize("per_page", [2, 5, 9])
def test_columns_in_mixed_directions_seek_the_cursors_value_then_beyond_it(cast: Cast, per_page: int) -> None:
    """(-due_on, kind, pk), the work register's shape (-year, reference, pk): no one row
    comparison fits, and a range on the due date alone would read every row of the cursor's
    date before it. The rows of the cursor's date come by (kind, id) > (x, y), then the
    earlier dates (then, where they come last, the NULLs): each part an index range, read
    only when the parts before it leave the page short."""
    _reports(cast.district, _dues(17), kind="neglect")
    _reports(cast.district, _dues(13), kind="desk_bound")
    queryset = Report.objects.filter(institution=cast.district).order_by("-due_on", "kind", "pk")
    expected = list(queryset.values_list("pk", flat=True))
    paginator = KeysetPaginator(queryset, per_page)
    assert _pks(_walk_forward(paginator)) == expected
    back = _walk_back(paginator)
    assert list(dict.fromkeys(row.pk for page in reversed(back) for row in page)) == expected
    dated = queryset.filter(due_on=DAY + datetime.timedelta(days=1)).first()
    assert dated is not None
    with CaptureQueriesContext(connection) as ctx:
        paginator.page(paginator.cursor_after(dated))
    seek = ctx.captured_queries[1]["sql"]
    assert re.search(r'"reports_report"."due_on" = .*\("reports_report"."kind", "reports_report"."id"\) > \(', seek)
    assert " OR " not in seek


def test_the_previous_page_near_the_start_is_the_first_page_full(cast: Cast) -> None:
    _reports(cast.district, _dues(12))
    paginator = KeysetPaginator(_queue(cast.district), 5)
    first = paginator.page()
    # a page that starts at the third row (as after rows were removed before it)
    third = paginator.page(paginator.cursor_after(first.object_list[1], start=3))
    assert third.start == 3
    assert third.has_previous
    back = paginator.page(third.previous_cursor)
    assert [r.pk for r in back] == [r.pk for r in first]
    assert back.is_first
    assert back.start == 1
    assert back.has_next


def test_a_short_list_has_one_page_and_no_links(cast: Cast) -> None:
    _reports(cast.district, _dues(3))
    page = KeysetPaginator(_queue(cast.district), 5).page()
    assert len(page) == 3
    assert page.count == 3
    assert not page.count_capped
    assert not page.has_other_pages
    assert page.next_cursor is None
    assert page.last_cursor is None
    empty = KeysetPaginator(_queue(cast.other), 5).page()
    assert list(empty) == []
    assert empty.count == 0
    assert not empty.has_other_pages


def test_past_the_end_gives_the_last_page(cast: Cast) -> None:
    made = _reports(cast.district, [DAY] * 8)
    paginator = KeysetPaginator(_queue(cast.district), 5)
    cursor = paginator.cursor_after(made[-1])  # nothing after the last row
    page = paginator.page(cursor)
    assert page.is_last
    assert [r.pk for r in page] == [r.pk for r in made[3:]]
    assert not page.invalid_cursor


def test_the_count_is_bounded(cast: Cast) -> None:
    _reports(cast.district, _dues(15))
    paginator = KeysetPaginator(_queue(cast.district), 5, count_limit=10)
    with CaptureQueriesContext(connection) as ctx:
        page = paginator.page()
    assert (page.count, page.count_capped) == (10, True)
    count_sql = ctx.captured_queries[0]["sql"]
    assert "COUNT(" in count_sql
    assert "LIMIT 11" in count_sql
    assert len(ctx.captured_queries) == 2  # the count and the page
    assert page.last_cursor is not None
    last = paginator.page(page.last_cursor)
    assert last.is_last
    assert last.start is None
    exact = KeysetPaginator(_queue(cast.district), 5, count_limit=15).page()
    assert (exact.count, exact.count_capped) == (15, False)


def test_a_deep_page_costs_what_the_first_page_costs(cast: Cast) -> None:
    _reports(cast.district, [DAY] * 40)
    paginator = KeysetPaginator(_queue(cast.district), 5)
    pages = _walk_forward(paginator)
    with CaptureQueriesContext(connection) as first:
        paginator.page()
    with CaptureQueriesContext(connection) as deep:
        # (a page that reaches the end of the dated rows also looks past them for NULLs
        # where the database puts them last: one query more on PostgreSQL's last page)
        paginator.page(pages[5].next_cursor)
    assert len(first.captured_queries) == len(deep.captured_queries) == 2
    assert "OFFSET" not in deep.captured_queries[-1]["sql"]


def test_filters_are_the_querysets(cast: Cast) -> None:
    _reports(cast.district, _dues(20), kind="neglect")
    _reports(cast.district, _dues(20), kind="desk_bound")
    queryset = _queue(cast.district).filter(kind="desk_bound")
    pages = _walk_forward(KeysetPaginator(queryset, 6))
    assert _pks(pages) == list(queryset.values_list("pk", flat=True))
    assert {row.kind for page in pages for row in page} == {"desk_bound"}
    assert pages[0].count == 20


def _signed(paginator: KeysetPaginator, payload: Any) -> str:
    return signing.Signer(salt=paginator.salt).sign_object(payload)


def test_a_cursor_we_did_not_make_gives_the_first_page(cast: Cast) -> None:
    _reports(cast.district, _dues(12))
    paginator = KeysetPaginator(_queue(cast.district), 5)
    first = paginator.page()
    good = paginator.page(first.next_cursor)
    assert not good.invalid_cursor
    assert good.start == 6
    assert first.next_cursor is not None
    payload, signature = first.next_cursor.rsplit(":", 1)
    other_list = KeysetPaginator(Report.objects.order_by("-created_at", "-pk"), 5)
    bad = {
        "garbage": "garbage",
        "empty signature": "abc:",
        "truncated": first.next_cursor[:-3],
        "tampered": f"{payload[:-2]}AA:{signature}",
        "too long": "a" * (MAX_CURSOR_LENGTH + 1),
        "another list's": other_list.page().next_cursor or "",
        "not a dict": _signed(paginator, [1, 2]),
        "unknown direction": _signed(paginator, {"d": "x", "k": ["2026-03-02", 1], "s": None}),
        "too few values": _signed(paginator, {"d": "n", "k": [1], "s": None}),
        "not a date": _signed(paginator, {"d": "n", "k": ["어제", 1], "s": None}),
        "not a pk": _signed(paginator, {"d": "n", "k": ["2026-03-02", "x"], "s": None}),
        "no pk": _signed(paginator, {"d": "n", "k": ["2026-03-02", None], "s": None}),
        "a list for a date": _signed(paginator, {"d": "n", "k": [[1], 1], "s": None}),
        "a start that is no number": _signed(paginator, {"d": "n", "k": ["2026-03-02", 1], "s": "1"}),
    }
    for name, cursor in bad.items():
        page = paginator.page(cursor)
        assert page.invalid_cursor, name
        assert [r.pk for r in page] == [r.pk for r in first], name
        assert page.start == 1, name
        assert not page.has_previous, name


def test_the_ordering_must_be_exact(cast: Cast) -> None:
    with pytest.raises(ImproperlyConfigured):
        KeysetPaginator(Report.objects.all(), 5)  # the model's Meta ordering is not enough
    with pytest.raises(ImproperlyConfigured):
        KeysetPaginator(Report.objects.order_by("due_on"), 5)  # not unique
    with pytest.raises(ImproperlyConfigured):
        KeysetPaginator(Report.objects.order_by("institution", "pk"), 5)  # a relation
    with pytest.raises(ImproperlyConfigured):
        KeysetPaginator(Report.objects.order_by("institution__name", "pk"), 5)
    with pytest.raises(ImproperlyConfigured):
        KeysetPaginator(Report.objects.order_by("pk"), 5, count_limit=2)
    KeysetPaginator(Report.objects.order_by("receipt_hash"), 5)  # a unique column will do
