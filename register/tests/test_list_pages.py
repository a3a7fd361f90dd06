"""The register's pages by cursor (ADR 0029): ordered by (-year, reference, pk), the list
moves by first, previous, next and last, keeps the filters in every link (full page and
htmx partial), counts at most COUNT_LIMIT entries, sends old numbered links to the first
page and answers a forged cursor with the first page and a notice. A cursor never widens
what the actor sees, and the refused roles stay refused."""

from __future__ import annotations

import itertools
import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.core import signing
from django.urls import reverse

from institutions.models import Institution, Unit
from register import selectors
from register.models import WorkItem
from tests.cast import Cast
from tests.factories import PersonFactory, UnitFactory, WorkItemFactory
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db
URL = reverse("register:list")
NOTICE = "요청한 쪽의 위치를 확인할 수 없어 첫 쪽을 보여 드립니다."
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


def _links(html: str) -> dict[str, dict[str, list[str]]]:
    """The pagination's links by their text, each as its parsed query."""
    nav = html.split('class="krds-pagination"', 1)[1].split("</nav>", 1)[0]
    found = re.findall(r'<a class="page-navi[^"]*" href="\?([^"]*)"[^>]*>([^<]+)</a>', nav)
    return {text: parse_qs(unescape(query), keep_blank_values=True) for query, text in found}


def _position(html: str) -> str:
    match = re.search(r'<strong class="page-position" aria-current="page">([^<]+)</strong>', html)
    assert match, "no position in the pagination"
    return match.group(1)


def _pks(response: Any) -> list[int]:
    return [item.pk for item in response.context["page_obj"]]


def _filters_of(query: dict[str, list[str]]) -> dict[str, str]:
    return {key: values[0] for key, values in query.items() if key != "cursor"}


