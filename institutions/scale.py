"""Synthetic data at production scale (1,000 institutions, 1.2M people, ...), for measuring.

`manage.py seed_scale` runs `STEPS` in order. Each step inserts in bulk (no per-row save,
no per-row audit), only what is missing, so a second run with the same sizes adds nothing
and a run with larger sizes adds the difference. Everything it makes carries the code
prefix `SCALE-`, so it never touches real or demo data.

Sizes follow a realistic skew: institution k (k = 1, 2, ...) gets a share proportional to
k^-0.8, so a few institutions are large (tens of thousands of people) and most are small
(a few hundred). The institutions count as created in the system three years before the
run (the history the module steps fill), and people have careers: joined over the last
thirty years by grade (some in the last year), and about two in five of the promoted ones
with their latest promotion recorded (some in the last year), so training's flags of new
and newly promoted officials (ADR 0023) meet realistic numbers. The module apps add their
own steps (cases, ...) with `add_step` from their `scale.py`, which `discover()` imports
(institutions/scale_kit.py holds what they share).
"""

from __future__ import annotations

import datetime
import functools
import itertools
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from institutions.models import Institution, Person, Policy, Unit
from institutions.names import GIVEN, grade_label, surnames_distinct

PREFIX = "SCALE-"
SKEW = 0.8


@dataclass
class Context:
    """The sizes asked for, and what earlier steps learned (shared with later steps)."""

    institutions: int
    people: int
    register: int
    #: cases per major module (pre-consultations, reports, ...), split like the people
    cases: int = 0
    batch: int = 5000
    out: Callable[[str], None] = print
    extra: dict[str, int] = field(default_factory=dict)  # sizes of steps added by other modules
    #: scale institutions in code order: (pk, code)
    institution_rows: list[tuple[int, str]] = field(default_factory=list)
    #: institution pk -> its unit pks (in code order)
    units: dict[int, list[int]] = field(default_factory=dict)
    #: what the module steps load once per run (institutions/scale_kit.py)
    cache: dict[str, Any] = field(default_factory=dict)

    def shares(self, total: int) -> list[int]:
        """`total` split over the scale institutions by the skewed weights (sums to total)."""
        n = len(self.institution_rows)
        if n == 0 or total <= 0:
            return [0] * n
        weights = [weight(i) for i in range(n)]
        scale = total / sum(weights)
        counts = [int(w * scale) for w in weights]
        for i in range(total - sum(counts)):
            counts[i % n] += 1
        return counts

    def progress(self, label: str, done: int, total: int, started: float) -> None:
        pct = 100 * done / total if total else 100
        self.out(f"  {label}: {done:,}/{total:,} ({pct:.0f}%) {time.monotonic() - started:.1f}s")


def weight(index: int) -> float:
    """The relative size of the institution at `index` (0 is the small national root)."""
    if index == 0:
        return 0.05
    return float(index**-SKEW)


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[Context], int]  # returns the rows it created


# --- Names ------------------------------------------------------------------------------

SYLLABLES_A = "가나다라마바사아자차카타파하한새누푸미다온솔별빛해".replace("", " ").split()
SYLLABLES_B = "온솔빛결림들뫼내울람누리봄솜숲길".replace("", " ").split()
GRADES = tuple(grade_label("행정", rank) for rank in (9, 8, 7, 6, 5))
GRADE_CYCLE = (0, 1, 1, 2, 2, 2, 3, 3, 3, 2, 1, 4)  # more 7-8급 than 5급
KIND_SUFFIX: dict[str, str] = {
    Institution.Kind.NATIONAL: "감독원",
    Institution.Kind.PROVINCE: "도",
    Institution.Kind.MINISTRY: "부",
    Institution.Kind.CITY: "시",
    Institution.Kind.DISTRICT: "구",
    Institution.Kind.AGENCY: "청",
    Institution.Kind.PUBLIC_BODY: "공단",
}
PEOPLE_NAMES = [s + g for s, g in itertools.product(surnames_distinct(), dict.fromkeys(GIVEN))]


def code(index: int) -> str:
    return f"{PREFIX}{index:05d}"


def kind_of(index: int) -> str:
    if index == 0:
        return Institution.Kind.NATIONAL
    if index <= 17:
        return Institution.Kind.PROVINCE
    if index <= 40:
        return Institution.Kind.MINISTRY
    cycle = (Institution.Kind.CITY, Institution.Kind.DISTRICT, Institution.Kind.AGENCY, Institution.Kind.PUBLIC_BODY)
    return cycle[index % len(cycle)]


