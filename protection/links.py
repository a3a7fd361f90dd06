"""Support requests on a work register entry's page (register/links.py)."""

from __future__ import annotations

from django.urls import reverse

from core.access import Actor
from protection.selectors import visible_requests
from register.links import LinkedCase
from register.models import WorkItem


def requests_of(item: WorkItem, actor: Actor) -> list[LinkedCase]:
    """The requests about this entry that the actor may see (one query)."""
    return [
        LinkedCase(
            r.get_kind_display(),
            f"{r.reference} {r.person.name}",
            r.get_status_display(),
            reverse("protection:detail", kwargs={"pk": r.pk}),
            r.created_at,
        )
        for r in visible_requests(actor).filter(work_item=item).select_related("person").order_by("-year", "-number")
    ]
