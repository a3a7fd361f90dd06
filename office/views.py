from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.access import LOGIN, access, get_actor
from core.roles import Role
from office import selectors


@access(LOGIN)
def home(request: HttpRequest) -> HttpResponse:
    """The start page: who the actor is, unread notifications and open deadlines."""
    actor = get_actor(request)
    role_labels = [Role(code).label for code in Role.values if actor.has(code)]
    return render(
        request,
        "office/home.html",
        {
            "actor": actor,
            "role_labels": role_labels,
            "notifications": selectors.unread_notifications(actor),
            "deadlines": selectors.open_deadlines(actor),
            "alerts": selectors.home_alerts(actor),
            "today": timezone.localdate(),
        },
    )
