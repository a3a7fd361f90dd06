from __future__ import annotations

import datetime

import pytest

#: the root conftest's TODAY (the tests here import it from this module)
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _on_today(on_today: None, fresh_cache: None) -> None:
    """Every test here runs on the root conftest's TODAY (2026-06-15) with an empty cache."""
