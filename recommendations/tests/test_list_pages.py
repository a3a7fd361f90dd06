"""The verifiers' queue in pages by cursor (ADR 0029): the open recommendations (the default),
every state and the verified list move by first, previous, next and last, keep the filters in
every link (full page and htmx partial), count at most COUNT_LIMIT recommendations, send old
numbered links to the first page and answer a forged cursor with the first page and a notice.
A cursor never widens what the actor sees."""

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

from core.access import actor_for
from recommendations import selectors, services
from recommendations.models import Recommendation
from recommendations.tests.factories import submit
from recommendations.workflow import OPEN
from tests.cast import Cast
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db
URL = reverse("recommendations:queue")
S = Recommendation.Status
NOTICE = "요청한 쪽의 위치를 확인할 수 없어 첫 쪽을 보여 드립니다."
_keys = itertools.count(1)


def _recommendations(
    cast: Cast, count: int, *, name: str = "찾을 공무원", status: str = S.RECEIVED, institution: Any = None
) -> list[int]:
    """`count` bare recommendations of an institution (the district by default), in groups of
    seven sharing one time of arrival (and, once decided, one time of decision), so that the
    tie falls across a page boundary and only the pk orders it."""
    institution = institution or cast.district
    rows = Recommendation.objects.bulk_create(
        Recommendation(
            institution=institution,
            number=f"추천-{(key := next(_keys)):05}",
            nominee_name=f"{name} {n:04}",
            what="민원을 한 번에 해결했습니다.",
            effect="처리 기간이 줄었습니다.",
            receipt_hash=f"receipt-{key}",
            submission_key=f"form-{key}",
            status=status,
        )
        for n in range(count)
    )
    base = timezone.now() - datetime.timedelta(days=1)
    pks = [row.pk for row in rows]
    decided = status in (S.VERIFIED, S.NOT_VERIFIED)
    for n in range(0, count, 7):
        at = base - datetime.timedelta(minutes=n)
        Recommendation.objects.filter(pk__in=pks[n : n + 7]).update(
            created_at=at - datetime.timedelta(days=10), decided_at=at if decided else None
        )
    return pks


def _in_order(pks: list[int], *ordering: str) -> list[int]:
    return list(Recommendation.objects.filter(pk__in=pks).order_by(*ordering).values_list("pk", flat=True))


def _newest_first(pks: list[int]) -> list[int]:
    return _in_order(pks, "-created_at", "-pk")


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
    return [r.pk for r in response.context["rows"]]


def _filters_of(query: dict[str, list[str]]) -> dict[str, str]:
    return {key: values[0] for key, values in query.items() if key != "cursor"}


def test_the_open_list_is_served_by_its_own_index() -> None:
    """The partial index of the default list names the workflow's open states (spelt out in
    the model, which the workflow imports)."""
    (index,) = [i for i in Recommendation._meta.indexes if i.name == "rec_inst_open_idx"]
    assert index.condition is not None
    ((lookup, states),) = index.condition.children
    assert lookup == "status__in"
    assert set(states) == set(OPEN)


