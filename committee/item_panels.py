"""The item page's panels: the meeting part (committee/views_meetings.py) renders the item
page and asks each part for its panel's context. Each part owns its function and its
template (templates/committee/deliberation/_item_panel.html,
templates/committee/requests/_opinions_panel.html)."""

from __future__ import annotations

from typing import Any

from committee.models import AgendaItem
from core.access import Actor


def deliberation_context(actor: Actor, item: AgendaItem, roles: frozenset[str]) -> dict[str, Any]:
    """Declarations, challenges, votes and the decision form (the deliberation part)."""
    from committee.selectors_deliberation import item_panel

    return item_panel(actor, item, roles)


def opinions_context(actor: Actor, item: AgendaItem, roles: frozenset[str]) -> dict[str, Any]:
    """Opinions heard and requested (the requests part)."""
    from committee.selectors_requests import opinions_panel

    return opinions_panel(actor, item, roles)
