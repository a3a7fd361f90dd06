from __future__ import annotations

import pytest
from django.db import models

from core.access import actor_for
from core.errors import TransitionNotAllowed
from core.models import AuditEntry
from core.workflow import Transition, Workflow
from institutions.models import Unit
from tests.cast import Cast


class Toy(models.TextChoices):
    DRAFT = "draft", "draft"
    SUBMITTED = "submitted", "submitted"
    DONE = "done", "done"


TOY = Workflow(
    "toy",
    Toy,
    [
        Transition("submit", "제출", {Toy.DRAFT}, Toy.SUBMITTED, roles={"author"}),
        Transition("finish", "완료", {Toy.SUBMITTED}, Toy.DONE, roles={"reviewer"}, requires_reason=True),
        Transition(
            "reopen",
            "재개",
            {Toy.DONE},
            Toy.DRAFT,
            roles={"reviewer"},
            guards=[lambda obj: "보관된 건" if getattr(obj, "archived", False) else None],
        ),
    ],
    field_name="kind",  # reuse a char field on Unit for the toy
)

EXPECTED = {
    ("draft", "submit", "author"): True,
    ("submitted", "finish", "reviewer"): True,
    ("done", "reopen", "reviewer"): True,
}


@pytest.mark.parametrize(("state", "action", "role", "allowed"), list(TOY.table()))
def test_toy_table(state: str, action: str, role: str, allowed: bool) -> None:
    assert allowed == EXPECTED.get((state, action, role), False)


def test_declaring_unknown_state_fails() -> None:
    with pytest.raises(ValueError, match="unknown states"):
        Workflow("bad", Toy, [Transition("x", "x", {"nowhere"}, Toy.DONE, roles={"a"})])


def test_declaring_an_action_twice_fails() -> None:
    t = Transition("x", "x", {Toy.DRAFT}, Toy.DONE, roles={"a"})
    with pytest.raises(ValueError, match="twice"):
        Workflow("bad", Toy, [t, t])


def test_apply_changes_state_and_audits(cast: Cast) -> None:
    unit = Unit.objects.create(institution=cast.district, code="TOY", name="toy", kind="draft")
    TOY.apply(unit, "submit", actor=actor_for(cast.official), roles={"author"})
    unit.refresh_from_db()
    assert unit.kind == "submitted"
    entry = AuditEntry.objects.get(action="toy.submit")
    assert entry.changes == {"kind": ["draft", "submitted"]}
    assert entry.target_id == str(unit.pk)


def test_wrong_state_is_refused_and_not_audited(cast: Cast) -> None:
    unit = Unit.objects.create(institution=cast.district, code="TOY", name="toy", kind="draft")
    with pytest.raises(TransitionNotAllowed):
        TOY.apply(unit, "finish", actor=actor_for(cast.official), roles={"reviewer"}, reason="x")
    assert not AuditEntry.objects.filter(action="toy.finish").exists()


def test_wrong_role_is_refused(cast: Cast) -> None:
    unit = Unit.objects.create(institution=cast.district, code="TOY", name="toy", kind="draft")
    with pytest.raises(TransitionNotAllowed, match="권한"):
        TOY.apply(unit, "submit", actor=actor_for(cast.official), roles={"reviewer"})


def test_reason_is_required_where_declared(cast: Cast) -> None:
    unit = Unit.objects.create(institution=cast.district, code="TOY", name="toy", kind="submitted")
    with pytest.raises(TransitionNotAllowed) as exc:
        TOY.apply(unit, "finish", actor=actor_for(cast.official), roles={"reviewer"}, reason="  ")
    assert exc.value.field == "reason"


def test_guard_refuses_with_its_message(cast: Cast) -> None:
    unit = Unit.objects.create(institution=cast.district, code="TOY", name="toy", kind="done")
    unit.archived = True  # type: ignore[attr-defined]
    with pytest.raises(TransitionNotAllowed, match="보관된 건"):
        TOY.apply(unit, "reopen", actor=actor_for(cast.official), roles={"reviewer"})


def test_allowed_lists_only_possible_actions(cast: Cast) -> None:
    unit = Unit(institution=cast.district, code="TOY", name="toy", kind="submitted")
    assert [t.action for t in TOY.allowed(unit, {"reviewer", "author"})] == ["finish"]
