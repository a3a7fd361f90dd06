"""The figures of every module, registered once, read by the dashboards, the periodic
check report and the year-end evaluation (issue 7, ADR 0024).

A module describes its figures with a `Source`: the rows it counts for a period
(`rows(period, as_of)`, every institution's), which field holds the institution, and
its `Measure`s — a count of the rows matching a condition, or any other aggregate (a
median of days, a sum of amounts). `figures(institution_ids, period)` then runs ONE
grouped query per source for any number of institutions, so the supervising body's
comparison of a thousand institutions costs the same queries as one institution's
dashboard. A source whose figures are not aggregates of one table (training
compliance, plan progress, the evaluation grade) gives its own `compute` instead.

Kept figures (ADR 0033): a source's values for one institution, period and day are kept in
the cache (`settings.KEPT_FIGURES_SECONDS`, five minutes by default) under the head of that
institution's audit chain and of the system chain. Every change is written to its
institution's chain in the same transaction (core.audit), so a change makes the kept values
unreachable at once; the time limit bounds what a change recorded on another chain (a case
transferred to another institution) or not recorded at all (a bulk load) can leave stale.
A source with its own `compute` is kept the same way: what it reads changes with audited
changes too (training's tallies are marked stale in the same transaction as the entry).

Every count is backed by the same rows it counts: the drill-down (`drill`) lists exactly
the rows behind a number, which is what lets an auditor check a figure. A figure that is not
a count of rows (a compliance rate, an evaluation grade) names instead the page that explains
it (`Measure.link`: the compliance list, the evaluation).
"""

from __future__ import annotations

import datetime
import hashlib
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import Count, Q, QuerySet, Value
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language

from core.cachekeys import database_tag
from oversight.period import Period

COUNT = "count"  # an int; the drill-down lists the rows
DAYS = "days"  # a float (calendar days), or None without rows
AMOUNT = "amount"  # an int of won
PERCENT = "percent"  # a float 0-100, or None
TEXT = "text"  # a short text (a grade), or ""

Label = str | Promise


@dataclass(frozen=True)
class Section:
    key: str
    label: Label
    order: int = 100


#: Link.url(institution id, period, the institution's figures of the period) -> the page's
#: address, or "" when no page shows that period (e.g. a year without records)
LinkFn = Callable[[int, Period, dict[str, Any]], str]


@dataclass(frozen=True)
class Link:
    """The page behind a figure that is not a count of rows: the training compliance list
    behind a rate, the year-end evaluation behind a grade. The dashboard shows it only to a
    viewer the page's own `@access` rule admits (oversight.selectors.may_open), and only for
    the viewer's own institution."""

    url: LinkFn
    #: what the page is, for the link's accessible name ("미이수자 명단 보기")
    label: Label


@dataclass(frozen=True)
class Measure:
    key: str  # unique across the site: "<module>.<name>"
    label: Label
    kind: str = COUNT
    #: for COUNT: which of the source's rows are counted (None: all of them)
    condition: Q | None = None
    #: for other kinds on a queryset source: the aggregate (built fresh per query)
    aggregate: Callable[[], Any] | None = None
    #: shown under the label on the dashboard (how the figure is counted)
    help: Label = ""
    #: rows behind the figure can be listed (COUNT measures of queryset sources)
    drillable: bool = True
    #: sort by another measure's value (a grade by its score, not by its translated label)
    sort_by: str = ""
    #: a number above zero needs attention (overdue work): listed at the top of the dashboard
    warn: bool = False
    #: the page behind a figure that cannot be drilled down to rows (see Link)
    link: Link | None = None

    def expression(self) -> Any:
        if self.aggregate is not None:
            return self.aggregate()
        # COUNT(*) and COUNT(1) let the database answer from an index alone (an index-only
        # scan of the source's (institution, date) index, with the condition's columns
        # included); COUNT(pk) reads every row's page for its id
        return Count(Value(1), filter=self.condition) if self.condition is not None else Count("*")

    @property
    def empty(self) -> Any:
        return {COUNT: 0, AMOUNT: 0, TEXT: ""}.get(self.kind)


