"""Training compliance, computed in the database (DOMAIN.md §13; ADR 0023).

- **Staff**: the institution's people whose status is active (on leave and retired people
  are not counted).
- **Compliant in a year**: their completions of *mandatory* courses dated in that calendar
  year (1 January to 31 December) total at least the institution's
  `Policy.training_min_hours` (1 hour by default). A non-mandatory course does not count.
- **Flags**: a new official is flagged until they have completed a course for new officials
  dated on or after the day they joined, however long that takes; a newly promoted official
  likewise with a course for newly promoted officials dated on or after the promotion. Only
  joinings and promotions from the institution's `Policy.training_flags_from` (when empty,
  the day the institution was created in the system) up to today count, so long-serving
  officials whose old courses were never recorded are not flagged. Flags are about today,
  whatever the year.

Every figure is one grouped query: the compliant people are a grouped subquery of
completions (`compliant_people`) that the staff count filters on.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    DecimalField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from institutions.models import Institution, Person, Policy
from training.models import HOURS_DIGITS, HOURS_PLACES, Completion, Course

#: Policy.training_min_hours when an institution has no policy row
DEFAULT_MIN_HOURS = Policy._meta.get_field("training_min_hours").get_default()

#: the list filter's kinds of "not yet compliant"
ANNUAL = "annual"
NEW = "new"
PROMOTED = "promoted"
ANY = "any"
KINDS = (ANNUAL, NEW, PROMOTED, ANY)

HOURS = DecimalField(max_digits=HOURS_DIGITS + 4, decimal_places=HOURS_PLACES)


def year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def staff(institution_ids: list[int], unit_ids: frozenset[int | None] | None = None) -> QuerySet[Person]:
    """The current staff of the institutions (of the given units only, unless `unit_ids` is
    None or holds None: every unit)."""
    queryset = Person.objects.filter(institution_id__in=institution_ids, status=Person.Status.ACTIVE)
    if unit_ids is not None and None not in unit_ids:
        queryset = queryset.filter(unit_id__in=[u for u in unit_ids if u is not None])
    return queryset


def mandatory_completions(institution_ids: list[int], year: int) -> QuerySet[Completion]:
    first, last = year_bounds(year)
    return Completion.objects.filter(
        institution_id__in=institution_ids, course__mandatory=True, completed_on__gte=first, completed_on__lte=last
    )


def compliant_people(institution_ids: list[int], year: int) -> QuerySet[Any, Any]:
    """The ids (as `person_id`) of the people whose mandatory hours of the year reach their
    institution's minimum: one grouped subquery, usable in `pk__in`."""
    return (
        mandatory_completions(institution_ids, year)
        .order_by()
        .values("person_id")
        .annotate(
            total=Sum("hours"),
            needed=Coalesce(
                Max("institution__policy__training_min_hours"), Value(DEFAULT_MIN_HOURS), output_field=IntegerField()
            ),
        )
        .filter(total__gte=F("needed"))
        .values("person_id")
    )


def min_hours(institution_id: int) -> int:
    """The institution's yearly minimum of mandatory hours (Policy.training_min_hours)."""
    value = Policy.objects.filter(institution_id=institution_id).values_list("training_min_hours", flat=True).first()
    return int(value) if value is not None else int(DEFAULT_MIN_HOURS)


def percent(compliant: int, total: int) -> int | None:
    """A whole percentage rounded down (None without staff): 99.9 % shows as 99, not 100."""
    return compliant * 100 // total if total else None


# --- For the dashboard ------------------------------------------------------------------------


def compliance_by_institution(institution_ids: list[int] | set[int], year: int) -> dict[int, tuple[int, int]]:
    """{institution id: (compliant, staff)} for every id asked (0, 0 without staff), read from
    the kept tallies (training/tallies.py) and counted only where one is stale."""
    from training import tallies

    return tallies.compliance(institution_ids, year)