def test_walking_forward_and_back_keeps_the_filters_and_every_entry(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _items(cast, 62)
    _items(cast, 5, prefix="O", title="다른 업무")
    _items(cast, 3, prefix="C", category=WorkItem.Category.CONTRACT)
    filters = {"q": "찾을", "category": "permit", "unit": str(cast.building.pk)}
    expected = _in_order(found)
    client = client_for("official")

    first = client.get(URL, filters)
    html = first.content.decode()
    assert "업무 62건" in html
    assert _position(html) == "1–50번째"
    links = _links(html)
    assert set(links) == {"다음", "마지막 쪽"}  # no previous link on the first page
    for query in links.values():
        assert _filters_of(query) == filters
    assert _pks(first) == expected[:50]

    second = client.get(URL, links["다음"])
    html = second.content.decode()
    assert _pks(second) == expected[50:]
    assert _position(html) == "51–62번째"
    back = _links(html)
    assert set(back) == {"이전", "첫 쪽"}
    assert "cursor" not in back["첫 쪽"]
    assert _filters_of(back["이전"]) == _filters_of(back["첫 쪽"]) == filters
    # the download is the whole filtered list, not the page
    export = re.search(r'href="/office/register/export\.xlsx\?([^"]*)"', html)
    assert export is not None
    assert "cursor" not in parse_qs(unescape(export.group(1)))

    again = client.get(URL, back["이전"])
    assert _pks(again) == expected[:50]
    assert again.context["page_obj"].is_first
    assert _pks(client.get(URL, back["첫 쪽"])) == expected[:50]

    last = client.get(URL, links["마지막 쪽"])
    assert _pks(last) == expected[12:]  # the last page is full, reading back from the end
    assert _position(last.content.decode()) == "13–62번째"
    before_last = client.get(URL, _links(last.content.decode())["이전"])
    assert _pks(before_last) == expected[:50]  # near the start, "previous" is the first page, full


def test_a_year_moves_by_cursor_within_the_year(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """The year filter keeps one year: its pages go by reference alone (the index (institution,
    -year, reference) seeks the cursor's reference, not the year's first entry)."""
    found = _items(cast, 120, years=60)  # 2026 and 2025
    client = client_for("aa_officer")
    first = client.get(URL, {"year": "2025"})
    second = client.get(URL, _links(first.content.decode())["다음"])
    expected = _in_order(found)[60:]
    assert _pks(first) + _pks(second) == expected
    assert "업무 60건" in second.content.decode()
    assert not second.context["page_obj"].has_next


def test_the_htmx_results_carry_the_filters_in_their_links(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _items(cast, 53)
    _items(cast, 4, prefix="O", title="다른 업무")
    # what the filter form sends: every field, the empty ones too
    filters = {"q": "찾을", "category": "", "unit": "", "status": "", "year": ""}
    client = client_for("audit_staff")
    partial = client.get(URL, filters, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html
    assert "업무 53건" in html
    links = _links(html)
    assert _filters_of(links["다음"]) == filters
    following = client.get(URL, links["다음"], headers={"HX-Request": "true"})
    assert "<html" not in following.content.decode()
    assert _pks(partial) + _pks(following) == _in_order(found)


@pytest.mark.parametrize("hx", [False, True])
def test_a_forged_cursor_shows_the_first_page_and_says_so(cast: Cast, client_for, hx: bool) -> None:  # type: ignore[no-untyped-def]
    expected = _in_order(_items(cast, 52))
    client = client_for("official")
    real = client.get(URL).context["page_obj"].next_cursor
    ours = signing.Signer(salt="core.keyset:register.WorkItem:-year,reference,pk")
    theirs = signing.Signer(salt="core.keyset:consultations.Consultation:-created_at,-pk")
    forged = (
        "garbage",
        "%00",
        "a" * 5000,
        real[:-2] + ("AA" if not real.endswith("AA") else "BB"),  # the signature no longer fits
        real.replace(":", "x:", 1),  # the payload changed under its signature
        theirs.sign_object({"d": "n", "k": ["2026-01-01T00:00:00", 1], "s": 51}),  # another list's
        ours.sign_object({"d": "n", "k": ["not a year", "R-0001", 1], "s": 51}),  # values that are no key
        ours.sign_object({"d": "n", "k": [2026, "R-0001", None]}),
        ours.sign_object({"d": "z"}),
        ours.sign_object([1, 2]),
    )
    headers = {"HX-Request": "true"} if hx else {}
    for cursor in forged:
        response = client.get(URL, {"cursor": cursor}, headers=headers)
        assert response.status_code == 200, cursor
        assert NOTICE in response.content.decode(), cursor
        assert _pks(response) == expected[:50], cursor
    assert NOTICE not in client.get(URL, {"cursor": real}).content.decode()
    assert NOTICE not in client.get(URL).content.decode()


def test_old_numbered_links_go_to_the_first_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("official")
    response = client.get(URL, {"page": "3", "category": "permit", "q": "도로"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?category=permit&q=%EB%8F%84%EB%A1%9C"
    assert client.get(URL, {"page": "2", "cursor": "x"})["Location"] == URL


def test_the_count_stops_at_the_limit(cast: Cast, client_for, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 60)
    _items(cast, 61)
    client = client_for("official")
    first = client.get(URL)
    html = first.content.decode()
    assert "업무 60건 이상" in html
    assert (first.context["page_obj"].count, first.context["page_obj"].count_capped) == (60, True)
    last = client.get(URL, _links(html)["마지막 쪽"])
    assert _position(last.content.decode()) == "마지막 쪽"  # its position is not known past the count
    assert len(last.context["page_obj"]) == selectors.PAGE_SIZE
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
    client = client_for("official")
    _older(cast, 1)
    assert_flat(client, URL, lambda: _older(cast, 5))
    _items(cast, 51, years=100)  # one year: the page after the 50th reads the rest of it, then the older years
    cursor = client.get(URL).context["page_obj"].next_cursor
    assert_flat(client, URL, lambda: _older(cast, 6), {"cursor": cursor})
    page = client.get(URL, {"cursor": cursor})
    assert len(page.context["page_obj"]) == 13  # the last of the year and the twelve older ones
    assert sum(item.unit.name.startswith("옛 부서") for item in page.context["page_obj"]) == 12


def test_a_cursor_shows_another_institution_nothing_of_ours(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _items(cast, 55)
    (theirs,) = _items(cast, 1, title="다온구 업무", institution=cast.other, unit=cast.other_unit, years=1)
    WorkItem.objects.filter(pk=theirs).update(year=2001)
    ours = client_for("official").get(URL).context["page_obj"]
    for username in ("official_b", "aa_officer_b", "admin_b"):
        # their one entry is older than every entry of ours, so it lies after any cursor of ours
        for cursor in (ours.next_cursor, ours.last_cursor):
            response = client_for(username).get(URL, {"cursor": cursor})
            assert response.status_code == 200
            assert _pks(response) == [theirs]
            assert "찾을 업무" not in response.content.decode()


@pytest.mark.parametrize("username", ["no_role", "supervisor"])
def test_the_refused_stay_refused_with_a_cursor_or_an_old_link(cast: Cast, client_for, username: str) -> None:  # type: ignore[no-untyped-def]
    _items(cast, 55)
    cursor = client_for("official").get(URL).context["page_obj"].next_cursor
    client = client_for(username)
    assert client.get(URL, {"cursor": cursor}).status_code == 404
    assert client.get(URL, {"page": "2"}).status_code == 404
