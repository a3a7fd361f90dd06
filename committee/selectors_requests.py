"""Reads for advice requests and opinions."""

from __future__ import annotations

from typing import Any

from committee.models import AgendaItem
from core.access import Actor


def opinions_panel(actor: Actor, item: AgendaItem, roles: frozenset[str]) -> dict[str, Any]:
    return {}
