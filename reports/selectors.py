"""Reads of reports, scoped to what the actor may see (ADR 0015 §Visibility).

Only the audit side (AA_OFFICER, AUDIT_STAFF) of the institution the report is with sees
it. After a transfer the first institution sees only its transfer record.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.access import Actor
from core.keyset import KeysetPage, KeysetPaginator
from core.roles import Role
from reports.models import Report, ReportMessage, ReportTransfer

DEADLINE_KIND = "report"
AUDIT_ROLES = (Role.AA_OFFICER, Role.AUDIT_STAFF)
PAGE_SIZE = 25
#: the queue counts this many reports at most ("1,000건 이상"), ADR 0029
COUNT_LIMIT = 1000
MAX_QUERY_LENGTH = 100


def is_audit(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*AUDIT_ROLES)


def visible_reports(actor: Actor) -> QuerySet[Report]:
    if not is_audit(actor) or actor.institution_id is None:
        return Report.objects.none()
    return Report.objects.filter(institution_id=actor.institution_id)


def visible_messages(actor: Actor) -> QuerySet[ReportMessage]:
    return ReportMessage.objects.filter(report__in=visible_reports(actor))


def visible_transfers(actor: Actor) -> QuerySet[ReportTransfer]:
    """The transfer records the actor's institution sent or received."""
    if not is_audit(actor):
        return ReportTransfer.objects.none()
    return ReportTransfer.objects.filter(
        Q(from_institution_id=actor.institution_id) | Q(to_institution_id=actor.institution_id)
    )


def queue(actor: Actor, *, status: str = "", kind: str = "", q: str = "", overdue: bool = False) -> QuerySet[Report]:
    """The audit unit's queue with its filters, the nearest due date first. The due date is
    the report's own copy of its deadline (`Report.due_on`), so every filter orders through
    an index (report_queue_*_idx) and a page reads only its rows (ADR 0025). The clock runs
    exactly in the open states, so "overdue" is an open report past its due date."""
    from django.utils import timezone

    from reports.workflow import OPEN

    qs = visible_reports(actor)
    if status == "open" or not status:
        qs = qs.filter(status__in=OPEN)
    elif status != "all":
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    q = q.strip()[:MAX_QUERY_LENGTH]
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(what__icontains=q))
    if overdue:
        qs = qs.filter(status__in=OPEN, due_on__lt=timezone.localdate())
    return qs.select_related("unit", "handler__person").order_by("due_on", "pk")


#: the columns the queue's page shows (templates/reports/queue.html): a page builds 25
#: reports and their handlers from these alone, not from every text column of the report
LISTED = (
    "number",
    "kind",
    "status",
    "unrouted",
    "due_on",
    "handler__username",
    "handler__first_name",
    "handler__last_name",
    "handler__person__name",
)


def queue_paginator(
    actor: Actor, *, status: str = "", kind: str = "", q: str = "", overdue: bool = False
) -> KeysetPaginator:
    """The queue with its filters, in pages by keyset on (due_on, pk): a page seeks through
    the queue's indexes and counts at most COUNT_LIMIT + 1 rows, so its cost does not grow
    with the table (ADR 0029)."""
    rows = (
        queue(actor, status=status, kind=kind, q=q, overdue=overdue)
        .select_related(None)
        .select_related("handler__person")
    )
    return KeysetPaginator(rows.only(*LISTED), PAGE_SIZE, count_limit=COUNT_LIMIT)


def queue_page(
    actor: Actor, *, cursor: str | None = None, status: str = "", kind: str = "", q: str = "", overdue: bool = False
) -> KeysetPage:
    """One page of the queue: the first, or the one `cursor` (from a link of a page of the
    same queue) points at; a cursor that is not one gives the first page, flagged."""
    return queue_paginator(actor, status=status, kind=kind, q=q, overdue=overdue).page(cursor)
