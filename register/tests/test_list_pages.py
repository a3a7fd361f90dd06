"""The register's pages by cursor (ADR 0029): ordered by (-year, reference, pk), the list
moves by first, previous, next and last, keeps the filters in every link (full page and
htmx partial), counts at most COUNT_LIMIT entries, sends old numbered links to the first
page and answers a forged cursor with the first page and a notice. A cursor never widens
what the actor sees, and the refused roles stay refused."""

from __future__ import annotations

import itertools
import re
from html import unescape
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from institutions.models import Institution, Unit
from register import selectors
from register.models import WorkItem
from tests import keyset_pages
from tests.cast import Cast
from tests.factories import PersonFactory, UnitFactory, WorkItemFactory

pytestmark = pytest.mark.django_db
URL = reverse("register:list")
_serial = itertools.count()


def _items(
    cast: Cast,
    count: int,
    *,
    prefix: str = "R",
    title: str = "찾을 업무",
    category: str = WorkItem.Category.PERMIT,
    institution: Institution | None = None,
    unit: Unit | None = None,
    years: int = 20,
) -> list[int]:
    """`count` bare entries, `years` to a year (2026 back), so that the tie on the year falls
    across a page boundary and the reference orders it; references numbered against the
    order of creation, so that the pk and the reference disagree."""
    institution = institution or cast.district
    unit = unit or cast.building
    rows = WorkItem.objects.bulk_create(
        WorkItem(
            institution=institution,
            unit=unit,
            reference=f"{prefix}-{count - n:04}",
            title=f"{title} {n:04}",
            category=category,
            year=2026 - n // years,
        )
        for n in range(count)
    )
    return [row.pk for row in rows]


def _in_order(pks: list[int]) -> list[int]:
    return list(WorkItem.objects.filter(pk__in=pks).order_by("-year", "reference", "pk").values_list("pk", flat=True))


def test_walking_forward_and_back_keeps_the_filters_and_every_entry(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _items(cast, 62)
    _items(cast, 5, prefix="O", title="다른 업무")
    _items(cast, 3, prefix="C", category=WorkItem.Category.CONTRACT)
    filters = {"q": "찾을", "category": "permit", "unit": str(cast.building.pk)}
    _first, second = keyset_pages.walk(client_for("official"), URL, filters, _in_order(found), noun="업무", size=50)
    # the download is the whole filtered list, not the page
    export = re.search(r'href="/office/register/export\.xlsx\?([^"]*)"', second.content.decode())
    assert export is not None
    assert "cursor" not in parse_qs(unescape(export.group(1)))


def test_a_year_moves_by_cursor_within_the_year(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """The year filter keeps one year: its pages go by reference alone (the index (institution,
    -year, reference) seeks the cursor's reference, not the year's first entry)."""
    found = _items(cast, 120, years=60)  # 2026 and 2025
    first, second = keyset_pages.pages(client_for("aa_officer"), URL, {"year": "2025"})
    expected = _in_order(found)[60:]
    assert keyset_pages.pks(first) + keyset_pages.pks(second) == expected
    assert "업무 60건" in second.content.decode()
    assert not second.context["page_obj"].has_next


def test_the_htmx_results_carry_the_filters_in_their_links(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _items(cast, 53)
    _items(cast, 4, prefix="O", title="다른 업무")
    # what the filter form sends: every field, the empty ones too
    filters = {"q": "찾을", "category": "", "unit": "", "status": "", "year": ""}
    keyset_pages.assert_htmx_pages_keep_the_filters(
        client_for("audit_staff"), URL, filters, _in_order(found), noun="업무"
    )


@pytest.mark.parametrize("hx", [False, True])
def test_a_forged_cursor_shows_the_first_page_and_says_so(cast: Cast, client_for, hx: bool) -> None:  # type: ignore[no-untyped-def]
    expected = _in_order(_items(cast, 52))
    # another list's cursor
    their_key = {"d": "n", "k": ["2026-01-01T00:00:00", 1], "s": 51}
    theirs = keyset_pages.signed("core.keyset:consultations.Consultation:-created_at,-pk", their_key)
    keyset_pages.assert_forged_cursor_gives_first_page(
        client_for("official"),
        URL,
        expected[:50],
        hx=hx,
        salt="core.keyset:register.WorkItem:-year,reference,pk",
        other_list=theirs,
        no_keys=({"d": "n", "k": ["not a year", "R-0001", 1], "s": 51}, {"d": "n", "k": [2026, "R-0001", None]}),
    )


def test_old_numbered_links_go_to_the_first_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("official")
    keyset_pages.assert_old_page_link_redirects(
        client, URL, {"page": "3", "category": "permit", "q": "도로"}, f"{URL}?category=permit&q=%EB%8F%84%EB%A1%9C"
    )
    keyset_pages.assert_old_page_link_redirects(client, URL, {"page": "2", "cursor": "x"}, URL)


def test_the_count_stops_at_the_limit(cast: Cast, client_for, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 60)
    _items(cast, 61)
    client = client_for("official")
    keyset_pages.assert_count_capped(client, URL, limit=60, noun="업무", page_size=selectors.PAGE_SIZE)
    exact = client.get(URL, {"year": "2026"})
    assert "업무 20건" in exact.content.decode()
    assert "업무 0건" in client.get(URL, {"category": "contract"}).content.decode()


def _older(cast: Cast, count: int) -> None:
    """Entries with a person in charge, each of another unit, older than every other, so that
    they land on the second page of the list."""
    for _ in range(count):
        n = next(_serial)
        unit = UnitFactory(institution=cast.district, code=f"OLD{n}", name=f"옛 부서 {n}")
        WorkItemFactory(
            institution=cast.district,
            unit=unit,
            responsible=PersonFactory(institution=cast.district, unit=unit),
            reference=f"OLD-{unit.pk}",
            year=2001,
        )


def test_query_count_is_flat_on_the_first_and_a_later_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _older(cast, 1)
    page = keyset_pages.assert_flat_on_first_and_later_page(
        client_for("official"),
        URL,
        grow_first=lambda: _older(cast, 5),
        # one year: the page after the 50th reads the rest of it, then the older years
        fill=lambda: _items(cast, 51, years=100),
        grow_later=lambda: _older(cast, 6),
    )
    assert len(page.context["page_obj"]) == 13  # the last of the year and the twelve older ones
    assert sum(item.unit.name.startswith("옛 부서") for item in page.context["page_obj"]) == 12


def test_a_cursor_shows_another_institution_nothing_of_ours(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _items(cast, 55)
    (theirs,) = _items(cast, 1, title="다온구 업무", institution=cast.other, unit=cast.other_unit, years=1)
    WorkItem.objects.filter(pk=theirs).update(year=2001)
    ours = client_for("official").get(URL).context["page_obj"]
    # their one entry is older than every entry of ours, so it lies after any cursor of ours
    keyset_pages.assert_cursors_show_only(
        client_for,
        ("official_b", "aa_officer_b", "admin_b"),
        URL,
        (ours.next_cursor, ours.last_cursor),
        [theirs],
        hidden=("찾을 업무",),
    )


@pytest.mark.parametrize("username", ["no_role", "supervisor"])
def test_the_refused_stay_refused_with_a_cursor_or_an_old_link(cast: Cast, client_for, username: str) -> None:  # type: ignore[no-untyped-def]
    _items(cast, 55)
    cursor = client_for("official").get(URL).context["page_obj"].next_cursor
    client = client_for(username)
    assert client.get(URL, {"cursor": cursor}).status_code == 404
    assert client.get(URL, {"page": "2"}).status_code == 404
