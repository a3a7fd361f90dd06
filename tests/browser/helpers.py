"""Small helpers shared by the page-by-page browser tests (tests/browser/test_pages_*.py)."""

from __future__ import annotations

import contextlib
import re
from typing import Any
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from accounts.models import User
from tests.cast import PASSWORD

#: Hangul syllables and jamo: what must not remain in the English interface.
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def url_name(url: str) -> str:
    """The URL name (namespace:name) of an address of this site."""
    return resolve(urlsplit(url).path).view_name


def view_name(page: Any) -> str:
    """The URL name of the page the browser shows now."""
    return url_name(page.url)


def _name_or_none(url: str) -> str | None:
    try:
        return url_name(url)
    except Resolver404:  # about:blank, or a URL outside the site
        return None


def assert_at(page: Any, name: str) -> None:
    """The browser shows the page of this URL name (after any redirects). A click on a link
    returns before the next page arrives, so this waits for it (up to the page's timeout)."""
    with contextlib.suppress(PlaywrightTimeout):  # the assertion below says where the browser is
        page.wait_for_url(lambda url: _name_or_none(url) == name)
    assert view_name(page) == name, f"expected {name}, the browser is at {page.url}"


def goto_ok(page: Any, url: str) -> Any:
    """Open a page and require a 200 answer."""
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, f"{url} answered {response.status}"
    return response


def settle(page: Any, target: Any) -> None:
    """Bring the control into view and wait until the page stops moving: once scrolled, the
    KRDS header turns fixed (the content shifts up) and slides out or back in over 0.4 s, and
    a click sent meanwhile lands on the wrong element or on the header."""
    target.scroll_into_view_if_needed()
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")


def htmx_idle(page: Any) -> None:
    """Wait until htmx has no request in flight and no swap settling. A search form asks on
    change (the field losing focus) and on submit; the first answer's URL push already counts
    as a navigation, and `networkidle` is a load state reached once, so neither waits for the
    second answer, whose swap would detach an element found in the first."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def follow(page: Any, link: Any) -> Any:
    """Click a link (or a button) that leads to another page and wait for that page."""
    settle(page, link)
    with page.expect_navigation() as navigation:
        link.click()
    return navigation.value


def click(page: Any, target: Any) -> None:
    """A mouse click on a control once the page is still."""
    settle(page, target)
    target.click()


def submit(page: Any, button_name: str | re.Pattern[str], *, status: int | None = None, scope: str = "main") -> Any:
    """Click a submit button inside <main> (its exact name, or a pattern) and wait for the
    answer (optionally its status)."""
    button = page.locator(scope).get_by_role("button", name=button_name, exact=isinstance(button_name, str))
    settle(page, button)
    with page.expect_navigation() as navigation:
        button.click()
    response = navigation.value
    if status is not None:
        assert response is not None
        assert response.status == status, f"{page.url} answered {response.status}, expected {status}"
    return response


def assert_field_error(page: Any, field_id: str, text: str | re.Pattern[str]) -> None:
    """An error is shown next to its field and announced with it: the control is marked
    invalid and its accessible description names the error message."""
    control = page.locator(f"#{field_id}")
    expect(control).to_have_attribute("aria-invalid", "true")
    described_by = (control.get_attribute("aria-describedby") or "").split()
    assert f"{field_id}_error" in described_by, f"#{field_id} aria-describedby={described_by}"
    error = page.locator(f"#{field_id}_error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(text)
    # The message sits in the same form group as the control (next to the field).
    group = page.locator(f":is(.pa-field, .form-conts):has(#{field_id}):has(#{field_id}_error)")
    assert group.count() >= 1, f"the error of #{field_id} is not in the field's group"


def make_superuser(username: str = "root") -> User:
    """A system superuser without an institution (sets up institutions)."""
    return User.objects.create_superuser(username=username, email=f"{username}@example.go.kr", password=PASSWORD)


def texts(page: Any, selector: str) -> list[str]:
    """The visible text of every element matching the selector."""
    return [text.strip() for text in page.locator(selector).all_inner_texts() if text.strip()]


def choose(page: Any, control_id: str) -> None:
    """Tick a radio button or check box by its label (KRDS draws the label over the control),
    and make sure it took: a click that lands while the page is still settling is repeated."""
    control = page.locator(f"#{control_id}")
    page.locator(f"label[for='{control_id}']").click()
    if not control.is_checked():
        page.locator(f"label[for='{control_id}']").click()
    expect(control).to_be_checked()


def open_details(page: Any, summary: str) -> None:
    """Open the folded form of an action (its <details>) by the exact text of its summary."""
    details = page.locator("details").filter(
        has=page.locator("summary", has_text=re.compile(rf"^\s*{re.escape(summary)}\s*$"))
    )
    expect(details).to_have_count(1)
    summary = details.locator("summary")
    settle(page, summary)
    summary.click()
    try:
        expect(details).to_have_attribute("open", "", timeout=5_000)
    except AssertionError:
        # A click swallowed by a page still busy (a slow CI machine): once more, as a person would.
        if details.get_attribute("open") is None:
            summary.click()
        expect(details).to_have_attribute("open", "")


def walk_keyset_links(page: Any, pages: Any, *, first: str, last: str) -> None:
    """From a second page of a keyset list (core/keyset.py): "이전" back to the first page,
    "마지막 쪽", then "첫 쪽", each showing its position (`first`, `last`: "1–25번째")."""
    position = pages.locator("[aria-current=page]")
    for link, shown in (("이전", first), ("마지막 쪽", last), ("첫 쪽", first)):
        follow(page, pages.get_by_role("link", name=link))
        expect(position).to_have_text(shown)
