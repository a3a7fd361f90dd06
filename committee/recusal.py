"""Who is recused from an item (ADR 0014): a member who declared an exclusion ground or
stepped aside, and a member whose challenge was upheld. One query for one item, one for a
whole meeting."""

from __future__ import annotations

from collections import defaultdict

from committee.models import AgendaItem, Challenge, Declaration, Meeting


def recused_member_ids(item: AgendaItem) -> set[int]:
    declared = (
        Declaration.objects.filter(item=item)
        .exclude(kind=Declaration.Kind.NONE)
        .order_by()
        .values_list("member_id", flat=True)
    )
    upheld = (
        Challenge.objects.filter(item=item, status=Challenge.Status.UPHELD)
        .order_by()
        .values_list("member_id", flat=True)
    )
    return set(declared.union(upheld).order_by())


def is_recused(item: AgendaItem, member_id: int) -> bool:
    return member_id in recused_member_ids(item)


def recused_by_item(meeting: Meeting) -> dict[int, set[int]]:
    """item id -> the member ids recused from it, for every item of the meeting."""
    found: dict[int, set[int]] = defaultdict(set)
    declared = (
        Declaration.objects.filter(item__meeting=meeting)
        .exclude(kind=Declaration.Kind.NONE)
        .order_by()
        .values_list("item_id", "member_id")
    )
    upheld = (
        Challenge.objects.filter(item__meeting=meeting, status=Challenge.Status.UPHELD)
        .order_by()
        .values_list("item_id", "member_id")
    )
    for item_id, member_id in declared.union(upheld, all=True).order_by():
        found[item_id].add(member_id)
    return dict(found)
