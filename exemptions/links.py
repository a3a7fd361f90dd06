"""The exemption cases of a register entry (register/links.py), as the actor may see them."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from exemptions.selectors import visible_cases
from register.links import LinkedCase

if TYPE_CHECKING:
    from core.access import Actor
    from register.models import WorkItem

LIMIT = 100


def cases_of_work_item(item: WorkItem, actor: Actor) -> Sequence[LinkedCase]:
    cases = visible_cases(actor).filter(work_item=item).order_by("-filed_on", "-pk")[:LIMIT]
    return [
        LinkedCase(
            _("면책"),
            f"{case.reference} {case.act}",
            case.get_decision_display() if case.decision else case.get_status_display(),
            case.get_absolute_url(),
            case.filed_on,
        )
        for case in cases
    ]
