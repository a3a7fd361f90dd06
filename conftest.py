from __future__ import annotations

import os

os.environ.setdefault("PROACTIVE_TESTING", "1")

import pytest
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
