"""The checks the office lists in keyset pages share (ADR 0029): each list's test module
(consultations, library, register, exemptions, recommendations) calls them with its own
address, filters, actors and expected rows, and keeps what only its list does.

A list moves by first, previous, next and last, keeps the filters in every link (full page
and htmx partial), counts at most its COUNT_LIMIT rows, sends old numbered links to the
first page, answers a forged cursor with the first page and a notice, and never shows
another institution anything of ours through a cursor.

The rows of a page are read from the response's context: `page_obj` unless the view puts
them, decorated, in another variable (`rows=`). This module is no test module, so pytest
does not rewrite its asserts: each says what it compared."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from html import unescape
from typing import Any
from urllib.parse import parse_qs

from django.core import signing
from django.test import Client

from tests.query_counts import assert_flat

NOTICE = "요청한 쪽의 위치를 확인할 수 없어 첫 쪽을 보여 드립니다."
HTMX = {"HX-Request": "true"}

Query = dict[str, list[str]]


def links(html: str) -> dict[str, Query]:
    """The pagination's links by their text, each as its parsed query."""
    nav = html.split('class="krds-pagination"', 1)[1].split("</nav>", 1)[0]
    found = re.findall(r'<a class="page-navi[^"]*" href="\?([^"]*)"[^>]*>([^<]+)</a>', nav)
    return {text: parse_qs(unescape(query), keep_blank_values=True) for query, text in found}


def position(html: str) -> str:
    match = re.search(r'<strong class="page-position" aria-current="page">([^<]+)</strong>', html)
    assert match, "no position in the pagination"
    return match.group(1)


def pks(response: Any, rows: str = "page_obj") -> list[int]:
    return [row.pk for row in response.context[rows]]


def filters_of(query: Query) -> dict[str, str]:
    return {key: values[0] for key, values in query.items() if key != "cursor"}


def signed(salt: str, payload: object) -> str:
    """A cursor as the keyset signs it under `salt` ("core.keyset:<model>:<ordering>")."""
    return signing.Signer(salt=salt).sign_object(payload)


def pages(client: Client, url: str, data: Mapping[str, str] | None = None) -> list[Any]:
    """The list's pages from the first, each fetched by the previous one's "다음" link."""
    found = [client.get(url, data)]
    while "다음" in (following := links(found[-1].content.decode())):
        found.append(client.get(url, following["다음"]))
    return found


def walk(
    client: Client,
    url: str,
    filters: Mapping[str, str],
    expected: Sequence[int],
    *,
    noun: str,
    size: int,
    rows: str = "page_obj",
) -> list[Any]:
    """Walk the list filtered by `filters` forward by "다음" and back by "이전" and "첫 쪽",
    and to its end by "마지막 쪽": every page holds its `size` rows of `expected` (the list in
    order), says where it stands and carries the filters in every link; the first page has
    no link back, the last no link on. Returns the pages in order, for the module's own
    checks."""
    total = len(expected)
    chunks = [list(expected[start : start + size]) for start in range(0, total, size)]
    assert len(chunks) > 1, "a walk wants more than one page"
    walked = [client.get(url, filters)]
    assert f"{noun} {total}건" in walked[0].content.decode(), f"no caption {noun} {total}건"
    for number, chunk in enumerate(chunks):
        if number:
            walked.append(client.get(url, links(walked[-1].content.decode())["다음"]))
        html = walked[-1].content.decode()
        assert pks(walked[-1], rows) == chunk, f"page {number + 1} holds other rows"
        start = number * size
        assert position(html) == f"{start + 1}–{start + len(chunk)}번째", position(html)
        found = links(html)
        wanted = set()
        if number:  # no link back on the first page
            wanted |= {"이전", "첫 쪽"}
        if number < len(chunks) - 1:  # none onward on the last
            wanted |= {"다음", "마지막 쪽"}
        assert set(found) == wanted, (number + 1, set(found))
        for text, query in found.items():
            assert filters_of(query) == filters, (number + 1, text, query)
        if number:
            assert "cursor" not in found["첫 쪽"], found["첫 쪽"]
    for number in range(1, len(chunks)):
        found = links(walked[number].content.decode())
        back = client.get(url, found["이전"])
        assert pks(back, rows) == chunks[number - 1], f"back from page {number + 1}: other rows"
        if number == 1:
            assert back.context["page_obj"].is_first, "back to the start: not the first page"
        assert pks(client.get(url, found["첫 쪽"]), rows) == chunks[0], f"first from page {number + 1}: other rows"
    last = client.get(url, links(walked[0].content.decode())["마지막 쪽"])
    # the last page is full, reading back from the end
    assert pks(last, rows) == list(expected[-size:]), "the last page holds other rows"
    assert position(last.content.decode()) == f"{total - size + 1}–{total}번째", position(last.content.decode())
    before_last = client.get(url, links(last.content.decode())["이전"])
    # reading back from the last page; near the start, "previous" is the first page, full
    start = max(total - 2 * size, 0)
    assert pks(before_last, rows) == list(expected[start : start + size]), "back from the last page: other rows"
    return walked


