from __future__ import annotations

import datetime
import os
from collections.abc import Iterator

os.environ.setdefault("PROACTIVE_TESTING", "1")

import pytest
import time_machine
from django.test import Client

from tests.cast import Cast, build_cast


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """Each test starts in the default language: a request in English (LocaleMiddleware
    activates it for the thread and leaves it so) must not change what later code outside
    a request writes, such as the messages a task stores."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _library_years() -> None:
    """The public library keeps its years in the cache (library.selectors.published_years);
    a test's factories make published cases without the services that forget them."""
    from library.selectors import next_years_generation

    next_years_generation()


@pytest.fixture
def cast(db: None) -> Cast:
    return build_cast()


@pytest.fixture
def client_for(cast: Cast):  # type: ignore[no-untyped-def]
    """client_for("aa_officer") -> a Client signed in as that cast member."""

    def make(name: str) -> Client:
        client = Client()
        client.force_login(cast.users[name])
        return client

    return make


#: the day the public services' tests run on (`on_today`)
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def on_today() -> Iterator[None]:
    """Time stands still on TODAY, early morning UTC (a package's conftest makes it autouse)."""
    with time_machine.travel(datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC), tick=False):
        yield


@pytest.fixture
def fresh_cache() -> Iterator[None]:
    """An empty cache before and after the test (form receipts, throttles, lookup counters)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
