"""The list's pages by cursor (ADR 0029): the scopes ordered by (-created_at, -pk) move by
first, previous, next and last, keep the filters in every link (full page and htmx partial),
count at most 1,000 requests, send old numbered links to the first page and answer a forged
cursor with the first page and a notice. The audit queue, ordered by its deadline, keeps
numbered pages. A cursor never widens what the actor sees."""

from __future__ import annotations

import datetime
import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.core import signing
from django.core.paginator import Page
from django.urls import reverse
from django.utils import timezone

from consultations import selectors
from consultations.models import Consultation
from consultations.selectors import ConsultationFilters
from consultations.tests.factories import actor, submitted
from core.keyset import KeysetPage
from institutions.models import Unit
from tests.cast import Cast
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db
URL = reverse("consultations:list")
QUEUE = reverse("consultations:queue")
S = Consultation.Status
NOTICE = "요청한 쪽의 위치를 확인할 수 없어 첫 쪽을 보여 드립니다."


def _requests(
    cast: Cast, count: int, *, title: str = "찾을 요청", status: str = S.SUBMITTED, unit: Unit | None = None
) -> list[int]:
    """`count` bare requests of a unit (the building department by default; submitted ones are the audit side's to
    see, drafts only the department's), in groups of seven sharing one creation time, so that
    the tie on created_at falls across a page boundary and only the pk orders it."""
    unit = unit or cast.building
    rows = Consultation.objects.bulk_create(
        Consultation(
            institution_id=unit.institution_id,
            unit=unit,
            title=f"{title} {n:04}",
            status=status,
            submission_count=0 if status == S.DRAFT else 1,
        )
        for n in range(count)
    )
    base = timezone.now() - datetime.timedelta(days=1)
    pks = [row.pk for row in rows]
    for n in range(0, count, 7):
        group = pks[n : n + 7]
        Consultation.objects.filter(pk__in=group).update(created_at=base - datetime.timedelta(minutes=n))
    return pks


def _newest_first(pks: list[int]) -> list[int]:
    return list(Consultation.objects.filter(pk__in=pks).order_by("-created_at", "-pk").values_list("pk", flat=True))


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
    return [c.pk for c in response.context["rows"]]


def _filters_of(query: dict[str, list[str]]) -> dict[str, str]:
    return {key: values[0] for key, values in query.items() if key != "cursor"}


def test_the_scopes_by_date_move_by_cursor_and_the_queue_by_number(cast: Cast) -> None:
    officer = actor(cast, "aa_officer")
    for scope in (selectors.SCOPE_ALL, selectors.SCOPE_MINE):
        assert selectors.pages_by_keyset(ConsultationFilters(scope=scope))
        assert isinstance(selectors.list_page(officer, ConsultationFilters(scope=scope)), KeysetPage)
    assert not selectors.pages_by_keyset(ConsultationFilters(scope=selectors.SCOPE_QUEUE))
    assert isinstance(selectors.list_page(officer, ConsultationFilters(scope=selectors.SCOPE_QUEUE)), Page)


