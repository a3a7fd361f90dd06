from __future__ import annotations

import pytest
from django.core.cache import cache

from core import ratelimit


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()


def test_bump_counts_in_a_window_and_count_reads_it() -> None:
    assert ratelimit.count("k") == 0
    assert [ratelimit.bump("k", 60) for _ in range(3)] == [1, 2, 3]
    assert ratelimit.count("k") == 3
    assert ratelimit.count("other") == 0


def test_a_counter_that_expired_between_add_and_incr_starts_again(monkeypatch: pytest.MonkeyPatch) -> None:
    ratelimit.bump("k", 60)

    def gone(key: str, delta: int = 1) -> int:
        raise ValueError(key)

    monkeypatch.setattr(cache, "incr", gone)
    assert ratelimit.bump("k", 60) == 1