def assert_htmx_pages_keep_the_filters(
    client: Client,
    url: str,
    filters: Mapping[str, str],
    expected: Sequence[int],
    *,
    noun: str,
    rows: str = "page_obj",
) -> None:
    """The htmx results of a two-page list: partials, counted, whose "다음" link carries the
    filters the form sent (the empty ones too) and leads to the rest of `expected`."""
    partial = client.get(url, filters, headers=HTMX)
    html = partial.content.decode()
    assert "<html" not in html, "a whole page for an htmx request"
    assert f"{noun} {len(expected)}건" in html, f"no caption {noun} {len(expected)}건"
    following_link = links(html)["다음"]
    assert filters_of(following_link) == filters, following_link
    following = client.get(url, following_link, headers=HTMX)
    assert "<html" not in following.content.decode(), "a whole page for the next htmx request"
    assert pks(partial, rows) + pks(following, rows) == list(expected), "the two partials hold other rows"


def assert_forged_cursor_gives_first_page(
    client: Client,
    url: str,
    first_page: Sequence[int],
    *,
    salt: str,
    other_list: str,
    no_keys: Iterable[object],
    data: Mapping[str, str] | None = None,
    hx: bool = False,
    rows: str = "page_obj",
) -> None:
    """Every forged cursor (garbage, a broken signature or payload, `other_list`'s cursor,
    payloads signed with the list's own `salt` that hold no key, `no_keys` among them)
    shows `first_page` with the notice, as a page or an htmx partial; a real cursor and
    no cursor show no notice."""
    data = dict(data or {})
    real = client.get(url, data).context["page_obj"].next_cursor
    ours = signing.Signer(salt=salt)
    forged = (
        "garbage",
        "%00",
        "a" * 5000,
        real[:-2] + ("AA" if not real.endswith("AA") else "BB"),  # the signature no longer fits
        real.replace(":", "x:", 1),  # the payload changed under its signature
        other_list,
        *(ours.sign_object(payload) for payload in no_keys),
        ours.sign_object({"d": "z"}),
        ours.sign_object([1, 2]),
    )
    for cursor in forged:
        response = client.get(url, {**data, "cursor": cursor}, headers=HTMX if hx else {})
        assert response.status_code == 200, (cursor, response.status_code)
        assert NOTICE in response.content.decode(), cursor
        assert pks(response, rows) == list(first_page), cursor
    assert NOTICE not in client.get(url, {**data, "cursor": real}).content.decode(), "a notice for a real cursor"
    assert NOTICE not in client.get(url, data).content.decode(), "a notice without a cursor"


def assert_old_page_link_redirects(client: Client, url: str, data: Mapping[str, str], location: str) -> None:
    """An old numbered link (`data` with a page) answers with a redirect to `location`."""
    response = client.get(url, data)
    assert response.status_code == 302, (data, response.status_code)
    assert response["Location"] == location, (data, response["Location"])


def assert_count_capped(
    client: Client,
    url: str,
    *,
    limit: int,
    noun: str,
    page_size: int,
    data: Mapping[str, str] | None = None,
    rows: str = "page_obj",
) -> None:
    """With more than `limit` rows the caption says "at least", the page counts `limit`,
    and the last page, full, no longer says where it stands."""
    first = client.get(url, data)
    html = first.content.decode()
    assert f"{noun} {limit:,}건 이상" in html, f"no caption {noun} {limit:,}건 이상"
    page = first.context["page_obj"]
    assert (page.count, page.count_capped) == (limit, True), (page.count, page.count_capped)
    last = client.get(url, links(html)["마지막 쪽"])
    # its position is not known past the count
    assert position(last.content.decode()) == "마지막 쪽", position(last.content.decode())
    assert len(last.context[rows]) == page_size, len(last.context[rows])


def assert_flat_on_first_and_later_page(
    client: Client,
    url: str,
    *,
    grow_first: Callable[[], object],
    fill: Callable[[], object],
    grow_later: Callable[[], object],
    data: Mapping[str, str] | None = None,
) -> Any:
    """`assert_flat` on the first page while `grow_first()` adds older rows, then, once
    `fill()` has added a first page of newer rows, on the page after it while `grow_later()`
    adds more. Returns that later page, for the module's checks of its rows."""
    data = dict(data or {})
    assert_flat(client, url, grow_first, data)
    fill()
    cursor = client.get(url, data).context["page_obj"].next_cursor
    assert_flat(client, url, grow_later, {**data, "cursor": cursor})
    return client.get(url, {**data, "cursor": cursor})


def assert_cursors_show_only(
    client_for: Callable[[str], Client],
    usernames: Iterable[str],
    url: str,
    cursors: Iterable[str],
    seen: Sequence[int],
    *,
    hidden: Iterable[str],
    data: Mapping[str, str] | None = None,
    rows: str = "page_obj",
) -> None:
    """Each of `usernames`, given each of our `cursors`, sees exactly `seen` (their own rows)
    and none of the `hidden` texts of ours."""
    data = dict(data or {})
    cursors, hidden = list(cursors), list(hidden)
    for username in usernames:
        for cursor in cursors:
            response = client_for(username).get(url, {**data, "cursor": cursor})
            assert response.status_code == 200, (username, response.status_code)
            assert pks(response, rows) == list(seen), (username, cursor)
            html = response.content.decode()
            for text in hidden:
                assert text not in html, (username, text)
