"""What every page's shell needs. Everything here is lazy: a value costs a query only
when the template actually uses it (the portal never touches the menu or the bell)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from core.access import get_actor


def unread_count(user: Any) -> int:
    """The number of unread notifications of a user (one indexed COUNT; 0 when anonymous)."""
    from core.models import Notification

    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def shell(request: HttpRequest) -> dict[str, Any]:
    """The actor (institution, roles), the menu entries the actor may use (`nav_items`, and
    grouped by section `nav_groups`) and the unread notification count for the bell."""
    if not hasattr(request, "user"):
        return {}
    from office import navigation

    def nav_items() -> list[navigation.NavLink]:
        return navigation.items_for(get_actor(request))

    items = SimpleLazyObject(nav_items)
    return {
        "actor": SimpleLazyObject(lambda: get_actor(request)),
        "nav_items": items,
        "nav_groups": SimpleLazyObject(lambda: navigation.group(items)),
        "unread_notifications": SimpleLazyObject(lambda: unread_count(request.user)),
    }


def page_font(request: HttpRequest) -> dict[str, Any]:
    """Each render's collector of the characters its user-written text draws (the
    `{% glyphs %}` marks), read by `{% page_font %}` (core/page_fonts.py)."""
    from core.page_fonts import Glyphs

    return {"page_glyphs": Glyphs()}
