"""Everything linked to a register entry, through one mechanism (DOMAIN.md §3).

A module whose cases point at a register entry (pre-consultations, exemptions, reports,
best practices, ...) registers a provider from its AppConfig.ready():

    from register.links import LinkedCase, register_link_provider

    def consultations_of(item, actor):
        return [LinkedCase(_("사전컨설팅"), c.title, c.get_status_display(), c.get_absolute_url(), c.created_at)
                for c in visible_consultations(actor).filter(work_item=item)]

    register_link_provider("consultations", _("사전컨설팅"), consultations_of)

The entry's page shows one section per provider, in registration order. A provider answers
only what the actor may see (it gets the actor for that) and should use one query.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

if TYPE_CHECKING:
    from core.access import Actor
    from register.models import WorkItem

Label = str | Promise


@dataclass(frozen=True)
class LinkedCase:
    kind_label: Label
    title: str
    status_label: Label
    url: str
    date: datetime.date | datetime.datetime | None = None


LinkFn = Callable[["WorkItem", "Actor"], Sequence[LinkedCase]]


@dataclass(frozen=True)
class LinkProvider:
    key: str
    label: Label
    fn: LinkFn


@dataclass(frozen=True)
class LinkedSection:
    key: str
    label: Label
    cases: list[LinkedCase]


_PROVIDERS: dict[str, LinkProvider] = {}


def register_link_provider(key: str, label: Label, fn: LinkFn) -> None:
    """Add (or replace) the provider of one kind of linked case."""
    _PROVIDERS[key] = LinkProvider(key, label, fn)


def unregister_link_provider(key: str) -> None:
    _PROVIDERS.pop(key, None)


def providers() -> list[LinkProvider]:
    return list(_PROVIDERS.values())


def linked_sections(item: WorkItem, actor: Actor) -> list[LinkedSection]:
    """Each provider's cases for this entry, as the actor may see them."""
    return [LinkedSection(p.key, p.label, list(p.fn(item, actor))) for p in _PROVIDERS.values()]
