"""Database expressions the figures need on both SQLite and PostgreSQL (ADR 0024).

- `Median(expr)`: PostgreSQL's `percentile_cont(0.5) WITHIN GROUP (ORDER BY …)`; on SQLite
  an aggregate function registered on every new connection (`register_sqlite_functions`).
  Both honour `filter=` (an SQL `FILTER (WHERE …)` clause), so several medians of one
  table come out of one grouped query.
- `Days(start, end)`: calendar days between two dates or timestamps, as a float.
- `missed(model, kind, period, as_of)`: whether the row's deadline of that kind fell due in
  the period and was missed (still open after its due date, or closed late) — the
  "overdue" of every module; `overdue_rows` gives those rows with their due dates.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Aggregate, Exists, FloatField, Func, OuterRef, Q, QuerySet, Subquery

if TYPE_CHECKING:
    from oversight.period import Period

M = TypeVar("M", bound=models.Model)


class Median(Aggregate):
    function = "PA_MEDIAN"
    name = "Median"
    output_field = FloatField()
    allow_distinct = False

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="PERCENTILE_CONT",
            template="%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s",
            **extra_context,
        )


class _SqliteMedian:
    def __init__(self) -> None:
        self.values: list[float] = []

    def step(self, value: float | None) -> None:
        if value is not None:
            self.values.append(float(value))

    def finalize(self) -> float | None:
        if not self.values:
            return None
        values = sorted(self.values)
        mid = len(values) // 2
        return values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2


def register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """`connection_created` receiver: teach SQLite the median aggregate."""
    if connection.vendor == "sqlite" and connection.connection is not None:
        connection.connection.create_aggregate("PA_MEDIAN", 1, _SqliteMedian)


class Days(Func):
    """Calendar days from `start` to `end` (dates or timestamps), fractional for timestamps."""

    output_field = FloatField()
    arity = 2

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self._swap(compiler, connection, "(julianday({end}) - julianday({start}))")

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return self._swap(
            compiler,
            connection,
            "(EXTRACT(EPOCH FROM (CAST({end} AS timestamptz) - CAST({start} AS timestamptz))) / 86400.0)",
        )

    def _swap(self, compiler: Any, connection: Any, template: str) -> tuple[str, list[Any]]:
        start_sql, start_params = compiler.compile(self.source_expressions[0])
        end_sql, end_params = compiler.compile(self.source_expressions[1])
        return template.format(start=start_sql, end=end_sql), [*end_params, *start_params]


def deadlines_of(model: type[models.Model], kind: str) -> QuerySet[Any]:
    """The row's deadline of `kind` (for a Subquery on the row's own queryset)."""
    from core.models import Deadline

    return Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk"), kind=kind
    )


def reading_day(period: Period, as_of: datetime.date) -> datetime.date:
    """The first day not yet seen: the day after a finished period (its last day is over),
    else today (a deadline due today is not missed yet)."""
    return as_of + datetime.timedelta(days=1) if as_of >= period.end else as_of


def missed(model: type[models.Model], kind: str, period: Period, as_of: datetime.date) -> Q:
    """The row's `kind` deadline fell due in the period and was missed: still open after its
    due date when the period is read, or met only after it — every module's "overdue".

    A correlated EXISTS, which the database turns into a semi-join: for one institution it
    reads only that institution's deadlines of the period through their (kind, institution,
    due_on) index (a case's deadline belongs to the case's institution, core.deadlines), and
    for many it reads the period's deadlines through (kind, due_on) once. (An `IN` of the
    period's deadlines read every institution's: 1.2 s for one institution among a million
    consultations, issue 8.)"""
    from core.models import Deadline

    late = Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(model),
        object_id=OuterRef("pk"),
        kind=kind,
        due_on__gte=period.start,
        due_on__lte=period.end,
    ).filter(Q(closed_at__isnull=True, due_on__lt=reading_day(period, as_of)) | Q(closed_late=True))
    if any(f.name == "institution" and f.is_relation for f in model._meta.concrete_fields):
        late = late.filter(institution_id=OuterRef("institution_id"))
    return Q(Exists(late))


def overdue_rows(model: type[M], kind: str, period: Period, as_of: datetime.date) -> QuerySet[M]:
    """The rows whose deadline was `missed`, each with its due date (`due_on`) for the
    drill-down (the grouped count does not select it)."""
    rows = model._default_manager.filter(missed(model, kind, period, as_of))
    from core.deadlines import deadline_kind

    registered = deadline_kind(kind)
    if registered is not None and registered.mirror == "due_on":
        return rows  # the model keeps its deadline's due date (core.deadlines `mirror`)
    return rows.annotate(due_on=Subquery(deadlines_of(model, kind).values("due_on")[:1]))  # type: ignore[return-value]
