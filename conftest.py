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
