"""One small declarative way for a module to state its workflow.

A module declares its states and transitions once::

    CONSULTATION = Workflow("consultation", Status, [
        Transition("submit", _("제출"), {Status.DRAFT, Status.RETURNED}, Status.SUBMITTED,
                   roles={"dept_head"}),
        ...
    ])

Its services call ``CONSULTATION.apply(obj, "submit", actor=actor, roles=case_roles)``,
which checks the state, the role and the requirements, changes the state, and writes the
audit entry in the same transaction (action "consultation.submit", whose timeline label is
the transition's label). ``table()`` gives every (state, action, role) for the
module's table test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core import audit
from core.access import Actor
from core.errors import TransitionNotAllowed

Guard = Callable[[Any], "str | Promise | None"]


@dataclass(frozen=True)
class Transition:
    action: str
    label: str | Promise
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    requires_reason: bool = False
    #: extra checks on the object; each returns an error message or None
    guards: tuple[Guard, ...] = ()

    def __init__(
        self,
        action: str,
        label: str | Promise,
        sources: Iterable[str],
        target: str,
        *,
        roles: Iterable[str],
        requires_reason: bool = False,
        guards: Iterable[Guard] = (),
    ) -> None:
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "label", label)
        object.__setattr__(self, "sources", frozenset(str(s) for s in sources))
        object.__setattr__(self, "target", str(target))
        object.__setattr__(self, "roles", frozenset(str(r) for r in roles))
        object.__setattr__(self, "requires_reason", requires_reason)
        object.__setattr__(self, "guards", tuple(guards))


@dataclass
class Workflow:
    name: str
    states: type[models.TextChoices]
    transitions: list[Transition]
    field_name: str = "status"
    _by_action: dict[str, Transition] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_action = {}
        valid = {str(v) for v in self.states.values}
        for t in self.transitions:
            if t.action in self._by_action:
                raise ValueError(f"{self.name}: action {t.action!r} declared twice")
            unknown = (t.sources | {t.target}) - valid
            if unknown:
                raise ValueError(f"{self.name}.{t.action}: unknown states {sorted(unknown)}")
            self._by_action[t.action] = t
            audit.register_action(self.audit_action(t.action), t.label)

    def audit_action(self, action: str) -> str:
        """The audit log's code of a transition (its label is registered with it)."""
        return f"{self.name}.{action}"

    @property
    def actions(self) -> list[str]:
        return [t.action for t in self.transitions]

    @property
    def all_roles(self) -> frozenset[str]:
        return frozenset().union(*(t.roles for t in self.transitions))

    def transition(self, action: str) -> Transition:
        try:
            return self._by_action[action]
        except KeyError as exc:
            raise TransitionNotAllowed(_("알 수 없는 처리입니다.")) from exc

    def state_of(self, obj: Any) -> str:
        return str(getattr(obj, self.field_name))

    def is_allowed(self, state: str, action: str, role: str) -> bool:
        t = self._by_action.get(action)
        return t is not None and str(state) in t.sources and role in t.roles

    def check(self, obj: Any, action: str, roles: Iterable[str], reason: str = "") -> Transition:
        t = self.transition(action)
        if self.state_of(obj) not in t.sources:
            raise TransitionNotAllowed(
                _("현재 상태(%(state)s)에서는 '%(action)s' 처리를 할 수 없습니다.")
                % {"state": self.label_of(self.state_of(obj)), "action": t.label}
            )
        if not (t.roles & frozenset(str(r) for r in roles)):
            raise TransitionNotAllowed(_("'%(action)s' 처리 권한이 없습니다.") % {"action": t.label})
        if t.requires_reason and not reason.strip():
            raise TransitionNotAllowed(_("사유를 입력해 주십시오."), field="reason")
        for guard in t.guards:
            message = guard(obj)
            if message:
                raise TransitionNotAllowed(message)
        return t

    def allowed(self, obj: Any, roles: Iterable[str]) -> list[Transition]:
        role_set = frozenset(str(r) for r in roles)
        state = self.state_of(obj)
        return [t for t in self.transitions if state in t.sources and t.roles & role_set]

    def apply(
        self,
        obj: models.Model,
        action: str,
        *,
        actor: Actor,
        roles: Iterable[str],
        reason: str = "",
        changes: dict[str, Any] | None = None,
        update_fields: Iterable[str] = (),
    ) -> Transition:
        """Check and apply a transition, save the object and audit it, atomically."""
        with transaction.atomic():
            t = self.check(obj, action, roles, reason)
            before = self.state_of(obj)
            setattr(obj, self.field_name, t.target)
            fields = {self.field_name, *update_fields}
            if any(f.name == "updated_at" for f in obj._meta.get_fields()):
                fields.add("updated_at")
            obj.save(update_fields=sorted(fields))
            audit.record(
                actor=actor,
                action=self.audit_action(action),
                target=obj,
                changes={self.field_name: [before, t.target], **(changes or {})},
                reason=reason,
            )
        return t

    def label_of(self, state: str) -> str:
        try:
            return str(self.states(state).label)
        except ValueError:
            return state

    def table(self, roles: Iterable[str] | None = None) -> Iterator[tuple[str, str, str, bool]]:
        """Every (state, action, role, allowed) combination, for the module's table test."""
        role_list = sorted(roles if roles is not None else self.all_roles)
        for state in self.states.values:
            for t in self.transitions:
                for role in role_list:
                    yield str(state), t.action, role, self.is_allowed(str(state), t.action, role)