@dataclass(frozen=True)
class DrillRow:
    """One row behind a figure, as the drill-down lists it."""

    reference: str
    title: str
    state: str
    on: datetime.date | datetime.datetime | None
    url: str = ""


RowsFn = Callable[[Period, datetime.date], QuerySet[Any]]
ComputeFn = Callable[[list[int], Period, datetime.date], dict[int, dict[str, Any]]]


@dataclass(frozen=True)
class Source:
    key: str
    section: str
    measures: tuple[Measure, ...]
    #: every institution's rows for a period read at `as_of`
    rows: RowsFn | None = None
    institution_field: str = "institution_id"
    #: figures computed another way: {institution id: {measure key: value}}
    compute: ComputeFn | None = None
    #: how one row appears in the drill-down; None: no drill-down
    row: Callable[[Any], DrillRow] | None = None
    order_by: tuple[str, ...] = ("-pk",)
    #: fields to select_related for the drill-down rows
    related: tuple[str, ...] = ()


_sections: dict[str, Section] = {}
_sources: dict[str, Source] = {}
_measures: dict[str, tuple[Source, Measure]] = {}


def register_section(key: str, label: Label, order: int = 100) -> None:
    _sections[key] = Section(key, label, order)


def register_source(source: Source) -> None:
    """Add (or replace) a module's source; its measure keys must be unique site-wide."""
    if source.rows is None and source.compute is None:
        raise ValueError(f"source {source.key} needs rows or compute")
    old = _sources.pop(source.key, None)
    if old is not None:
        for m in old.measures:
            _measures.pop(m.key, None)
    for m in source.measures:
        if m.key in _measures:
            raise ValueError(f"measure {m.key} registered twice")
        _measures[m.key] = (source, m)
    _sources[source.key] = source


def get_source(key: str) -> Source:
    return _sources[key]


def unregister_source(key: str) -> None:
    old = _sources.pop(key, None)
    if old is not None:
        for m in old.measures:
            _measures.pop(m.key, None)


def sections() -> list[tuple[Section, list[Measure]]]:
    """Every section that has measures, in order, with its measures in registration order."""
    by_section: dict[str, list[Measure]] = {}
    for source in _sources.values():
        by_section.setdefault(source.section, []).extend(source.measures)
    known = sorted((_sections.get(k) or Section(k, k) for k in by_section), key=lambda s: (s.order, s.key))
    return [(s, by_section[s.key]) for s in known]


def measure(key: str) -> tuple[Source, Measure] | None:
    return _measures.get(key)


def measures() -> list[Measure]:
    return [m for _, ms in sections() for m in ms]


def figures(
    institution_ids: list[int],
    period: Period,
    *,
    today: datetime.date | None = None,
    section: str | None = None,
    only: frozenset[str] | set[str] | None = None,
) -> dict[int, dict[str, Any]]:
    """{institution id: {measure key: value}} for every registered measure (or one section's,
    or only the sources holding the measures named in `only`).

    One query per source whatever the number of institutions; an institution without
    rows gets 0 for counts and amounts, None for medians and shares.
    """
    as_of = period.as_of(today or timezone.localdate())
    ids = list(dict.fromkeys(institution_ids))
    out: dict[int, dict[str, Any]] = {pk: {} for pk in ids}
    if not ids:
        return out
    heads = _chain_heads(ids) if settings.KEPT_FIGURES_SECONDS > 0 else None
    for source in _sources.values():
        if section is not None and source.section != section:
            continue
        if only is not None and not any(m.key in only for m in source.measures):
            continue
        if heads is not None:
            found = _kept_values(source, ids, period, as_of, heads)
        else:
            found = _source_values(source, ids, period, as_of)
        # Every counted institution has all the source's keys (_source_values): a comparison
        # of 1,000 institutions copies one dict each, made once for those without rows.
        blank = _blank(source)
        for pk, row in out.items():
            row.update(found.get(pk) or blank)
    return out


