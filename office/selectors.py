"""Reads for the office start page, scoped to the signed-in actor."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.functional import Promise

from core.access import Actor
from core.models import Deadline, Notification
from core.roles import Role

DASHBOARD_LIMIT = 10

#: Roles that oversee every case of the institution, so see all of its open deadlines.
OVERSIGHT_ROLES = (Role.AA_OFFICER, Role.HEAD)

#: deadline kind -> roles that answer for every deadline of that kind in the institution
#: (HR for incentives, say), whatever unit the deadline is filed under.
_KIND_ROLES: dict[str, frozenset[str]] = {}


def register_deadline_roles(kind: str, *roles: str) -> None:
    """Let the holders of `roles` see every open deadline of `kind` of their institution
    on their start page (from the module's AppConfig.ready())."""
    _KIND_ROLES[kind] = frozenset(roles)


def unread_notifications(actor: Actor, *, limit: int = DASHBOARD_LIMIT) -> list[Notification]:
    """The actor's latest unread notifications, newest first."""
    if actor.user is None:
        return []
    return list(
        Notification.objects.filter(recipient=actor.user, read_at__isnull=True).order_by("-created_at", "-pk")[:limit]
    )


def open_deadlines_queryset(actor: Actor) -> QuerySet[Deadline]:
    """Open deadlines the actor answers for: the whole institution's for its overseers
    (active administration officer, head), otherwise those of the actor's own unit and of
    the units the actor heads. Staff never see another institution's deadlines."""
    if actor.institution_id is None:
        return Deadline.objects.none()
    queryset = Deadline.objects.filter(institution_id=actor.institution_id, closed_at__isnull=True)
    headed = actor.unit_ids(Role.DEPT_HEAD)
    if actor.has(*OVERSIGHT_ROLES) or None in headed:
        return queryset
    units = {unit for unit in headed if unit is not None}
    if actor.unit_id is not None:
        units.add(actor.unit_id)
    kinds = sorted(kind for kind, roles in _KIND_ROLES.items() if actor.has(*roles))
    if not units and not kinds:
        return Deadline.objects.none()
    return queryset.filter(Q(unit_id__in=units) | Q(kind__in=kinds))


def open_deadlines(actor: Actor, *, limit: int = DASHBOARD_LIMIT) -> list[Deadline]:
    """The nearest open deadlines the actor answers for, soonest first."""
    return list(open_deadlines_queryset(actor).order_by("due_on", "pk")[:limit])


@dataclass(frozen=True)
class HomeAlert:
    """A warning on the start page (an institution without its approved plan, say)."""

    text: str | Promise
    url: str = ""


_HOME_ALERTS: dict[str, Callable[[Actor], Iterable[HomeAlert]]] = {}


def register_home_alerts(key: str, fn: Callable[[Actor], Iterable[HomeAlert]]) -> None:
    """A module adds the start page's warnings it knows of (from its AppConfig.ready()); `fn`
    answers for one actor and must be cheap (a query or two, only for the roles it concerns)."""
    _HOME_ALERTS[key] = fn


def home_alerts(actor: Actor) -> list[HomeAlert]:
    if actor.institution_id is None:
        return []
    return [alert for fn in _HOME_ALERTS.values() for alert in fn(actor)]
