from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _public_service(on_today: None, fresh_cache: None) -> None:
    """Every test here runs on the root conftest's TODAY with an empty cache."""
