"""The back office's menu: a registry every module adds its entries to.

A module registers its entries once, from its AppConfig.ready():

    from office.navigation import NavItem, register
    register(
        NavItem(_("사전컨설팅"), "consultations:list", roles(Role.OFFICIAL, Role.AA_OFFICER)),
        section="work",
    )

`items_for(actor)` gives only the entries whose rule allows the actor (the same Rule as the
view's `@access`) and whose URL reverses; the shell shows them grouped by section, in the
order of SECTIONS and then of registration.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.access import Actor, Rule

Label = str | Promise


@dataclass(frozen=True)
class Section:
    key: str
    label: Label


#: The menu's sections, in display order. Modules may add one with `add_section`.
SECTIONS: list[Section] = [
    Section("home", _("홈")),
    Section("work", _("나의 업무")),
    Section("audit", _("감사·적극행정")),
    Section("protection", _("보호·지원")),
    Section("committee", _("적극행정위원회")),
    Section("recognition", _("우수공무원·사례")),
    Section("plans", _("계획·점검")),
    Section("statistics", _("통계")),
    Section("admin", _("관리")),
]


@dataclass(frozen=True)
class NavItem:
    """One menu entry: a label, the URL name it links to and who may see it."""

    label: Label
    url_name: str
    rule: Rule
    section: str = ""


@dataclass(frozen=True)
class NavLink:
    """A menu entry resolved for one actor: it has a URL."""

    label: Label
    url: str
    url_name: str
    section: str


@dataclass
class NavGroup:
    section: Section
    links: list[NavLink] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.section.key

    @property
    def label(self) -> Label:
        return self.section.label


_ITEMS: dict[str, NavItem] = {}


def add_section(key: str, label: Label, *, after: str | None = None) -> None:
    """Add a section (at the end, or after the section `after`). Adding it again is a no-op."""
    if any(s.key == key for s in SECTIONS):
        return
    position = len(SECTIONS)
    if after is not None:
        position = next((i + 1 for i, s in enumerate(SECTIONS) if s.key == after), position)
    SECTIONS.insert(position, Section(key, label))


def register(*items: NavItem, section: str) -> None:
    """Add entries to a section. Registering a URL name again replaces its entry."""
    if not any(s.key == section for s in SECTIONS):
        known = ", ".join(s.key for s in SECTIONS)
        raise ValueError(f"unknown menu section {section!r}; known: {known} (or add_section first)")
    for item in items:
        _ITEMS[item.url_name] = replace(item, section=section)


def unregister(url_name: str) -> None:
    _ITEMS.pop(url_name, None)


def registered() -> list[NavItem]:
    return list(_ITEMS.values())


def _reverse(url_name: str) -> str | None:
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def items_for(actor: Actor) -> list[NavLink]:
    """The entries this actor may use, in menu order; entries whose URL does not reverse
    (a module not installed, or a URL that needs arguments) are left out."""
    order = {s.key: i for i, s in enumerate(SECTIONS)}
    links: list[NavLink] = []
    for item in sorted(_ITEMS.values(), key=lambda it: order.get(it.section, len(order))):
        if not item.rule.allows(actor):
            continue
        url = _reverse(item.url_name)
        if url is not None:
            links.append(NavLink(item.label, url, item.url_name, item.section))
    return links


def group(links: Iterable[NavLink]) -> list[NavGroup]:
    """The links grouped by section, sections in menu order, empty sections left out."""
    groups = {s.key: NavGroup(s) for s in SECTIONS}
    for link in links:
        groups[link.section].links.append(link)
    return [g for g in groups.values() if g.links]