def count_by_institution(institution_ids: list[int] | set[int], year: int) -> dict[int, tuple[int, int]]:
    """{institution id: (compliant, staff)} for every id asked (0, 0 without staff), counted
    now in one grouped query."""
    ids = sorted(set(institution_ids))
    result = dict.fromkeys(ids, (0, 0))
    if not ids:
        return result
    rows = (
        staff(ids)
        .order_by()
        .values("institution_id")
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(pk__in=compliant_people(ids, year))))
    )
    for row in rows:
        result[row["institution_id"]] = (row["ok"], row["n"])
    return result


@dataclass(frozen=True)
class UnitCompliance:
    unit_id: int | None
    unit_name: str
    staff: int
    compliant: int

    @property
    def not_compliant(self) -> int:
        return self.staff - self.compliant

    @property
    def percent(self) -> int | None:
        return percent(self.compliant, self.staff)


def compliance_by_unit(
    institution_id: int, year: int, *, unit_ids: frozenset[int | None] | None = None
) -> list[UnitCompliance]:
    """Compliance of each unit with current staff (people without a unit in one row with no
    unit), in the units' code order; one grouped query. `unit_ids` limits it to those units
    (None in it: every unit)."""
    rows = (
        staff([institution_id], unit_ids)
        .order_by()
        .values("unit_id", "unit__name", "unit__code")
        .annotate(n=Count("pk"), ok=Count("pk", filter=Q(pk__in=compliant_people([institution_id], year))))
        .order_by(F("unit__code").asc(nulls_last=True))
    )
    return [UnitCompliance(r["unit_id"], r["unit__name"] or "", r["n"], r["ok"]) for r in rows]


def totals(rows: list[UnitCompliance]) -> UnitCompliance:
    return UnitCompliance(None, "", sum(r.staff for r in rows), sum(r.compliant for r in rows))


# --- Who has not -----------------------------------------------------------------------------


def _basic_done(audience: str, since_field: str) -> Exists:
    return Exists(
        Completion.objects.filter(
            person_id=OuterRef("pk"), course__audience=audience, completed_on__gte=OuterRef(since_field)
        )
    )


def flags_from() -> Coalesce:
    """The first day whose joinings and promotions are flagged, for a person (joined from the
    person's institution): the policy's `training_flags_from`, else the day the institution was
    created in the system (in the site's time zone)."""
    return Coalesce(
        F("institution__policy__training_flags_from"),
        TruncDate("institution__created_at"),
        output_field=DateField(),
    )


def flags_start(institution_id: int) -> datetime.date | None:
    """The first day whose joinings and promotions are flagged in the institution, as
    `flags_from()` reads it (one query; None for an unknown institution)."""
    row = Institution.objects.filter(pk=institution_id).values_list("policy__training_flags_from", "created_at").first()
    if row is None:
        return None
    policy_date, created_at = row
    return policy_date or timezone.localdate(created_at)


def _counted_since(date_field: str, today: datetime.date | None) -> Q:
    """`date_field` (joined_on, promoted_on) on or after `flags_from()` and not after today.

    The comparison is a lookup expression, not `{date_field}__gte=...`: in a filter, Django
    turns the joins a lookup's value uses into INNER JOINs, which would drop the people of an
    institution without a policy row; an expression keeps the policy's join a LEFT JOIN."""
    return Q(GreaterThanOrEqual(F(date_field), flags_from())) & Q(
        **{f"{date_field}__lte": today or timezone.localdate()}
    )


def new_pending(today: datetime.date | None = None) -> Q:
    """Joined since the flags' first day (`flags_from`), without a course for new officials
    completed on or after joining, however long ago that was."""
    return _counted_since("joined_on", today) & Q(~_basic_done(Course.Audience.NEW_OFFICIALS, "joined_on"))


