from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.access import get_actor


def shell(request: HttpRequest) -> dict[str, Any]:
    """What every page's shell needs: the actor (institution, roles)."""
    if not hasattr(request, "user"):
        return {}
    return {"actor": get_actor(request)}
