"""The cases an agenda item can decide, and how its result flows back (ADR 0014).

A module registers each kind of case once (committee/links.py registers the
pre-consultation, the exemption case and the official's advice request)::

    register_case_link(CaseLink(
        key="consultation", model=Consultation, label=_("사전컨설팅"),
        item_kinds={AgendaItem.Kind.REFERRAL},
        candidates=lambda institution_id: Consultation.objects.filter(...),
        on_agenda=None, on_result=..., on_removed=None,
    ))

The meeting services call the hooks inside their own transaction, so a write-back that
fails rolls the whole decision back:
- ``on_agenda(actor, case, item)`` when an item is linked to the case;
- ``on_result(actor, case, item)`` when the item is decided (``item.result`` says how);
- ``on_removed(actor, case, item)`` when the item is withdrawn.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils.functional import Promise

from core.access import Actor

if TYPE_CHECKING:
    from committee.models import AgendaItem

Hook = Callable[[Actor, Any, "AgendaItem"], None]


@dataclass(frozen=True)
class CaseLink:
    key: str
    model: type[Model]
    label: str | Promise
    #: The agenda item kinds this case can be decided under.
    item_kinds: frozenset[str]
    #: institution id -> the cases of that institution waiting for the committee.
    candidates: Callable[[int], QuerySet[Any]]
    on_result: Hook
    on_agenda: Hook | None = None
    on_removed: Hook | None = None
    #: case -> its page's URL (shown on the item and in the minutes).
    url: Callable[[Any], str] = field(default=lambda case: "")


_LINKS: dict[str, CaseLink] = {}


def register_case_link(link: CaseLink) -> None:
    _LINKS[link.key] = link


def case_links() -> list[CaseLink]:
    return list(_LINKS.values())


def case_link(key: str) -> CaseLink | None:
    return _LINKS.get(key)


#: The largest id a page or a client may send (a bigint); larger values are not ids.
MAX_ID = 2**63 - 1


def parse_id(raw: str) -> int | None:
    """An id posted as text: ASCII digits within the bigint range, else None (so "²", "-1"
    or a 30-digit number never reach the database)."""
    if not (raw.isascii() and raw.isdigit()):
        return None
    value = int(raw)
    return value if 0 < value <= MAX_ID else None


def parse_case_reference(value: str) -> tuple[CaseLink, int] | None:
    """A case given as "key:id" (the item form's choice, the API's ``case``): the link and
    the id, or None when the key is not registered or the id is not one."""
    key, _sep, raw = value.partition(":")
    link = case_link(key)
    pk = parse_id(raw)
    return (link, pk) if link is not None and pk is not None else None


def link_for_model(model: type[Model]) -> CaseLink | None:
    for link in _LINKS.values():
        if link.model is model or (link.model._meta.concrete_model is model._meta.concrete_model):
            return link
    return None


def link_of(item: AgendaItem) -> CaseLink | None:
    """The registration of the case an item is linked to (None for an item without a case)."""
    if item.case_type_id is None:
        return None
    model = ContentType.objects.get_for_id(item.case_type_id).model_class()
    return link_for_model(model) if model is not None else None
