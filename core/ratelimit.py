"""Windowed counters in the cache for rate limits (receipt lookups, public submissions,
vote codes). Nothing is written to the database; a counter lives for one window from its
first hit. With several app servers the cache must be shared (REDIS_URL)."""

from __future__ import annotations

from django.core.cache import cache


def count(key: str) -> int:
    """The hits counted under `key` in its current window."""
    return int(cache.get(key, 0) or 0)


def bump(key: str, window_seconds: int) -> int:
    """Count one hit and return the total in the window (1 for the first)."""
    if cache.add(key, 1, window_seconds):
        return 1
    try:
        return int(cache.incr(key))
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window_seconds)
        return 1
