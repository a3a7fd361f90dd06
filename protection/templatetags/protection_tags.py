"""`{% load protection_tags %}`: `amount|money` shows won with thousands separators."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def money(value: object) -> object:
    """5500000 -> "5,500,000"; anything that is not a number is shown as it is."""
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return value