def test_walking_forward_and_back_keeps_the_filters_and_every_recommendation(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _recommendations(cast, 31) + _recommendations(cast, 31, status=S.VERIFYING)
    _recommendations(cast, 5, name="다른 공무원")
    _recommendations(cast, 3, status=S.NOT_VERIFIED)  # decided: not in the open list
    filters = {"q": "찾을"}
    expected = _newest_first(found)
    client = client_for("aa_officer")

    first = client.get(URL, filters)
    html = first.content.decode()
    assert "추천 62건" in html
    assert _position(html) == "1–25번째"
    links = _links(html)
    assert set(links) == {"다음", "마지막 쪽"}  # no previous link on the first page
    for query in links.values():
        assert _filters_of(query) == filters
    assert _pks(first) == expected[:25]

    second = client.get(URL, links["다음"])
    html = second.content.decode()
    assert _pks(second) == expected[25:50]
    assert _position(html) == "26–50번째"
    back = _links(html)
    assert set(back) == {"이전", "첫 쪽", "다음", "마지막 쪽"}
    assert "cursor" not in back["첫 쪽"]
    assert _filters_of(back["이전"]) == _filters_of(back["첫 쪽"]) == filters

    third = client.get(URL, back["다음"])
    assert _pks(third) == expected[50:]
    assert _position(third.content.decode()) == "51–62번째"
    assert _pks(client.get(URL, _links(third.content.decode())["이전"])) == expected[25:50]
    again = client.get(URL, back["이전"])
    assert _pks(again) == expected[:25]
    assert again.context["page_obj"].is_first

    last = client.get(URL, links["마지막 쪽"])
    assert _pks(last) == expected[37:]  # the last page is full, reading back from the end
    assert _position(last.content.decode()) == "38–62번째"


def test_the_verified_list_moves_by_the_time_of_decision(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    verified = _recommendations(cast, 30, status=S.VERIFIED)
    _recommendations(cast, 4, status=S.NOT_VERIFIED)
    # all arrived at once: only the time of decision (and the pk) orders the list
    Recommendation.objects.filter(pk__in=verified).update(created_at=timezone.now() - datetime.timedelta(days=30))
    expected = _in_order(verified, "-decided_at", "-pk")
    client = client_for("hr_officer")
    first = client.get(URL, {"status": "verified"})
    html = first.content.decode()
    assert "확인 완료(포상 후보) 30건" in html
    second = client.get(URL, _links(html)["다음"])
    assert _pks(first) + _pks(second) == expected
    assert _position(second.content.decode()) == "26–30번째"
    # a cursor of the list by arrival is no cursor of the list by decision
    by_arrival = client.get(URL, {"status": "all"}).context["page_obj"].next_cursor
    moved = client.get(URL, {"status": "verified", "cursor": by_arrival})
    assert NOTICE in moved.content.decode()
    assert _pks(moved) == expected[:25]


def test_the_htmx_results_carry_the_filters_in_their_links(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _recommendations(cast, 28, status=S.NOT_VERIFIED)
    _recommendations(cast, 4, name="다른 공무원", status=S.NOT_VERIFIED)
    filters = {"status": "not_verified", "q": "찾을"}  # what the filter form sends
    client = client_for("aa_officer")
    partial = client.get(URL, filters, headers={"HX-Request": "true"})
    html = partial.content.decode()
    assert "<html" not in html
    assert "추천 28건" in html
    links = _links(html)
    assert _filters_of(links["다음"]) == filters
    following = client.get(URL, links["다음"], headers={"HX-Request": "true"})
    assert "<html" not in following.content.decode()
    assert _pks(partial) + _pks(following) == _newest_first(found)


@pytest.mark.parametrize("hx", [False, True])
def test_a_forged_cursor_shows_the_first_page_and_says_so(cast: Cast, client_for, hx: bool) -> None:  # type: ignore[no-untyped-def]
    expected = _newest_first(_recommendations(cast, 27))
    client = client_for("aa_officer")
    real = client.get(URL).context["page_obj"].next_cursor
    ours = signing.Signer(salt="core.keyset:recommendations.Recommendation:-created_at,-pk")
    theirs = signing.Signer(salt="core.keyset:reports.Report:due_on,pk")
    forged = (
        "garbage",
        "%00",
        "a" * 5000,
        real[:-2] + ("AA" if not real.endswith("AA") else "BB"),  # the signature no longer fits
        real.replace(":", "x:", 1),  # the payload changed under its signature
        theirs.sign_object({"d": "n", "k": ["2026-01-01", 1], "s": 26}),  # another list's
        ours.sign_object({"d": "n", "k": ["not a time", 1], "s": 26}),  # values that are no key
        ours.sign_object({"d": "n", "k": [None, None]}),
        ours.sign_object({"d": "z"}),
        ours.sign_object([1, 2]),
    )
    headers = {"HX-Request": "true"} if hx else {}
    for cursor in forged:
        response = client.get(URL, {"cursor": cursor}, headers=headers)
        assert response.status_code == 200, cursor
        assert NOTICE in response.content.decode(), cursor
        assert _pks(response) == expected[:25], cursor
    assert NOTICE not in client.get(URL, {"cursor": real}).content.decode()
    assert NOTICE not in client.get(URL).content.decode()


def test_old_numbered_links_go_to_the_first_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    response = client.get(URL, {"page": "3", "status": "verified", "q": "김"})
    assert response.status_code == 302
    assert response["Location"] == f"{URL}?status=verified&q=%EA%B9%80"
    assert client.get(URL, {"page": "²", "cursor": "x"})["Location"] == URL


def test_the_count_stops_at_the_limit(cast: Cast, client_for, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 30)
    _recommendations(cast, 31)
    _recommendations(cast, 31, status=S.VERIFIED)
    client = client_for("aa_officer")
    first = client.get(URL)
    html = first.content.decode()
    assert "추천 30건 이상" in html
    assert (first.context["page_obj"].count, first.context["page_obj"].count_capped) == (30, True)
    last = client.get(URL, _links(html)["마지막 쪽"])
    assert _position(last.content.decode()) == "마지막 쪽"  # its position is not known past the count
    assert len(last.context["rows"]) == selectors.PAGE_SIZE
    assert "확인 완료(포상 후보) 30건 이상" in client.get(URL, {"status": "verified"}).content.decode()
    assert "추천 0건" in client.get(URL, {"status": "awaiting_reply"}).content.decode()


def _older(cast: Cast, count: int) -> None:
    """Recommendations through the services (handler, nominee and their unit), arrived before
    every other, so that they land on the second page of the list."""
    officer = actor_for(cast.aa_officer)
    made = []
    for _ in range(count):
        rec, _code = submit(cast.district, nominee_name="오래된 추천")
        services.start(actor=officer, rec=rec)
        made.append(rec.pk)
    Recommendation.objects.filter(pk__in=made).update(created_at=timezone.now() - datetime.timedelta(days=400))


def test_query_count_is_flat_on_the_first_and_a_later_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    _older(cast, 1)
    assert_flat(client, URL, lambda: _older(cast, 3))
    _recommendations(cast, 25)
    cursor = client.get(URL).context["page_obj"].next_cursor
    assert_flat(client, URL, lambda: _older(cast, 3), {"cursor": cursor})
    page = client.get(URL, {"cursor": cursor})
    assert len(page.context["rows"]) == 7
    assert cast.aa_officer.person.name in page.content.decode()  # each row's handler, joined


def test_a_cursor_shows_another_institution_nothing_of_ours(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _recommendations(cast, 55)
    _recommendations(cast, 30, name="확인된 공무원", status=S.VERIFIED)
    (theirs,) = _recommendations(cast, 1, name="다온구 공무원", institution=cast.other)
    Recommendation.objects.filter(pk=theirs).update(created_at=timezone.now() - datetime.timedelta(days=400))
    ours = client_for("aa_officer").get(URL).context["page_obj"]
    # their one recommendation arrived before every one of ours, so it lies after any cursor of ours
    for cursor in (ours.next_cursor, ours.last_cursor):
        response = client_for("aa_officer_b").get(URL, {"cursor": cursor})
        assert response.status_code == 200
        assert _pks(response) == [theirs]
        assert "찾을 공무원" not in response.content.decode()
    verified = client_for("hr_officer").get(URL, {"status": "verified"}).context["page_obj"]
    theirs_verified = client_for("aa_officer_b").get(URL, {"status": "verified", "cursor": verified.next_cursor})
    assert theirs_verified.status_code == 200
    assert _pks(theirs_verified) == []
    for username in ("official", "head", "admin", "audit_staff", "protection_officer", "no_role"):
        assert client_for(username).get(URL, {"cursor": ours.next_cursor}).status_code == 404
