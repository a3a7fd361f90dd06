"""Formatting of dashboard figures: a missing figure shows as a dash, numbers grouped."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def figure(value: Any) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, float):
        return number_format(value, 1, force_grouping=True)
    if isinstance(value, int):
        return number_format(value, 0, force_grouping=True)
    return str(value)


@register.filter
def bar(value: Any, maximum: Any) -> int:
    """A bar's length in the chart's 0-100 units (at least 1 for a non-zero value)."""
    try:
        v, m = float(value or 0), float(maximum or 1)
    except (TypeError, ValueError):
        return 0
    if v <= 0 or m <= 0:
        return 0
    return max(1, round(100 * v / m))
