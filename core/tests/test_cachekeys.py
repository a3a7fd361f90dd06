"""Values kept in a cache that several databases share name their database."""

from __future__ import annotations

import pytest
from django.db import connection

from core.cachekeys import database_tag


def test_the_tag_names_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    tag = database_tag()
    assert tag == database_tag()
    assert len(tag) == 16
    monkeypatch.setitem(connection.settings_dict, "NAME", "another")
    assert database_tag() != tag
