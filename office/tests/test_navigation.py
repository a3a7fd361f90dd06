"""The menu registry: entries are shown only to actors their rule allows and only when
their URL reverses, grouped by section in menu order."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from core.access import LOGIN, SUPERUSER, Actor, actor_for, roles
from core.roles import Role
from office import navigation
from office.navigation import NavItem, add_section, group, items_for, register
from tests.cast import Cast


@pytest.fixture
def clean_registry() -> Iterator[None]:
    """Keep the registry and the sections as the apps left them."""
    items = dict(navigation._ITEMS)
    sections = list(navigation.SECTIONS)
    navigation._ITEMS.clear()
    yield
    navigation._ITEMS.clear()
    navigation._ITEMS.update(items)
    navigation.SECTIONS[:] = sections


def test_office_home_is_registered_by_the_office_app() -> None:
    entry = next(item for item in navigation.registered() if item.url_name == "office:home")
    assert entry.section == "home"
    assert entry.rule == LOGIN


@pytest.mark.usefixtures("clean_registry")
def test_entries_follow_the_rule_of_the_actor(cast: Cast) -> None:
    register(NavItem("감사 메뉴", "office:home", roles(Role.AA_OFFICER)), section="audit")
    assert [link.label for link in items_for(actor_for(cast.aa_officer))] == ["감사 메뉴"]
    assert items_for(actor_for(cast.official)) == []
    assert items_for(Actor(user=None, institution=None)) == []


@pytest.mark.usefixtures("clean_registry")
def test_entries_whose_url_does_not_reverse_are_left_out(cast: Cast) -> None:
    register(NavItem("없는 화면", "nowhere:missing", LOGIN), section="work")
    register(NavItem("인자가 필요한 화면", "core:notification_read", LOGIN), section="work")
    register(NavItem("업무 현황", "office:home", LOGIN), section="home")
    links = items_for(actor_for(cast.official))
    assert [(link.label, link.url) for link in links] == [("업무 현황", "/office/")]


@pytest.mark.usefixtures("clean_registry")
def test_links_come_in_section_order_then_registration_order(cast: Cast) -> None:
    register(NavItem("관리 1", "office:home", LOGIN), section="admin")
    register(NavItem("업무 1", "portal:home", LOGIN), section="work")
    register(NavItem("업무 2", "accounts:password_change", LOGIN), section="work")
    groups = group(items_for(actor_for(cast.official)))
    assert [(g.key, [link.label for link in g.links]) for g in groups] == [
        ("work", ["업무 1", "업무 2"]),
        ("admin", ["관리 1"]),
    ]


@pytest.mark.usefixtures("clean_registry")
def test_registering_a_url_name_again_replaces_its_entry(cast: Cast) -> None:
    register(NavItem("옛 이름", "office:home", LOGIN), section="home")
    register(NavItem("새 이름", "office:home", LOGIN), section="work")
    links = items_for(actor_for(cast.official))
    assert [(link.label, link.section) for link in links] == [("새 이름", "work")]


@pytest.mark.usefixtures("clean_registry")
def test_unknown_section_is_refused_until_added() -> None:
    with pytest.raises(ValueError, match="unknown menu section"):
        register(NavItem("x", "office:home", LOGIN), section="reports")
    add_section("reports", "신고", after="work")
    register(NavItem("x", "office:home", LOGIN), section="reports")
    keys = [s.key for s in navigation.SECTIONS]
    assert keys.index("reports") == keys.index("work") + 1


@pytest.mark.usefixtures("clean_registry")
def test_superuser_rule_hides_entry_from_staff(cast: Cast) -> None:
    register(NavItem("시스템", "office:home", SUPERUSER), section="admin")
    assert items_for(actor_for(cast.admin)) == []
