"""The one permission layer used by every view and API endpoint.

Deny by default: every URL declares who may use it with `@access(...)`; a test walks the
URL configuration and fails for any view without a declaration. Forbidden and missing look
the same (404), so nobody learns that another institution's record exists.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.utils import timezone

from core.roles import Role

if TYPE_CHECKING:
    from accounts.models import User
    from institutions.models import Institution

M = TypeVar("M", bound=Model)
View = Callable[..., HttpResponseBase]


#: The stored actor labels of entries without a user (shown translated: core.audit.actor_display).
SYSTEM_LABEL = "system"
PUBLIC_LABEL = "public"


@dataclass(frozen=True)
class Actor:
    """Who is acting, where, with which roles. Services take an Actor, never a request."""

    user: User | None
    institution: Institution | None
    #: role code -> unit ids the role is limited to; None in the set means institution-wide
    grants: dict[str, frozenset[int | None]] = field(default_factory=dict)
    #: a member of the public without an account (portal/public.py PUBLIC_ACTOR)
    public: bool = False

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(self.grants)

    @property
    def is_authenticated(self) -> bool:
        return self.user is not None and self.user.is_authenticated

    @property
    def institution_id(self) -> int | None:
        return self.institution.pk if self.institution else None

    @property
    def is_superuser(self) -> bool:
        return bool(self.user and self.user.is_superuser)

    def has(self, *roles: str) -> bool:
        return any(r in self.grants for r in roles)

    def unit_ids(self, role: str) -> frozenset[int | None]:
        """The units a role is limited to; contains None when it holds institution-wide."""
        return self.grants.get(role, frozenset())

    def has_for_unit(self, role: str, unit_id: int | None) -> bool:
        units = self.unit_ids(role)
        return None in units or (unit_id is not None and unit_id in units)

    @property
    def person_id(self) -> int | None:
        return self.user.person_id if self.user is not None else None

    @property
    def unit_id(self) -> int | None:
        if self.user is not None and self.user.person is not None:
            return self.user.person.unit_id
        return None

    @property
    def label(self) -> str:
        if self.user is None:
            return PUBLIC_LABEL if self.public else SYSTEM_LABEL
        return f"{self.user} ({self.user.get_username()})"


SYSTEM = Actor(user=None, institution=None)


def actor_for(user: Any, *, on: datetime.date | None = None) -> Actor:
    """Build the actor of a user: the institution of the account and its active roles there."""
    from institutions.models import RoleAssignment

    if user is None or not user.is_authenticated:
        return Actor(user=None, institution=None)
    institution = user.institution
    grants: dict[str, set[int | None]] = {}
    if institution is not None:
        rows = (
            RoleAssignment.objects.active(on or timezone.localdate())
            .filter(user=user, institution=institution)
            .values_list("role", "unit_id")
        )
        for role, unit_id in rows:
            grants.setdefault(role, set()).add(unit_id)
    return Actor(user=user, institution=institution, grants={k: frozenset(v) for k, v in grants.items()})


def get_actor(request: HttpRequest) -> Actor:
    cached = getattr(request, "_actor", None)
    if cached is None:
        cached = actor_for(request.user)
        request._actor = cached  # type: ignore[attr-defined]
    return cached


@dataclass(frozen=True)
class Rule:
    """Who may use a view: the public, any signed-in staff member, holders of given roles,
    or system superusers."""

    kind: str
    roles: frozenset[str] = frozenset()

    def allows(self, actor: Actor) -> bool:
        if self.kind == "public":
            return True
        if not actor.is_authenticated:
            return False
        if self.kind == "login":
            return True
        if self.kind == "superuser":
            return actor.is_superuser
        if self.kind == "roles":
            return actor.has(*self.roles)
        return False

    def describe(self) -> str:
        if self.kind == "roles":
            return "roles: " + ", ".join(sorted(self.roles))
        return self.kind


@dataclass(frozen=True)
class AnyOf(Rule):
    """Allowed when any of the given rules allows (e.g. an institution's admins or a superuser)."""

    rules: tuple[Rule, ...] = ()

    def allows(self, actor: Actor) -> bool:
        return any(rule.allows(actor) for rule in self.rules)

    def describe(self) -> str:
        return " | ".join(rule.describe() for rule in self.rules)


def any_of(*rules: Rule) -> AnyOf:
    if not rules:
        raise ValueError("any_of needs at least one rule")
    return AnyOf(kind="any", rules=tuple(rules))


PUBLIC = Rule("public")
LOGIN = Rule("login")
SUPERUSER = Rule("superuser")


def roles(*codes: str | Role) -> Rule:
    if not codes:
        raise ValueError("a role rule needs at least one role")
    return Rule("roles", frozenset(str(c) for c in codes))


def access(rule: Rule) -> Callable[[View], View]:
    """Declare who may use a view, and enforce it."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            actor = get_actor(request)
            if not rule.allows(actor):
                if rule.kind != "public" and not actor.is_authenticated:
                    return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.access_rule = rule  # type: ignore[attr-defined]
        return wrapped

    return decorator


def get_visible_or_404(queryset: QuerySet[M], **lookup: Any) -> M:
    """Fetch one object from a queryset already scoped to what the actor may see.
    Missing and forbidden both answer 404."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


# --- Object access registry -----------------------------------------------------------
# A module registers, per model, a function giving the queryset an actor may see. Shared
# mechanisms (attachments, timelines, register links) use it to check access to any case.
_VISIBLE: dict[type[Model], Callable[[Actor], QuerySet[Any]]] = {}


def register_visibility(model: type[M], fn: Callable[[Actor], QuerySet[M]]) -> None:
    _VISIBLE[model] = fn


def visible(model: type[M], actor: Actor) -> QuerySet[M]:
    fn = _VISIBLE.get(model)
    if fn is None:
        return model._default_manager.none()
    return fn(actor)


def can_see(actor: Actor, obj: Model) -> bool:
    return visible(type(obj), actor).filter(pk=obj.pk).exists()


def same_institution(actor: Actor, queryset: QuerySet[M], field_name: str = "institution") -> QuerySet[M]:
    """Scope a queryset to the actor's institution (nothing for anonymous actors)."""
    if actor.institution_id is None:
        return queryset.none()
    return queryset.filter(**{f"{field_name}_id": actor.institution_id})


def declared_rules(views: Iterable[Any]) -> list[Rule | None]:
    return [getattr(v, "access_rule", None) for v in views]