def promoted_pending(today: datetime.date | None = None) -> Q:
    """Promoted since the flags' first day (`flags_from`), without a course for promoted
    officials completed on or after the promotion, however long ago that was."""
    return _counted_since("promoted_on", today) & Q(~_basic_done(Course.Audience.PROMOTED, "promoted_on"))


def annual_pending(institution_id: int, year: int) -> Q:
    """The year's mandatory hours not reached."""
    return ~Q(pk__in=compliant_people([institution_id], year))


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def with_flags(queryset: QuerySet[Person], today: datetime.date | None = None) -> QuerySet[Person]:
    """Annotate `new_pending` and `promoted_pending` (for display)."""
    return queryset.annotate(new_pending=_flag(new_pending(today)), promoted_pending=_flag(promoted_pending(today)))


def with_hours(queryset: QuerySet[Person], year: int) -> QuerySet[Person]:
    """Annotate `hours`: the person's mandatory hours of the year."""
    first, last = year_bounds(year)
    total = (
        Completion.objects.filter(
            person_id=OuterRef("pk"), course__mandatory=True, completed_on__gte=first, completed_on__lte=last
        )
        .order_by()
        .values("person_id")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return queryset.annotate(hours=Coalesce(Subquery(total, output_field=HOURS), Value(Decimal(0)), output_field=HOURS))


def pending_condition(institution_id: int, year: int, kind: str, today: datetime.date | None = None) -> Q:
    if kind == NEW:
        return new_pending(today)
    if kind == PROMOTED:
        return promoted_pending(today)
    if kind == ANY:
        return annual_pending(institution_id, year) | new_pending(today) | promoted_pending(today)
    return annual_pending(institution_id, year)


def pending(
    institution_id: int,
    year: int,
    *,
    kind: str = ANNUAL,
    unit_ids: frozenset[int | None] | None = None,
    unit_id: int | None = None,
    today: datetime.date | None = None,
) -> QuerySet[Person]:
    """Current staff not compliant: `annual` (the year's mandatory hours not reached), `new`
    or `promoted` (flagged), or `any` of them; annotated with the year's hours and the flags,
    in unit and name order."""
    queryset = staff([institution_id], unit_ids).filter(pending_condition(institution_id, year, kind, today))
    if unit_id is not None:
        queryset = queryset.filter(unit_id=unit_id)
    return (
        with_hours(with_flags(queryset, today), year)
        .select_related("unit")
        .order_by(F("unit__code").asc(nulls_last=True), "name", "pk")
    )


@dataclass(frozen=True)
class FlagCounts:
    new: int
    promoted: int


def flag_counts(
    institution_id: int, *, unit_ids: frozenset[int | None] | None = None, today: datetime.date | None = None
) -> FlagCounts:
    """How many current staff are flagged as new or newly promoted officials (one query)."""
    row = staff([institution_id], unit_ids).aggregate(
        new=Count("pk", filter=new_pending(today)), promoted=Count("pk", filter=promoted_pending(today))
    )
    return FlagCounts(row["new"] or 0, row["promoted"] or 0)


@dataclass(frozen=True)
class PersonStatus:
    hours: Decimal
    compliant: bool
    new_pending: bool
    promoted_pending: bool


def person_status(person: Person, year: int, today: datetime.date | None = None) -> PersonStatus:
    """One person's mandatory hours of the year, whether they reach the minimum, and their
    flags (one query)."""
    first, last = year_bounds(year)
    row = Person.objects.filter(pk=person.pk).aggregate(
        hours=Sum(
            "training_completions__hours",
            filter=Q(
                training_completions__course__mandatory=True,
                training_completions__completed_on__gte=first,
                training_completions__completed_on__lte=last,
            ),
        ),
        new=Count("pk", filter=new_pending(today), distinct=True),
        promoted=Count("pk", filter=promoted_pending(today), distinct=True),
    )
    hours = Decimal(row["hours"] or 0)
    return PersonStatus(hours, hours >= min_hours(person.institution_id), bool(row["new"]), bool(row["promoted"]))
