"""The query-count check the list and dashboard tests share (issue 8): render a page with a
few rows, add more rows (each with its related objects), render it again and demand the
same number of queries. A page that loads a relation per row (an N+1) then fails in CI
instead of slowing down a national deployment."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")


def captured(client: Client, url: str, data: Mapping[str, Any] | None = None, **headers: str) -> list[str]:
    """The SQL of one GET of `url` (it must answer 200), after a first GET that warms what is
    cached once per process (content types, the session's last-use write). A streamed
    download (XLSX) is read to its end inside the count: its rows are queried as it streams."""
    client.get(url, data, headers=headers)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, data, headers=headers)
        if response.streaming:
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert response.status_code == 200, (url, response.status_code)
    return [str(query["sql"]) for query in ctx.captured_queries]


def _compare(label: str, few: list[str], many: list[str]) -> int:
    """Equal counts, or a failure that names the statements that ran more often."""
    if len(many) != len(few):
        shapes = Counter(_LITERALS.sub("?", sql) for sql in many)
        shapes.subtract(_LITERALS.sub("?", sql) for sql in few)
        grown = "\n".join(f"{n:+d} × {shape[:400]}" for shape, n in shapes.items() if n)
        raise AssertionError(f"{label}: {len(few)} queries with few rows, {len(many)} with more:\n{grown}")
    return len(many)


def assert_flat(
    client: Client,
    url: str,
    grow: Callable[[], object],
    data: Mapping[str, Any] | None = None,
    **headers: str,
) -> int:
    """GET `url`, call `grow()` to add rows, GET it again: the two counts must be equal.
    Returns the count, so a test can also bound it."""
    few = captured(client, url, data, **headers)
    grow()
    return _compare(url, few, captured(client, url, data, **headers))


def assert_same(client: Client, small: str, large: str, data: Mapping[str, Any] | None = None, **headers: str) -> int:
    """Two pages of the same view, one object with few rows and one with many (a contest
    past its entry stage cannot take more entries): the counts must be equal."""
    few = captured(client, small, data, **headers)
    return _compare(f"{small} vs {large}", few, captured(client, large, data, **headers))
