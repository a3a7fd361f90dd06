"""Fixtures of the shared-mechanism tests: a case to hang deadlines and files on.

A work-register entry stands in for any module's case; its visibility (normally registered
by the owning module) is set here: staff see their own institution's entries."""

from __future__ import annotations

import pytest

from core import access, deadlines
from core.access import Actor, actor_for
from register.models import WorkItem
from tests.cast import Cast
from tests.factories import WorkItemFactory


def _own_institution(actor: Actor):  # type: ignore[no-untyped-def]
    if actor.institution_id is None:
        return WorkItem.objects.none()
    return WorkItem.objects.filter(institution_id=actor.institution_id)


@pytest.fixture
def case_visibility(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(access._VISIBLE, WorkItem, _own_institution)


@pytest.fixture
def case(cast: Cast, case_visibility: None) -> WorkItem:
    return WorkItemFactory(institution=cast.district, unit=cast.building, title="건축허가 사전컨설팅")


@pytest.fixture
def other_case(cast: Cast, case_visibility: None) -> WorkItem:
    return WorkItemFactory(institution=cast.other, unit=cast.other_unit, title="다온구 사전컨설팅")


@pytest.fixture
def actor(cast: Cast):  # type: ignore[no-untyped-def]
    """actor("aa_officer") -> the Actor of a cast member."""
    return lambda name: actor_for(cast.users[name])


@pytest.fixture
def kinds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deadline kinds registered as a module would (with the registry restored after)."""
    from core.notifications import users_with_roles
    from core.roles import Role

    monkeypatch.setattr(deadlines, "_KINDS", dict(deadlines._KINDS))
    deadlines.register_deadline_kind(
        "test.review",
        "사전컨설팅 검토",
        lambda d: users_with_roles(d.institution_id, Role.AA_OFFICER, Role.AUDIT_STAFF),
    )
