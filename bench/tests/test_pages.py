"""The public-page measure's arithmetic, without a server or a browser: the bytes summed
from DevTools Protocol events, and the figures read from a Lighthouse report."""

from __future__ import annotations

from typing import Any

import pytest

from bench import pages
from bench.measures import Plan

BASE = "http://127.0.0.1:8000"


def response(request_id: str, url: str, kind: str, mime: str, *, encoding: str = "", status: int = 200) -> Any:
    headers = {"Content-Type": mime, **({"Content-Encoding": encoding} if encoding else {})}
    return (
        "Network.responseReceived",
        {
            "requestId": request_id,
            "type": kind,
            "response": {"url": url, "status": status, "mimeType": mime, "headers": headers},
        },
    )


def loaded(request_id: str, data: list[int], encoded: int) -> list[Any]:
    return [
        *(("Network.dataReceived", {"requestId": request_id, "dataLength": n}) for n in data),
        ("Network.loadingFinished", {"requestId": request_id, "encodedDataLength": encoded}),
    ]


#: a page as chromium reports it: the HTML (not compressed), a stylesheet in brotli, a font,
#: an icon inlined as a data: URL in the CSS (no transfer) and a stylesheet served plain
EVENTS: list[Any] = [
    ("Network.requestWillBeSent", {"requestId": "1", "request": {"url": f"{BASE}/"}}),
    response("1", f"{BASE}/", "Document", "text/html"),
    *loaded("1", [6000, 4000], 10_240),
    response("2", f"{BASE}/static/app.1234.css", "Stylesheet", "text/css", encoding="br"),
    *loaded("2", [200_000, 100_000], 37_000),
    response("3", f"{BASE}/static/font.5678.woff2", "Font", "font/woff2"),
    *loaded("3", [263_000], 263_400),
    response("4", "data:image/svg+xml;base64,PHN2Zz4=", "Image", "image/svg+xml"),
    *loaded("4", [10], 0),
    response("5", f"{BASE}/static/tokens.css", "Stylesheet", "text/css"),
    *loaded("5", [30_000], 30_300),
]


def test_the_bytes_on_the_wire_are_summed_per_response_and_data_urls_left_out() -> None:
    found = pages.resources(EVENTS)
    assert [r.url.removeprefix(BASE) for r in found] == [
        "/",
        "/static/app.1234.css",
        "/static/font.5678.woff2",
        "/static/tokens.css",
    ]
    assert [r.transferred for r in found] == [10_240, 37_000, 263_400, 30_300]
    assert found[1].size == 300_000  # decoded
    assert found[1].encoding == "br"  # header names are case-insensitive
    assert pages.broken(found) == []


def test_the_row_counts_kib_and_names_the_largest_and_the_uncompressed() -> None:
    found = pages.resources(EVENTS)
    row = pages.weight_row(Plan.make(smoke=False), "home", "/", found, "gzip, deflate, br, zstd")
    assert row.value == pytest.approx((10_240 + 37_000 + 263_400 + 30_300) / 1024)
    assert row.ok is False  # 333 KiB is over 150
    assert row.detail["largest"][0] == {
        "url": "/static/font.5678.woff2",
        "kind": "Font",
        "kb": 257.2,
        "encoding": "none",
    }
    assert row.detail["by_kind_kb"]["Stylesheet"] == pytest.approx(65.7, abs=0.1)
    # a font is compressed already; the HTML and the plain stylesheet are text sent as is
    assert [u["url"] for u in row.detail["uncompressed_text"]] == ["/", "/static/tokens.css"]
    light = [r for r in found if r.kind != "Font"]
    assert pages.weight_row(Plan.make(smoke=False), "home", "/", light, "").ok is True
    assert pages.weight_row(Plan.make(smoke=True), "home", "/", found, "").ok is None  # no targets in smoke


def test_a_page_whose_resources_failed_is_not_weighed() -> None:
    events = [
        *EVENTS,
        response("6", f"{BASE}/static/missing.css", "Stylesheet", "text/html", status=404),
        *loaded("6", [100], 300),
        ("Network.requestWillBeSent", {"requestId": "7", "request": {"url": f"{BASE}/static/gone.js"}}),
        ("Network.loadingFailed", {"requestId": "7", "type": "Script", "errorText": "net::ERR_CONNECTION_RESET"}),
    ]
    found = pages.resources(events)
    assert pages.broken(found) == [
        f"{BASE}/static/missing.css: 404",
        f"{BASE}/static/gone.js: net::ERR_CONNECTION_RESET",
    ]
    with pytest.raises(RuntimeError, match="did not load"):
        pages.weight_row(Plan.make(smoke=False), "home", "/", found, "")


def lighthouse_report(score: float | None, error: str = "") -> dict[str, Any]:
    """The parts of a Lighthouse 12 JSON report the measure reads (shape as written by
    `--output=json`)."""
    return {
        "lighthouseVersion": "12.8.2",
        "environment": {"hostUserAgent": "HeadlessChrome/156.0.0.0"},
        "runWarnings": [],
        **({"runtimeError": {"code": "NO_NAVSTART", "message": error}} if error else {}),
        "categories": {"performance": {"id": "performance", "score": score}},
        "audits": {
            "first-contentful-paint": {"numericValue": 767.4},
            "largest-contentful-paint": {"numericValue": 807.2},
            "total-blocking-time": {"numericValue": 0},
            "cumulative-layout-shift": {"numericValue": 0.0021},
            "speed-index": {"numericValue": 767.4},
            "total-byte-weight": {"numericValue": 625_846},
        },
    }


def test_a_lighthouse_report_gives_its_score_out_of_100_and_its_metrics() -> None:
    score = pages.parse_lighthouse(lighthouse_report(0.99))
    assert score.score == 99.0
    assert score.metrics == {"fcp_ms": 767.4, "lcp_ms": 807.2, "tbt_ms": 0.0, "cls": 0.0021, "si_ms": 767.4}
    assert score.total_kb == 611.2
    mobile = pages.Run(pages.parse_lighthouse(lighthouse_report(0.76)), 18, 2)
    row = pages.score_row(Plan.make(smoke=False), "home", "/", pages.Run(score, 15.04, 1), mobile)
    assert (row.value, row.ok, row.detail["seconds"], row.detail["mobile"]["score"]) == (99.0, True, 15.0, 76.0)
    assert row.detail["mobile"]["attempts"] == 2
    below = pages.Run(pages.parse_lighthouse(lighthouse_report(0.97)), 15, 1)
    low = pages.score_row(Plan.make(smoke=False), "home", "/", below, None)
    assert low.ok is False
    assert "mobile" not in low.detail


def test_a_run_lighthouse_could_not_score_says_why() -> None:
    score = pages.parse_lighthouse(lighthouse_report(None, error="Something went wrong (NO_NAVSTART)"))
    assert score.score is None
    assert "NO_NAVSTART" in score.problem


def test_a_missing_lighthouse_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pages, "LIGHTHOUSE", pages.ROOT / "node_modules" / "no-such-package" / "index.js")
    with pytest.raises(RuntimeError, match=r"Lighthouse is missing.*npm ci"):
        pages.lighthouse_ready()