#: above this many institutions, a table with a row per institution is read whole
MANY_INSTITUTIONS = 50


def rows_of(rows: QuerySet[Any], field: str, ids: Collection[int]) -> list[Any]:
    """The rows of `rows` (a values_list whose first column is `field`) that belong to the
    institutions `ids`. Few: an IN list. Many: every row read and the others left here; for a
    table of one row per institution (and period) that is cheaper than an IN list of a
    thousand, which Django builds and quotes value by value (6 ms for the chain heads at
    national size, 26 ms for training's tallies: more than the database's reading)."""
    wanted = set(ids)
    if len(wanted) <= MANY_INSTITUTIONS:
        rows = rows.filter(**{f"{field}__in": wanted})
    return [row for row in rows if row[0] in wanted]


def _chain_heads(ids: list[int]) -> dict[int, int]:
    """{institution id: the last sequence number of its audit chain}, and the system chain's
    under 0 (one query)."""
    from core.audit import SYSTEM_CHAIN
    from core.models import AuditChain

    heads = dict.fromkeys([SYSTEM_CHAIN, *ids], 0)
    heads.update(rows_of(AuditChain.objects.values_list("key", "last_seq"), "key", heads))
    return heads


def _kept_values(
    source: Source, ids: list[int], period: Period, as_of: datetime.date, heads: dict[int, int]
) -> dict[int, dict[str, Any]]:
    """The source's values from the cache where the institution's chain has not moved since
    they were counted (and not longer ago than the time limit); the others counted in one
    grouped query and kept. One cache entry per source, period and day holds every
    institution's values with the chain head and the time they were counted at: a
    comparison of 1,000 institutions reads one entry, not 1,000 keys (ADR 0033)."""
    from core.audit import SYSTEM_CHAIN

    # the language too: a text figure (an evaluation grade) is in the reader's language
    key = (
        f"figures:v2:{database_tag()}:{_version(source)}:{get_language() or ''}:{period.key}:{as_of.isoformat()}"
        f":{heads[SYSTEM_CHAIN]}"
    )
    limit = settings.KEPT_FIGURES_SECONDS
    now = time.time()
    kept: dict[int, tuple[int, float, dict[str, Any]]] = cache.get(key) or {}
    found: dict[int, dict[str, Any]] = {}
    missing: list[int] = []
    for pk in ids:
        entry = kept.get(pk)
        if entry is not None and entry[0] == heads[pk] and now - entry[1] < limit:
            found[pk] = entry[2]
        else:
            missing.append(pk)
    if missing:
        counted = _source_values(source, missing, period, as_of)
        for pk in missing:
            found[pk] = counted.get(pk, {})
            kept[pk] = (heads[pk], now, found[pk])
        # Two readers may each add institutions and the later write wins: the other's are
        # counted again on their next reading, never read stale (each carries its head).
        cache.set(key, kept, timeout=limit)
    return found


def _version(source: Source) -> str:
    """The source as the code defines it: a release that adds or changes a measure does not
    read what the one before it kept (several app servers share the cache)."""
    shape = repr([(m.key, m.kind, str(m.condition)) for m in source.measures])
    return hashlib.blake2b(f"{source.key}{shape}".encode(), digest_size=8).hexdigest()


def _blank(source: Source) -> dict[str, Any]:
    """The source's figures of an institution without rows: 0 for counts and amounts, None
    for medians and shares."""
    return {m.key: m.empty for m in source.measures}


