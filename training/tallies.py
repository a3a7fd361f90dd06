"""Training figures kept per institution and period (ADR 0030).

Counting compliance means reading every current official and every mandatory completion of
the year, and counting a period's completions (with the distinct people) reads every
completion of the period: for the supervising body's comparison of a thousand institutions
that is seconds, not milliseconds. The dashboards read `TrainingTally` rows instead, one per
institution and period key (`2026`, `2026-H1`, `2026-Q3`), and count only where a tally is
missing or stale:

- **Invalidation.** Every change that can move the figures is audited in its transaction
  (people, completions, courses, the policy, imports, seeds), so an audit listener
  (`on_change`) raises the institution's tallies' `generation` in that transaction, raises it
  again once committed, and asks the task worker to count again.
- **Refresh.** `refresh` reads the generations first, then counts, then stores the figures
  with the generation it read (`seen`). A change that commits while it counts raises the
  generation past what was stored, so the tally reads as stale, never as current and wrong.
- **Readers** (`figures`, `compliance`) take the current tallies and count the others on the
  spot (and keep what they counted), so a figure is never older than the last committed change.
- **Reconciling.** A daily task marks every tally stale and counts this year's for every
  institution: a change made outside the audited paths (a database repair) is corrected
  within a day.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from core.models import AuditEntry
from institutions.models import Institution
from oversight.indicators import rows_of
from oversight.period import Period
from training.models import TrainingTally

#: audited target types whose changes can move compliance (staff, hours, the minimum)
TARGETS = (
    "institutions.person",
    "institutions.policy",
    "training.completion",
    "training.course",
    "training.session",
)
#: audited actions that wrote rows in bulk (an import's end; a seed without an institution:
#: every institution)
ACTIONS = ("imports.finished", "scale.seeded", "demo.seeded")
#: institutions counted per statement by the reconciling task
RECONCILE_BATCH = 200


def _bump(institution_id: int | None) -> None:
    tallies = TrainingTally.objects.all()
    if institution_id is not None:
        tallies = tallies.filter(institution_id=institution_id)
    tallies.update(generation=F("generation") + 1)


def on_change(entry: AuditEntry) -> None:
    """The audit listener: the entry's institution's tallies (every tally for an entry without
    an institution) are stale from this transaction on."""
    institution_id = entry.institution_id
    _bump(institution_id)
    transaction.on_commit(lambda: _after_commit(institution_id))


def _after_commit(institution_id: int | None) -> None:
    from training.tasks import refresh_compliance

    _bump(institution_id)
    if institution_id is not None:
        refresh_compliance.enqueue(institution_id)


@dataclass(frozen=True)
class Figures:
    """An institution's training figures for a period: the compliance of its year, and the
    period's completions."""

    staff: int = 0
    compliant: int = 0
    completions: int = 0
    mandatory_completions: int = 0
    people: int = 0


FIELDS = ("staff", "compliant", "completions", "mandatory_completions", "people")


def _ensure(ids: list[int], key: str) -> None:
    """The period's tally rows of the institutions that exist, created where missing (one
    statement, so a refresh costs the same whether they were there or not)."""
    quote = connection.ops.quote_name
    table, institutions = quote(TrainingTally._meta.db_table), quote(Institution._meta.db_table)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (institution_id, period, staff, compliant, completions, mandatory_completions, "  # noqa: S608
            f"people, generation, seen) SELECT id, %s, 0, 0, 0, 0, 0, 1, 0 FROM {institutions} WHERE id IN ({marks}) "
            "ON CONFLICT (institution_id, period) DO NOTHING",
            [key, *ids],
        )


def _tallies(ids: list[int], key: str) -> list[TrainingTally]:
    return list(
        TrainingTally.objects.filter(institution_id__in=ids, period=key).only("pk", "institution_id", "generation")
    )


def count(ids: list[int], period: Period) -> dict[int, Figures]:
    """The figures counted now: two grouped queries whatever the number of institutions."""
    from training.indicators import count_completions
    from training.selectors_compliance import count_by_institution

    compliance = count_by_institution(ids, period.year)
    completions = count_completions(ids, period)
    return {pk: Figures(compliance[pk][1], compliance[pk][0], **completions.get(pk, {})) for pk in ids}


def refresh(institution_ids: Iterable[int], period: Period) -> dict[int, Figures]:
    """Count the institutions' figures of the period and keep them."""
    ids = sorted(set(institution_ids))
    if not ids:
        return {}
    key = period.key
    # The generation first, then the count: a change committed in between is counted, and one
    # committed after the count raises the generation past the one stored below.
    _ensure(ids, key)
    tallies = _tallies(ids, key)
    figures = count(ids, period)
    now = timezone.now()
    for tally in tallies:
        for name in FIELDS:
            setattr(tally, name, getattr(figures[tally.institution_id], name))
        tally.seen = tally.generation
        tally.computed_at = now
    TrainingTally.objects.bulk_update(tallies, [*FIELDS, "seen", "computed_at"], batch_size=500)
    return figures


def figures(institution_ids: Iterable[int], period: Period) -> dict[int, Figures]:
    """{institution id: Figures} for every id asked: current tallies as they are, the others
    counted now."""
    ids = sorted(set(institution_ids))
    current = TrainingTally.objects.filter(period=period.key, seen=F("generation"))
    result: dict[int, Figures] = {
        row[0]: Figures(*row[1:])
        for row in rows_of(current.values_list("institution_id", *FIELDS), "institution_id", ids)
    }
    missing = [pk for pk in ids if pk not in result]
    if missing:
        result.update(refresh(missing, period))
    return {pk: result.get(pk, Figures()) for pk in ids}


def compliance(institution_ids: Iterable[int], year: int) -> dict[int, tuple[int, int]]:
    """{institution id: (compliant, staff)} of the year."""
    return {pk: (f.compliant, f.staff) for pk, f in figures(institution_ids, Period(year)).items()}


def refresh_stale(institution_id: int, today: datetime.date | None = None) -> int:
    """Count again the institution's stale tallies and this year's: how many periods."""
    this_year = str((today or timezone.localdate()).year)
    keys = set(
        TrainingTally.objects.filter(institution_id=institution_id)
        .exclude(seen=F("generation"))
        .values_list("period", flat=True)
    )
    if not TrainingTally.objects.filter(institution_id=institution_id, period=this_year, seen=F("generation")).exists():
        keys.add(this_year)
    for key in sorted(keys):
        refresh([institution_id], Period.parse(key))
    return len(keys)


def reconcile(today: datetime.date | None = None) -> int:
    """Mark every tally stale and count this year's for every institution: how many."""
    this_year = Period((today or timezone.localdate()).year)
    _bump(None)
    ids = list(Institution.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), RECONCILE_BATCH):
        refresh(ids[start : start + RECONCILE_BATCH], this_year)
    return len(ids)
