"""The case list's pages by cursor (ADR 0029): the list and "my cases", ordered by
(-filed_on, -pk), move by first, previous, next and last, keep the filters in every link (full
page and htmx partial), count at most COUNT_LIMIT cases, send old numbered links to the first
page and answer a forged cursor with the first page and a notice. A cursor never widens what
the actor sees."""

from __future__ import annotations

import datetime
import itertools
import re
from html import unescape
from typing import Any
from urllib.parse import parse_qs

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from exemptions import selectors
from exemptions.models import ExemptionCase, ExemptionOfficial
from exemptions.tests import factories as f
from institutions.models import Institution, Person
from tests.cast import Cast
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db
URL = reverse("exemptions:list")
MINE = reverse("exemptions:mine")
S = ExemptionCase.Status
NOTICE = "요청한 쪽의 위치를 확인할 수 없어 첫 쪽을 보여 드립니다."
_numbers = itertools.count(10_000)  # clear of the numbers the services give


def _cases(
    cast: Cast,
    count: int,
    *,
    act: str = "찾을 행위",
    status: str = S.UNDER_REVIEW,
    institution: Institution | None = None,
    officials: list[Person] | None = None,
    days_ago: int = 10,
) -> list[int]:
    """`count` bare cases of an institution (the district by default), in groups of seven
    sharing one filing day, so that the tie on filed_on falls across a page boundary and only
    the pk orders it; each names `officials`, if given."""
    institution = institution or cast.district
    newest = timezone.localdate() - datetime.timedelta(days=days_ago)
    rows = ExemptionCase.objects.bulk_create(
        ExemptionCase(
            institution=institution,
            year=newest.year,
            number=(number := next(_numbers)),
            reference=f"면책-{number:05}",
            stage=ExemptionCase.Stage.AUDIT,
            origin=ExemptionCase.Origin.OWN_INITIATIVE,
            status=status,
            act=f"{act} {n:04}",
            matter_title="2026년 정기감사",
            matter_date=newest,
            filed_on=newest - datetime.timedelta(days=n // 7),
        )
        for n in range(count)
    )
    ExemptionOfficial.objects.bulk_create(
        ExemptionOfficial(case=case, person=person) for case in rows for person in officials or []
    )
    return [row.pk for row in rows]


def _newest_first(pks: list[int]) -> list[int]:
    return list(ExemptionCase.objects.filter(pk__in=pks).order_by("-filed_on", "-pk").values_list("pk", flat=True))


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
    return [case.pk for case in response.context["page_obj"]]


def _filters_of(query: dict[str, list[str]]) -> dict[str, str]:
    return {key: values[0] for key, values in query.items() if key != "cursor"}


def test_walking_forward_and_back_keeps_the_filters_and_every_case(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _cases(cast, 62)
    _cases(cast, 5, act="다른 행위")
    _cases(cast, 3, status=S.DECIDED)
    filters = {"status": "under_review", "q": "찾을"}
    expected = _newest_first(found)
    client = client_for("audit_staff")

    first = client.get(URL, filters)
    html = first.content.decode()
    assert "면책 건 62건" in html
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
    found = _cases(cast, 53)
    _cases(cast, 4, act="다른 행위")
    # what the filter form sends: every field, the empty ones too
    filters = {"q": "찾을", "status": "", "stage": "", "decision": "", "quarter": ""}
    client = client_for("aa_officer")
    partial = client.get(URL, filters, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html
    assert "면책 건 53건" in html
    links = _links(html)
    assert _filters_of(links["다음"]) == filters
    following = client.get(URL, links["다음"], headers={"HX-Request": "true"})
    assert "<html" not in following.content.decode()
    assert _pks(partial) + _pks(following) == _newest_first(found)


def test_my_cases_move_by_cursor_too(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    mine = _cases(cast, 55, officials=[cast.official.person])
    _cases(cast, 6, act="다른 사람 건", officials=[cast.official2.person])
    client = client_for("official")
    first = client.get(MINE)
    assert "면책 건 55건" in first.content.decode()
    second = client.get(MINE, _links(first.content.decode())["다음"])
    assert _pks(first) + _pks(second) == _newest_first(mine)
    assert "다른 사람 건" not in first.content.decode() + second.content.decode()


@pytest.mark.parametrize("hx", [False, True])
def test_a_forged_cursor_shows_the_first_page_and_says_so(cast: Cast, client_for, hx: bool) -> None:  # type: ignore[no-untyped-def]
    expected = _newest_first(_cases(cast, 52))
    client = client_for("aa_officer")
    real = client.get(URL).context["page_obj"].next_cursor
    ours = signing.Signer(salt="core.keyset:exemptions.ExemptionCase:-filed_on,-pk")
    theirs = signing.Signer(salt="core.keyset:reports.Report:due_on,pk")
    forged = (
        "garbage",
        "%00",
        "a" * 5000,
        real[:-2] + ("AA" if not real.endswith("AA") else "BB"),  # the signature no longer fits
        real.replace(":", "x:", 1),  # the payload changed under its signature
        theirs.sign_object({"d": "n", "k": ["2026-01-01", 1], "s": 26}),  # another list's
        ours.sign_object({"d": "n", "k": ["not a day", 1], "s": 51}),  # values that are no key
        ours.sign_object({"d": "n", "k": [None, None]}),
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
    client = client_for("audit_staff")
    response = client.get(URL, {"page": "3", "status": "decided", "q": "도로"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?status=decided&q=%EB%8F%84%EB%A1%9C"
    assert client.get(URL, {"page": "2", "cursor": "x"})["Location"] == URL
    assert client_for("official").get(MINE, {"page": "2"})["Location"] == MINE


def test_the_count_stops_at_the_limit(cast: Cast, client_for, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 60)
    _cases(cast, 61)
    client = client_for("aa_officer")
    first = client.get(URL)
    html = first.content.decode()
    assert "면책 건 60건 이상" in html
    assert (first.context["page_obj"].count, first.context["page_obj"].count_capped) == (60, True)
    last = client.get(URL, _links(html)["마지막 쪽"])
    assert _position(last.content.decode()) == "마지막 쪽"  # its position is not known past the count
    assert len(last.context["page_obj"]) == selectors.PAGE_SIZE
    assert "면책 건 0건" in client.get(URL, {"status": "withdrawn"}).content.decode()


def _older(cast: Cast, count: int) -> None:
    """Cases through the services (officials, applicant, work item), filed before every
    other, so that they land on the second page of the list."""
    officials = [cast.official.person, cast.official2.person]
    made = [
        f.opened(cast, act=f"오래된 행위 {n}", officials=officials, work_item=f.work_item(cast)) for n in range(count)
    ]
    made += [f.applied(cast, act=f"오래된 신청 {n}", work_item=f.work_item(cast)) for n in range(count)]
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    ExemptionCase.objects.filter(pk__in=[c.pk for c in made]).update(filed_on=long_ago)


def test_query_count_is_flat_on_the_first_and_a_later_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    _older(cast, 1)
    assert_flat(client, URL, lambda: _older(cast, 3))
    _cases(cast, 50)
    cursor = client.get(URL).context["page_obj"].next_cursor
    assert_flat(client, URL, lambda: _older(cast, 3), {"cursor": cursor})
    page = client.get(URL, {"cursor": cursor})
    assert len(page.context["page_obj"]) == 14
    assert cast.official2.person.name in page.content.decode()  # each row's officials, prefetched


def test_a_cursor_shows_another_institution_nothing_of_ours(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _cases(cast, 55)
    named = _cases(cast, 55, act="건축과 건", officials=[cast.official.person])
    (theirs,) = _cases(
        cast, 1, act="다온구 행위", institution=cast.other, officials=[cast.official_b.person], days_ago=400
    )
    ours = client_for("aa_officer").get(URL).context["page_obj"]
    official = client_for("official").get(URL).context["page_obj"]
    for username in ("aa_officer_b", "official_b"):
        # their one case is older than every case of ours, so it lies after any cursor of ours
        for cursor in (ours.next_cursor, ours.last_cursor, official.next_cursor):
            response = client_for(username).get(URL, {"cursor": cursor})
            assert response.status_code == 200
            assert _pks(response) == [theirs]
            assert "찾을 행위" not in response.content.decode()
            assert "건축과 건" not in response.content.decode()
    # an official of the same district sees only the cases naming them, whatever the cursor
    other_official = client_for("official2").get(URL, {"cursor": ours.next_cursor})
    assert other_official.status_code == 200
    assert _pks(other_official) == []
    following = client_for("official").get(URL, {"cursor": official.next_cursor})
    assert set(_pks(following)) <= set(named)
    for username in ("no_role", "head"):
        assert client_for(username).get(URL, {"cursor": ours.next_cursor}).status_code == 404
        assert client_for(username).get(MINE, {"cursor": ours.next_cursor}).status_code == 404