def _source_values(source: Source, ids: list[int], period: Period, as_of: datetime.date) -> dict[int, dict[str, Any]]:
    """The source's figures of the institutions that have rows, each with every key of the
    source (the missing ones empty)."""
    if source.compute is not None:
        counted = source.compute(ids, period, as_of)
    else:
        counted = aggregate(source, ids, period, as_of)
    blank = _blank(source)
    return {pk: values if values.keys() == blank.keys() else {**blank, **values} for pk, values in counted.items()}


def aggregate(source: Source, ids: list[int], period: Period, as_of: datetime.date) -> dict[int, dict[str, Any]]:
    """The source's measures over its rows, grouped by institution (one query). A source that
    keeps its figures elsewhere (`compute`) counts them again with this."""
    assert source.rows is not None
    field_name = source.institution_field
    aliases = {f"m{i}": m for i, m in enumerate(source.measures)}
    rows = (
        source.rows(period, as_of)
        .filter(**{f"{field_name}__in": ids})
        .order_by()
        .values(field_name)
        .annotate(**{alias: m.expression() for alias, m in aliases.items()})
    )
    return {row[field_name]: {m.key: _clean(m, row[alias]) for alias, m in aliases.items()} for row in rows}


def _clean(m: Measure, value: Any) -> Any:
    if value is None:
        return m.empty
    if m.kind in (DAYS, PERCENT):
        return round(float(value), 1)
    if m.kind in (COUNT, AMOUNT):
        return int(value)
    return value


def can_drill(key: str) -> bool:
    found = _measures.get(key)
    if found is None:
        return False
    source, m = found
    return source.rows is not None and source.row is not None and m.drillable


def link(key: str, institution_id: int, period: Period, values: dict[str, Any]) -> str:
    """The address of the page behind one institution's figure ("" without one: no link
    declared, no figure, or no page for that period). Who may follow it is the caller's check."""
    found = _measures.get(key)
    if found is None or found[1].link is None or values.get(key) in (None, ""):
        return ""
    return found[1].link.url(institution_id, period, values)


def drill(key: str, institution_id: int, period: Period, *, today: datetime.date | None = None) -> QuerySet[Any]:
    """The rows behind one institution's figure (for a median: the rows it is the median of)."""
    found = _measures.get(key)
    if found is None or not can_drill(key):
        raise KeyError(key)
    source, m = found
    assert source.rows is not None
    qs = source.rows(period, period.as_of(today or timezone.localdate())).filter(
        **{source.institution_field: institution_id}
    )
    if m.condition is not None:
        qs = qs.filter(m.condition)
    if source.related:
        qs = qs.select_related(*source.related)
    return qs.order_by(*source.order_by)


def drill_row(key: str, obj: models.Model) -> DrillRow:
    source, _ = _measures[key]
    assert source.row is not None
    return source.row(obj)


def in_period(field_name: str, period: Period) -> Q:
    """Rows whose date or timestamp `field_name` falls in the period (see period.py's bounds)."""
    return Q(**{f"{field_name}__gte": period.start, f"{field_name}__lte": period.end})


def at_in_period(field_name: str, period: Period) -> Q:
    """The same for a timestamp field (local-midnight bounds, end exclusive)."""
    return Q(**{f"{field_name}__gte": period.start_at, f"{field_name}__lt": period.end_at})


# --- Flags: what a dashboard must warn about (a missing approved plan, ...) -----------------------

FlagFn = Callable[[list[int], Period, datetime.date], dict[int, str]]
_flags: dict[str, FlagFn] = {}


def register_flag(key: str, fn: FlagFn) -> None:
    """`fn(institution_ids, period, today)` → {institution id: warning} for the flagged ones."""
    _flags[key] = fn


def flags(institution_ids: list[int], period: Period, *, today: datetime.date | None = None) -> dict[int, list[str]]:
    """{institution id: [warnings]} for the flagged institutions only (a query or two per flag)."""
    today = today or timezone.localdate()
    out: dict[int, list[str]] = {}
    for fn in _flags.values():
        for pk, message in fn(institution_ids, period, today).items():
            out.setdefault(pk, []).append(message)
    return out