def parent_index(index: int) -> int | None:
    """Provinces and ministries under the national body; the rest under one of them
    (cities and districts under provinces, agencies and public bodies under ministries)."""
    if index == 0:
        return None
    if index <= 40:
        return 0
    if kind_of(index) in (Institution.Kind.CITY, Institution.Kind.DISTRICT):
        return 1 + index % 17
    return 18 + index % 23


def name_of(index: int) -> str:
    a = SYLLABLES_A[index % len(SYLLABLES_A)]
    b = SYLLABLES_B[(index // len(SYLLABLES_A)) % len(SYLLABLES_B)]
    return f"{a}{b}{KIND_SUFFIX[kind_of(index)]} {index:04d}"


# --- Steps ------------------------------------------------------------------------------


def step_institutions(ctx: Context) -> int:
    """The national root first, then provinces and ministries, then everything below them
    (each phase after its parents, so parent ids are known)."""
    created = 0
    phases = [range(min(1, ctx.institutions)), range(1, min(41, ctx.institutions)), range(41, ctx.institutions)]
    for phase in phases:
        pks: dict[str, int] = dict(Institution.objects.filter(code__startswith=PREFIX).values_list("code", "pk"))
        rows = []
        for index in phase:
            if code(index) in pks:
                continue
            parent = parent_index(index)
            rows.append(
                Institution(
                    code=code(index),
                    name=name_of(index),
                    name_en=f"Scale institution {index}",
                    kind=kind_of(index),
                    parent_id=pks[code(parent)] if parent is not None else None,
                )
            )
        Institution.objects.bulk_create(rows, batch_size=ctx.batch)
        created += len(rows)
    _backdate_institutions(ctx)
    ctx.institution_rows = list(
        Institution.objects.filter(code__in=[code(i) for i in range(ctx.institutions)])
        .order_by("code")
        .values_list("pk", "code")
    )
    return created


def _backdate_institutions(ctx: Context) -> None:
    """The scale institutions count as created in the system when their history starts
    (training's flags count joinings from that day); one statement, nothing once done."""
    from institutions.scale_kit import HISTORY_DAYS, at, days_before

    since = at(days_before(ctx, HISTORY_DAYS))
    Institution.objects.filter(code__startswith=PREFIX, created_at__gt=since).update(created_at=since)


def step_policies(ctx: Context) -> int:
    ids = [pk for pk, _ in ctx.institution_rows]
    have = set(Policy.objects.filter(institution_id__in=ids).values_list("institution_id", flat=True))
    rows = [Policy(institution_id=pk) for pk in ids if pk not in have]
    Policy.objects.bulk_create(rows, batch_size=ctx.batch)
    return len(rows)


BUREAU_NAMES = ("행정", "경제", "복지", "안전", "문화", "도시", "환경", "교통")
DIVISION_NAMES = (
    "감사담당관",
    "기획예산과",
    "총무과",
    "건축과",
    "도시계획과",
    "복지정책과",
    "환경과",
    "교통행정과",
    "민원여권과",
    "일자리경제과",
    "세무과",
    "문화체육과",
    "보건위생과",
    "안전총괄과",
    "공원녹지과",
    "주택과",
    "도로과",
    "자치행정과",
)


def unit_name(j: int, bureaus: int) -> str:
    """Unit j of an institution with `bureaus` bureaus (the first division is the audit office)."""
    names, k = (BUREAU_NAMES, j) if j < bureaus else (DIVISION_NAMES, j - bureaus)
    base = names[k % len(names)] + ("국" if j < bureaus else "")
    return base if k < len(names) else f"{base} {k // len(names) + 1}"


def units_for(people: int) -> int:
    """About one unit per 60 people, at least 5 and at most 400."""
    return max(5, min(400, people // 60))


def step_units(ctx: Context) -> int:
    ids = [pk for pk, _ in ctx.institution_rows]
    have: dict[int, set[str]] = {}
    for inst, unit_code in Unit.objects.filter(institution_id__in=ids).values_list("institution_id", "code"):
        have.setdefault(inst, set()).add(unit_code)
    created = 0
    people = ctx.shares(ctx.people)
    # Bureaus first (one per 8 divisions), then divisions under them.
    for level in ("bureau", "division"):
        bureau_pks: dict[int, list[int]] = {}
        if level == "division":
            for inst, pk in (
                Unit.objects.filter(institution_id__in=ids, kind=Unit.Kind.BUREAU)
                .order_by("code")
                .values_list("institution_id", "pk")
            ):
                bureau_pks.setdefault(inst, []).append(pk)
        rows: list[Unit] = []
        for (pk, _), size in zip(ctx.institution_rows, people, strict=True):
            total = units_for(size)
            bureaus = max(1, total // 9)
            for j in range(total):
                is_bureau = j < bureaus
                if is_bureau != (level == "bureau"):
                    continue
                unit_code = f"U{j:04d}"
                if unit_code in have.get(pk, set()):
                    continue
                parents = bureau_pks.get(pk, [])
                rows.append(
                    Unit(
                        institution_id=pk,
                        code=unit_code,
                        name=unit_name(j, bureaus),
                        kind=Unit.Kind.BUREAU if is_bureau else Unit.Kind.DIVISION,
                        parent_id=parents[j % len(parents)] if parents and not is_bureau else None,
                        is_audit_unit=j == bureaus,
                    )
                )
            if len(rows) >= ctx.batch:
                Unit.objects.bulk_create(rows, batch_size=ctx.batch)
                created += len(rows)
                rows = []
        Unit.objects.bulk_create(rows, batch_size=ctx.batch)
        created += len(rows)
    ctx.units = {}
    for inst, pk in (
        Unit.objects.filter(institution_id__in=ids, kind=Unit.Kind.DIVISION)
        .order_by("code")
        .values_list("institution_id", "pk")
    ):
        ctx.units.setdefault(inst, []).append(pk)
    return created


def _existing_counts(model: Any, ids: list[int]) -> dict[int, int]:
    return dict(
        model.objects.filter(institution_id__in=ids)
        .values("institution_id")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "n")
        .order_by()
    )


def _missing(ctx: Context, counts: dict[int, int], total: int) -> Iterator[tuple[int, int, int]]:
    """(institution pk, first new number, how many) for each institution below its share."""
    for (pk, _), target in zip(ctx.institution_rows, ctx.shares(total), strict=True):
        have = counts.get(pk, 0)
        if target > have:
            yield pk, have, target - have


class Rows:
    """Plain rows for one table: column values already in the database's format, inserted
    several hundred rows per statement (as many as the database takes parameters for), one
    prepared statement per batch (`executemany`). Several times faster than building model
    instances for millions of rows, and the same on SQLite and PostgreSQL."""

    def __init__(self, model: Any, fields: list[str]) -> None:
        opts = model._meta
        qn = connection.ops.quote_name
        columns = ", ".join(qn(opts.get_field(name).column) for name in fields)
        self.head = f"INSERT INTO {qn(opts.db_table)} ({columns}) VALUES "  # noqa: S608 - names from _meta
        self.mark = "(" + ", ".join(["%s"] * len(fields)) + ")"
        self.sql = self.head + self.mark
        limit = connection.features.max_query_params or 30_000
        self.per_statement = max(1, min(500, limit // len(fields)))
        self.now = connection.ops.adapt_datetimefield_value(timezone.now())

    def statement(self, rows: int) -> str:
        return self.head + ", ".join([self.mark] * rows)

    def insert(self, rows: list[tuple[Any, ...]]) -> None:
        step = self.per_statement
        full = len(rows) // step * step
        with transaction.atomic(), connection.cursor() as cursor:
            if full:
                groups = [[v for row in rows[i : i + step] for v in row] for i in range(0, full, step)]
                cursor.executemany(self.statement(step), groups)
            if full < len(rows):
                cursor.execute(self.statement(len(rows) - full), [v for row in rows[full:] for v in row])


def _insert(ctx: Context, table: Rows, label: str, rows: Iterator[tuple[Any, ...]], total: int) -> int:
    started = time.monotonic()
    created = 0
    last_report = 0
    while True:
        chunk = list(itertools.islice(rows, ctx.batch))
        if not chunk:
            break
        table.insert(chunk)
        created += len(chunk)
        if created - last_report >= max(ctx.batch, total // 10):
            ctx.progress(label, created, total, started)
            last_report = created
    return created


PERSON_FIELDS = [
    "institution",
    "unit",
    "employee_number",
    "name",
    "grade",
    "position",
    "email",
    "status",
    "joined_on",
    "promoted_on",
    "created_at",
    "updated_at",
]
#: the years since joining, fewest and most, by GRADES index (9급 ... 5급)
SERVICE_YEARS = ((0, 5), (2, 10), (5, 18), (10, 25), (15, 30))
#: the share of people above the entry grade whose latest promotion is recorded
PROMOTED_SHARE = 0.4
#: no promotion in the first year of service
FIRST_PROMOTION_DAYS = 365


def careers(today: datetime.date) -> Callable[[int, int], tuple[datetime.date, datetime.date | None]]:
    """career(institution pk, k) -> (joined_on, promoted_on) of person k (employee number
    P000000k) of an institution, in the grade `step_people` gives them: the same every run."""
    from institutions.scale_kit import Dice, salt

    seed = salt("careers")

    def career(institution_id: int, k: int) -> tuple[datetime.date, datetime.date | None]:
        return _career(today, GRADE_CYCLE[k % len(GRADE_CYCLE)], Dice(seed, institution_id, k))

    return career


def _career(today: datetime.date, grade: int, dice: Any) -> tuple[datetime.date, datetime.date | None]:
    fewest, most = SERVICE_YEARS[grade]
    joined = today - datetime.timedelta(days=dice.number(fewest * 365, most * 365 + 364))
    first = joined + datetime.timedelta(days=FIRST_PROMOTION_DAYS)
    if grade == 0 or first > today or not dice.chance(PROMOTED_SHARE):
        return joined, None
    return joined, first + datetime.timedelta(days=dice.number(0, (today - first).days))


@functools.cache
def _db_date(day: datetime.date | None) -> Any:
    return connection.ops.adapt_datefield_value(day)


def step_people(ctx: Context) -> int:
    from institutions.scale_kit import today

    ids = [pk for pk, _ in ctx.institution_rows]
    plan = list(_missing(ctx, _existing_counts(Person, ids), ctx.people))
    total = sum(n for *_, n in plan)
    table = Rows(Person, PERSON_FIELDS)
    active, retired = Person.Status.ACTIVE.value, Person.Status.RETIRED.value
    now = today(ctx)
    career = careers(now)

    def people() -> Iterator[tuple[Any, ...]]:
        names = len(PEOPLE_NAMES)
        for pk, first, n in plan:
            units: list[int | None] = [*ctx.units.get(pk, [])] or [None]
            for k in range(first, first + n):
                joined, promoted = career(pk, k)
                yield (
                    pk,
                    units[k % len(units)],
                    f"P{k:07d}",
                    PEOPLE_NAMES[(k * 7919 + pk) % names],
                    GRADES[GRADE_CYCLE[k % len(GRADE_CYCLE)]],
                    "팀장" if k % 9 == 0 else "주무관",
                    "",
                    retired if k % 50 == 49 else active,
                    _db_date(joined),
                    _db_date(promoted),
                    table.now,
                    table.now,
                )

    created = _insert(ctx, table, "people", people(), total)
    _backfill_careers(ctx, now)
    return created


def _backfill_careers(ctx: Context, now: datetime.date) -> None:
    """Careers for the people an earlier seed_scale made without them (the dates a new run
    gives them); nothing to do once done."""
    ids = [pk for pk, _ in ctx.institution_rows]
    missing = Person.objects.filter(institution_id__in=ids, joined_on__isnull=True, employee_number__regex=r"^P\d+$")
    qn = connection.ops.quote_name
    sql = (
        f"UPDATE {qn(Person._meta.db_table)} SET {qn('joined_on')} = %s, {qn('promoted_on')} = %s "  # noqa: S608 - names from _meta
        f"WHERE {qn('id')} = %s"
    )
    career = careers(now)
    done = last = 0
    while chunk := list(
        missing.filter(pk__gt=last).order_by("pk").values_list("pk", "institution_id", "employee_number")[: ctx.batch]
    ):
        params = []
        for pk, inst, number in chunk:
            joined, promoted = career(inst, int(number[1:]))
            params.append((_db_date(joined), _db_date(promoted), pk))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, params)
        done += len(chunk)
        last = chunk[-1][0]
    if done:
        ctx.out(f"  people: careers given to {done:,} people of an earlier run")


WORK_TITLES = (
    ("permit", "건축허가 처리", "건축법 제11조"),
    ("construction", "도로 보수공사", "도로법 제31조"),
    ("contract", "시설관리 용역 계약", "지방자치단체를 당사자로 하는 계약에 관한 법률 제9조"),
    ("regulation", "위반건축물 단속", "건축법 제79조"),
    ("development", "도시개발사업 인가", "도시개발법 제17조"),
    ("permit", "개발행위허가", "국토의 계획 및 이용에 관한 법률 제56조"),
    ("other", "민원 사전심사", "민원 처리에 관한 법률 제30조"),
)


def step_register(ctx: Context) -> int:
    from register.models import WorkItem

    ids = [pk for pk, _ in ctx.institution_rows]
    counts = dict(
        WorkItem.objects.filter(institution_id__in=ids, reference__startswith="SCALE-W")
        .values("institution_id")
        .annotate(n=Count("pk"))
        .values_list("institution_id", "n")
        .order_by()
    )
    plan = list(_missing(ctx, counts, ctx.register))
    total = sum(n for *_, n in plan)

    table = Rows(
        WorkItem,
        [
            "institution",
            "reference",
            "title",
            "category",
            "unit",
            "legal_basis",
            "status",
            "year",
            "notes",
            "created_at",
            "updated_at",
        ],
    )
    done, ongoing = WorkItem.Status.COMPLETED.value, WorkItem.Status.IN_PROGRESS.value

    def items() -> Iterator[tuple[Any, ...]]:
        for pk, first, n in plan:
            units = ctx.units.get(pk, [])
            if not units:
                continue
            for k in range(first, first + n):
                category, title, basis = WORK_TITLES[k % len(WORK_TITLES)]
                year = 2020 + k % 7
                yield (
                    pk,
                    f"SCALE-W{k:07d}",
                    f"{title} {k}",
                    category,
                    units[k % len(units)],
                    basis,
                    done if year < 2025 else ongoing,
                    year,
                    "",
                    table.now,
                    table.now,
                )

    return _insert(ctx, table, "register", items(), total)


def step_users(ctx: Context) -> int:
    from institutions.scale_kit import step_users as seed_users

    return seed_users(ctx)


STEPS: list[Step] = [
    Step("institutions", step_institutions),
    Step("policies", step_policies),
    Step("units", step_units),
    Step("people", step_people),
    Step("register", step_register),
    Step("users", step_users),
]


def add_step(step: Step, *, after: str | None = None) -> None:
    """Add a step (at the end, or right after the step named `after`); re-adding replaces it."""
    STEPS[:] = [s for s in STEPS if s.name != step.name]
    position = len(STEPS)
    if after is not None:
        position = next((i + 1 for i, s in enumerate(STEPS) if s.name == after), position)
    STEPS.insert(position, step)


def discover() -> None:
    """Import every installed app's `scale` module (once): each adds its steps with
    `add_step`, so this module never names the apps it seeds."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("scale")


def database_size() -> int:
    """The database's size in bytes (PostgreSQL: the whole database; SQLite: the file's pages)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA page_count")
            pages = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA page_size")
            return pages * int(cursor.fetchone()[0])
    return 0


#: the steps every run takes (what the module steps stand on; nothing to do once made)
BASE_STEPS = frozenset({"institutions", "policies", "units", "people", "register", "users"})


def step_names() -> list[str]:
    discover()
    return [step.name for step in STEPS]


def run(ctx: Context, only: frozenset[str] | None = None) -> list[tuple[str, int, float]]:
    """Run every step (or the base steps and the module steps named in `only`); returns
    (step, rows created, seconds)."""
    discover()
    report = []
    for step in STEPS:
        if only is not None and step.name not in only and step.name not in BASE_STEPS:
            continue
        started = time.monotonic()
        ctx.out(f"[{step.name}] ...")
        created = step.run(ctx)
        elapsed = time.monotonic() - started
        ctx.out(f"[{step.name}] {created:,} created in {elapsed:.1f}s")
        report.append((step.name, created, elapsed))
    if any(created for _, created, _ in report):
        # Fresh statistics: without them PostgreSQL plans the dashboards' grouped queries for
        # the tables' old, tiny sizes (seen: 3,368 rows estimated for 1.1 million read).
        # VACUUM too, where it can run (PostgreSQL, outside a transaction): a bulk load leaves
        # the GIN indexes' pending lists full (every search then reads them whole: 731 ms for a
        # word at 10,000 reports) and no visibility map (counts read the heap), which
        # autovacuum would settle on a live site.
        started = time.monotonic()
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
        done = "statistics refreshed and tables vacuumed" if vacuum else "statistics refreshed"
        ctx.out(f"[analyze] {done} in {time.monotonic() - started:.1f}s")
    return report
