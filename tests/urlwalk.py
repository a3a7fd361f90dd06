"""Every route of the project, walked from the URL resolver: the one walk behind the tests
that must consider each URL (access declarations, the access matrix, the second factor,
security headers, browser coverage), so a new URL reaches all of them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    route: str  # as written in the URLconfs, joined ("office/reports/<int:pk>/")
    name: str  # "namespace:name" ("" when the pattern has no name)
    callback: Any

    @property
    def params(self) -> tuple[str, ...]:
        return tuple(re.findall(r"<(?:\w+:)?(\w+)>", self.route))

    @property
    def module(self) -> str:
        return str(getattr(self.callback, "func", self.callback).__module__)


def routes(patterns: list[Any] | None = None, prefix: str = "", namespace: str = "") -> Iterator[Route]:
    for p in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from routes(p.url_patterns, prefix + str(p.pattern), inner)
        elif isinstance(p, URLPattern):
            yield Route(prefix + str(p.pattern), f"{namespace}{p.name}" if p.name else "", p.callback)


def concrete(route: str, number: str = "999999") -> str:
    """A path for `route`, its parameters filled in (ids with `number`)."""
    route = route.replace("\\Z", "")
    route = re.sub(r"<uuid:[^>]+>", "00000000-0000-0000-0000-000000000000", route)
    route = re.sub(r"<int:[^>]+>", number, route)
    route = re.sub(r"<[^>]+>", "x", route)
    route = re.sub(r"\(\?P<[^>]+>[^)]*\)", "x", route)
    return "/" + route.replace("^", "").replace("$", "")
