"""Browser-test fixtures shared by every module: Playwright (sync API) driving Debian's
chromium against pytest-django's live server, with axe-core for accessibility.

    pytestmark = pytest.mark.browser

    def test_something(page, login, live_url, assert_accessible, cast):
        login(page, "aa_officer")
        page.goto(live_url("consultations:list"))
        assert_accessible(page)

Run: uv run pytest tests/browser -m browser -p no:xdist -q
Never `playwright install`: the browser is /usr/bin/chromium (apt-get install chromium).
Every page fixture fails its test when the page throws a JavaScript error or the browser
reports a Content-Security-Policy violation.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# test itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from bench.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.cast import PASSWORD, Cast, build_cast

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """SQLite in a file, as the product runs it, instead of the suite's shared in-memory
    database: with one in memory, the live server hands every request thread the test's own
    connection, so two requests at once (a page's htmx search and its form) interleave their
    statements and transactions on it; Django's docs warn that this "may sometimes randomly
    cause the tests to fail", and here it lost a signed-in session mid-test. In a file each
    thread has a connection of its own (WAL, busy timeout, IMMEDIATE transactions)."""
    from django.db import connections

    database = connections["default"].settings_dict
    if database["ENGINE"].endswith("sqlite3") and not database["TEST"].get("NAME"):
        database["TEST"]["NAME"] = str(tmp_path_factory.mktemp("browser-db") / "test.sqlite3")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: apt-get install chromium (never `playwright install`)"
        if os.environ.get("CI") in {"1", "true"}:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


def _watch(page: Any) -> list[str]:
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"JavaScript error: {error}"))

    def on_console(message: Any) -> None:
        text = message.text
        # Code the test itself evaluates (axe-core adds <style> elements) has no URL; a
        # violation by the page's markup or its static scripts carries the file's URL.
        from_page = bool(message.location.get("url"))
        if message.type == "error" and from_page and ("Content Security Policy" in text or "Refused to" in text):
            problems.append(f"CSP violation at {message.location.get('url')}: {text}")

    page.on("console", on_console)
    return problems


@pytest.fixture
def new_page(browser: Any) -> Iterator[Callable[..., Any]]:
    """new_page(viewport=MOBILE, locale="ko-KR") -> a page in a fresh browser context
    (own cookies). The test fails if any such page throws or violates the CSP."""
    contexts: list[Any] = []
    watched: list[list[str]] = []

    def make(*, viewport: dict[str, int] | None = None, locale: str = "ko-KR") -> Any:
        # Reduced motion: the stylesheet then drops the KRDS header's slide, so a click never
        # lands on a header still moving over the page (Playwright waits for a still target,
        # not for a still header).
        context = browser.new_context(viewport=viewport or DESKTOP, locale=locale, reduced_motion="reduce")
        context.set_default_timeout(20_000)
        contexts.append(context)
        page = context.new_page()
        watched.append(_watch(page))
        return page

    yield make
    for context in contexts:
        # Let requests still in flight (a late htmx search, a download) finish before the
        # database is flushed under the live server's feet.
        for open_page in context.pages:
            with contextlib.suppress(PlaywrightTimeout):  # a page that never settles is closed anyway
                open_page.wait_for_load_state("networkidle", timeout=5_000)
        context.close()
    problems = [problem for page_problems in watched for problem in page_problems]
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A desktop-sized page (1280x900, Korean browser locale) in a fresh context."""
    return new_page()


@pytest.fixture
def cast(transactional_db: None, live_server: Any) -> Cast:
    """The fixed cast, committed so that the live server thread sees it."""
    return build_cast()


@pytest.fixture
def live_url(live_server: Any) -> Callable[..., str]:
    """live_url("office:home") or live_url("/raw/path/") -> an absolute URL on the live server."""

    def make(name: str, *args: Any, **kwargs: Any) -> str:
        path = name if name.startswith("/") else reverse(name, args=args or None, kwargs=kwargs or None)
        return f"{live_server.url}{path}"

    return make


@pytest.fixture
def login(live_url: Callable[..., str]) -> Callable[..., None]:
    """login(page, "aa_officer") signs in through the real login form (cast password)."""

    def do(page: Any, username: str, password: str = PASSWORD) -> None:
        page.goto(live_url("accounts:login"))
        page.fill("#id_username", username)
        page.fill("#id_password", password)
        with page.expect_navigation():
            page.click("form.pa-form button[type=submit]")
        assert "/accounts/login/" not in page.url, f"login as {username} failed"

    return do


def _format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"][:10]:
            lines.append(f"    at {' '.join(map(str, node['target']))}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n       ")
            lines.append(f"       {summary}")
            lines.append(f"       {node['html'][:200]}")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (axe-core is pinned in package.json)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def assert_accessible(axe_source: str) -> Callable[..., None]:
    """assert_accessible(page): axe-core finds no WCAG 2.1 A/AA violation on the page as it
    is now. axe is injected with page.evaluate (the CSP forbids added <script> tags)."""

    def check(page: Any, *, exclude: list[str] | None = None) -> None:
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            page.evaluate(axe_source)
        context = {"exclude": [[selector] for selector in exclude]} if exclude else "document"
        options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
        results = page.evaluate(
            "async ([context, options]) => { const ctx = context === 'document' ? document : context;"
            " const r = await axe.run(ctx, options); return JSON.stringify(r.violations); }",
            [context, options],
        )
        violations = json.loads(results)
        assert not violations, f"axe found accessibility problems on {page.url}:\n" + _format_violations(violations)

    return check