def test_walking_forward_and_back_keeps_the_filters_and_every_request(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _requests(cast, 62)
    _requests(cast, 5, title="다른 요청")
    _requests(cast, 3, status=S.UNDER_REVIEW)
    filters = {"scope": "all", "status": "submitted", "q": "찾을"}
    expected = _newest_first(found)
    client = client_for("aa_officer")

    first = client.get(URL, filters)
    html = first.content.decode()
    assert "사전컨설팅 62건" in html
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

    again = client.get(URL, back["이전"])
    assert _pks(again) == expected[:50]
    assert again.context["page_obj"].is_first
    assert _pks(client.get(URL, back["첫 쪽"])) == expected[:50]

    last = client.get(URL, links["마지막 쪽"])
    assert _pks(last) == expected[12:]  # the last page is full, reading back from the end
    assert _position(last.content.decode()) == "13–62번째"
    before_last = client.get(URL, _links(last.content.decode())["이전"])
    assert _pks(before_last) == expected[:50]  # near the start, "previous" is the first page, full


def test_the_htmx_results_carry_the_filters_in_their_links(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _requests(cast, 53)
    _requests(cast, 4, title="다른 요청")
    # what the filter form sends: every field, the hidden work item empty
    filters = {"scope": "all", "status": "", "q": "찾을", "work_item": ""}
    client = client_for("audit_staff")
    partial = client.get(URL, filters, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html
    assert "사전컨설팅 53건" in html
    links = _links(html)
    assert _filters_of(links["다음"]) == filters
    following = client.get(URL, links["다음"], headers={"HX-Request": "true"})
    assert "<html" not in following.content.decode()
    assert _pks(partial) + _pks(following) == _newest_first(found)


def test_the_departments_own_list_moves_by_cursor_too(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    ours = _requests(cast, 55, status=S.DRAFT)
    _requests(cast, 6, title="도시계획과 요청", status=S.DRAFT, unit=cast.planning)
    client = client_for("official")
    first = client.get(URL)
    assert first.context["scope"] == "mine"
    second = client.get(URL, _links(first.content.decode())["다음"])
    assert _pks(first) + _pks(second) == _newest_first(ours)
    assert "도시계획과 요청" not in first.content.decode() + second.content.decode()


@pytest.mark.parametrize("hx", [False, True])
def test_a_forged_cursor_shows_the_first_page_and_says_so(cast: Cast, client_for, hx: bool) -> None:  # type: ignore[no-untyped-def]
    expected = _newest_first(_requests(cast, 52))
    client = client_for("aa_officer")
    real = client.get(URL, {"scope": "all"}).context["page_obj"].next_cursor
    ours = signing.Signer(salt="core.keyset:consultations.Consultation:-created_at,-pk")
    theirs = signing.Signer(salt="core.keyset:reports.Report:due_on,pk")
    forged = (
        "garbage",
        "%00",
        "a" * 5000,
        real[:-2] + ("AA" if not real.endswith("AA") else "BB"),  # the signature no longer fits
        real.replace(":", "x:", 1),  # the payload changed under its signature
        theirs.sign_object({"d": "n", "k": ["2026-01-01", 1], "s": 26}),  # another list's
        ours.sign_object({"d": "n", "k": ["not a time", 1], "s": 51}),  # values that are no key
        ours.sign_object({"d": "n", "k": [None, None]}),
        ours.sign_object({"d": "z"}),
        ours.sign_object([1, 2]),
    )
    headers = {"HX-Request": "true"} if hx else {}
    for cursor in forged:
        response = client.get(URL, {"scope": "all", "cursor": cursor}, headers=headers)
        assert response.status_code == 200, cursor
        assert NOTICE in response.content.decode(), cursor
        assert _pks(response) == expected[:50], cursor
    assert NOTICE not in client.get(URL, {"scope": "all", "cursor": real}).content.decode()
    assert NOTICE not in client.get(URL, {"scope": "all"}).content.decode()


def test_old_numbered_links_go_to_the_first_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    response = client.get(URL, {"page": "3", "scope": "all", "q": "도로"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?scope=all&q=%EB%8F%84%EB%A1%9C"
    official = client_for("official")
    assert official.get(URL, {"page": "2", "cursor": "x"})["Location"] == URL  # "mine", the default
    # the queue's address with another scope moves by cursor as well
    assert client.get(QUEUE, {"scope": "all", "page": "2"})["Location"] == f"{QUEUE}?scope=all"


def test_the_audit_queue_keeps_numbered_pages(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _requests(cast, 53)
    client = client_for("aa_officer")
    second = client.get(QUEUE, {"page": "2"})
    assert second.status_code == 200
    page = second.context["page_obj"]
    assert (page.number, page.paginator.count, len(second.context["rows"])) == (2, 53, 3)
    html = second.content.decode()
    assert "사전컨설팅 53건" in html
    assert 'href="?page=1"' in html
    assert "cursor=" not in html
    assert client.get(QUEUE, {"cursor": "garbage"}).context["page_obj"].number == 1  # a cursor means nothing here


def test_the_count_stops_at_a_thousand(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _requests(cast, selectors.COUNT_LIMIT + 1)
    client = client_for("aa_officer")
    first = client.get(URL, {"scope": "all"})
    html = first.content.decode()
    assert "사전컨설팅 1,000건 이상" in html
    assert (first.context["page_obj"].count, first.context["page_obj"].count_capped) == (1000, True)
    last = client.get(URL, _links(html)["마지막 쪽"])
    assert _position(last.content.decode()) == "마지막 쪽"  # its position is not known past the count
    assert len(last.context["rows"]) == selectors.PAGE_SIZE
    assert "사전컨설팅 0건" in client.get(URL, {"scope": "all", "status": "draft"}).content.decode()


def _older(cast: Cast, count: int) -> None:
    """Requests through the services (number, deadline, officials, work item), made older than
    every other, so that they land on the second page of the list."""
    officials = [cast.official.person, cast.official2.person]
    made = [submitted(cast, title=f"오래된 요청 {n}", officials=officials) for n in range(count)]
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Consultation.objects.filter(pk__in=[c.pk for c in made]).update(created_at=long_ago)


def test_query_count_is_flat_on_the_first_and_a_later_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    _older(cast, 1)
    assert_flat(client, URL, lambda: _older(cast, 5), {"scope": "all"})
    _requests(cast, 50)
    cursor = client.get(URL, {"scope": "all"}).context["page_obj"].next_cursor
    assert_flat(client, URL, lambda: _older(cast, 6), {"scope": "all", "cursor": cursor})
    page = client.get(URL, {"scope": "all", "cursor": cursor})
    assert len(page.context["rows"]) == 12
    assert "근무일 남음" in page.content.decode()  # each row's deadline, attached in one query


def test_a_cursor_shows_another_institution_nothing_of_ours(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _requests(cast, 55)
    drafts = _requests(cast, 55, title="건축과 초안", status=S.DRAFT)
    (theirs,) = _requests(cast, 1, title="다온구 요청", unit=cast.other_unit)
    Consultation.objects.filter(pk=theirs).update(created_at=timezone.now() - datetime.timedelta(days=400))
    ours = client_for("aa_officer").get(URL, {"scope": "all"}).context["page_obj"]
    department = client_for("official").get(URL, {"scope": "all"}).context["page_obj"]
    for username in ("aa_officer_b", "official_b"):
        # their one request is older than every row of ours, so it lies after any cursor of ours
        for cursor in (ours.next_cursor, ours.last_cursor, department.next_cursor):
            response = client_for(username).get(URL, {"scope": "all", "cursor": cursor})
            assert response.status_code == 200
            assert _pks(response) == [theirs]
            assert "찾을 요청" not in response.content.decode()
            assert "건축과 초안" not in response.content.decode()
    # another department of the same district: the building department's drafts stay its own
    other_unit = client_for("official2").get(URL, {"scope": "all", "cursor": department.next_cursor})
    assert other_unit.status_code == 200
    assert not set(_pks(other_unit)) & set(drafts)
    for username in ("no_role", "supervisor"):
        assert client_for(username).get(URL, {"cursor": ours.next_cursor}).status_code == 404
