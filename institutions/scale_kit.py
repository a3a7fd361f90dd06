"""What the module apps' seed_scale steps share (institutions/scale.py runs them).

Each module app has a `scale.py` that adds its step with `scale.add_step`; `scale.discover()`
imports them. A step makes the module's rows for the SCALE- institutions only:

- in bulk (`bulk`: `bulk_create`, no save(), no audit; `Rows` for the millions of training
  completions), in chunks of `ctx.batch` cases (or `institution_chunk` institutions for the
  rows made per institution: committees, plans, rounds, ...); each chunk's children
  (deadlines, named officials, payments, ...) are made in the same transaction as their
  parents, so an interrupted run leaves no half-made case;
- only what is missing: `plan` counts the rows each institution already has against its
  share of the size (`ctx.shares`), so a second run with the same sizes adds nothing;
- deterministically: every value comes from a `Dice` seeded with the module, the
  institution and the row's index, so the same run makes the same rows;
- over the last `HISTORY_DAYS` days, in realistic states (most cases closed; the open ones
  recent, some past their deadline), with `core.models.Deadline` rows where the module opens
  one.

Numbers never collide with real ones: string numbers start with `PREFIX` ("SCALE-"), and a
unique integer number (meeting, exemption case, support request) is `SCALE_NUMBER_BASE` + the
row's index, far above any yearly sequence of `core.numbering`.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone

from core.deadlines import add_working_days, is_working_day, working_days_between
from core.models import Deadline
from core.roles import Role
from institutions.models import Person, RoleAssignment
from institutions.scale import PREFIX, Context, _missing

T = TypeVar("T")
M = TypeVar("M", bound=models.Model)

SCALE_NUMBER_BASE = 900_000
HISTORY_DAYS = 3 * 365
#: how many people (and register entries) of each institution cases name
STAFF_SAMPLE = 200
WORK_SAMPLE = 100
#: the scale staff accounts of each institution: suffix -> roles (persons P0000000, P0000001, ...)
USER_ROLES: tuple[tuple[str, tuple[Role, ...]], ...] = (
    ("aa", (Role.AA_OFFICER, Role.PROTECTION_OFFICER)),
    ("hr", (Role.HR_OFFICER, Role.COMMITTEE_SECRETARY)),
    ("head", (Role.HEAD,)),
    ("official", (Role.OFFICIAL,)),
    ("audit", (Role.AUDIT_STAFF,)),
)

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15


def salt(name: str) -> int:
    """A stable integer for a module's name (Python's str hash changes between runs)."""
    value = 0
    for byte in name.encode():
        value = (value * 131 + byte) & _MASK
    return value


def _scramble(x: int) -> int:
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


class Dice:
    """A small deterministic stream of choices (splitmix64), seeded by ints."""

    __slots__ = ("state",)

    def __init__(self, *seed: int) -> None:
        state = _GOLDEN
        for part in seed:
            state = _scramble((state ^ part) & _MASK)
        self.state = state

    def next(self) -> int:
        self.state = (self.state + _GOLDEN) & _MASK
        return _scramble(self.state)

    def frac(self) -> float:
        return self.next() / (1 << 64)

    def number(self, low: int, high: int) -> int:
        """An int in [low, high]."""
        return low + self.next() % (high - low + 1)

    def chance(self, p: float) -> bool:
        return self.frac() < p

    def pick(self, seq: Sequence[T]) -> T:
        return seq[self.next() % len(seq)]

    def sample(self, seq: Sequence[T], n: int) -> list[T]:
        """Up to n distinct items, in the sequence's order."""
        if n >= len(seq):
            return list(seq)
        chosen: set[int] = set()
        while len(chosen) < n:
            chosen.add(self.next() % len(seq))
        return [seq[i] for i in sorted(chosen)]

    def weighted(self, table: Sequence[tuple[T, int]]) -> T:
        roll = self.next() % sum(w for _, w in table)
        for value, w in table:
            if roll < w:
                return value
            roll -= w
        return table[-1][0]

    def text(self, pool: Sequence[str], n: int) -> str:
        """n distinct sentences of the pool, as one paragraph."""
        return " ".join(self.sample(pool, n))


def digest(*parts: object) -> str:
    """A stable 64-hex value for a unique hash column (a receipt, a submission key) that no
    real receipt or form token can produce."""
    return hashlib.sha256("-".join(str(p) for p in ("seed_scale", *parts)).encode()).hexdigest()


# --- Dates ------------------------------------------------------------------------------


def today(ctx: Context) -> datetime.date:
    """The day the run counts from (fixed for the whole run)."""
    found: datetime.date = ctx.cache.setdefault("today", timezone.localdate())
    return found


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A moment of a working day, in the site's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def days_before(ctx: Context, days: int) -> datetime.date:
    return today(ctx) - datetime.timedelta(days=days)


def history_day(ctx: Context, dice: Dice, *, newest: int = 0, oldest: int = HISTORY_DAYS) -> datetime.date:
    """A day between `oldest` and `newest` days ago."""
    return days_before(ctx, dice.number(newest, oldest))


def not_after(ctx: Context, day: datetime.date) -> datetime.date:
    return min(day, today(ctx))


def later(day: datetime.date, low: int, high: int, dice: Dice) -> datetime.date:
    return day + datetime.timedelta(days=dice.number(low, high))


# --- What the steps need of each institution (loaded once per run) ------------------------


def institution_ids(ctx: Context) -> list[int]:
    return [pk for pk, _ in ctx.institution_rows]


def staff(ctx: Context) -> dict[int, list[tuple[int, int | None]]]:
    """Institution pk -> (person pk, unit pk) of its first active people (the ones cases name)."""
    found: dict[int, list[tuple[int, int | None]]] | None = ctx.cache.get("staff")
    if found is None:
        found = {}
        rows = (
            Person.objects.filter(
                institution_id__in=institution_ids(ctx),
                employee_number__lt=f"P{STAFF_SAMPLE:07d}",
                status=Person.Status.ACTIVE,
            )
            .order_by("institution_id", "employee_number")
            .values_list("institution_id", "pk", "unit_id")
        )
        for inst, pk, unit in rows:
            found.setdefault(inst, []).append((pk, unit))
        ctx.cache["staff"] = found
    return found


def state(ctx: Context, dice: Dice, table: Sequence[tuple[T, int]]) -> T:
    """A state in the table's proportions; the first rows a run makes take each state once,
    so that even a small run shows every state. (It was the largest institution's first
    rows, but a small run may give it fewer rows than the table has states; and on
    PostgreSQL the dice, seeded with row ids, roll differently after other work.)"""
    key = f"states-forced-{id(table)}"
    forced = int(ctx.cache.get(key, 0))
    if forced < len(table):
        ctx.cache[key] = forced + 1
        return table[forced][0]
    return dice.weighted(table)


def people_of(ctx: Context, institution_id: int) -> list[int]:
    return [pk for pk, _ in staff(ctx).get(institution_id, [])]


def people_in(ctx: Context, institution_id: int, unit_id: int | None) -> list[int]:
    """The sampled people of a unit (or of the institution when the unit has none)."""
    rows = staff(ctx).get(institution_id, [])
    return [pk for pk, unit in rows if unit == unit_id] or [pk for pk, _ in rows]


def work_items(ctx: Context) -> dict[int, list[int]]:
    """Institution pk -> the first register entries of seed_scale's register step."""
    found: dict[int, list[int]] | None = ctx.cache.get("work_items")
    if found is None:
        from register.models import WorkItem

        found = {}
        rows = (
            WorkItem.objects.filter(
                institution_id__in=institution_ids(ctx),
                reference__startswith=f"{PREFIX}W",
                reference__lt=f"{PREFIX}W{WORK_SAMPLE:07d}",
            )
            .order_by("institution_id", "reference")
            .values_list("institution_id", "pk")
        )
        for inst, pk in rows:
            found.setdefault(inst, []).append(pk)
        ctx.cache["work_items"] = found
    return found


def work_item(ctx: Context, dice: Dice, institution_id: int, share: float = 0.6) -> int | None:
    """A register entry for a case (most cases name one), or None."""
    items = work_items(ctx).get(institution_id, [])
    return dice.pick(items) if items and dice.chance(share) else None


def units(ctx: Context, institution_id: int) -> list[int]:
    return ctx.units.get(institution_id, [])


def username(code: str, suffix: str) -> str:
    return f"{code.lower()}-{suffix}"


def users(ctx: Context) -> dict[int, dict[str, int]]:
    """Institution pk -> {"aa": user pk, "hr": ..., "head": ..., "official": ...}."""
    found: dict[int, dict[str, int]] | None = ctx.cache.get("users")
    if found is None:
        from accounts.models import User

        names = {username(code, suffix): (pk, suffix) for pk, code in ctx.institution_rows for suffix, _ in USER_ROLES}
        found = {}
        for name, user_pk in User.objects.filter(username__in=list(names)).values_list("username", "pk"):
            inst, suffix = names[name]
            found.setdefault(inst, {})[suffix] = user_pk
        ctx.cache["users"] = found
    return found


def user(ctx: Context, institution_id: int, suffix: str) -> int | None:
    return users(ctx).get(institution_id, {}).get(suffix)


def required_user(ctx: Context, institution_id: int, suffix: str) -> int:
    """The scale account for a column that must name one (the users step made them all)."""
    found = user(ctx, institution_id, suffix)
    if found is None:
        raise LookupError(f"seed_scale: no {suffix} account in institution {institution_id}")
    return found


def step_users(ctx: Context) -> int:
    """A few staff accounts per institution (unusable passwords) with their roles, linked to
    the institution's first people, for the cases that need a user (author, payer, ...)."""
    from accounts.models import User

    wanted = {
        username(code, suffix): (pk, i, roles)
        for pk, code in ctx.institution_rows
        for i, (suffix, roles) in enumerate(USER_ROLES)
    }
    have = set(User.objects.filter(username__in=list(wanted)).values_list("username", flat=True))
    missing = {name: spec for name, spec in wanted.items() if name not in have}
    if not missing:
        return 0
    people_rows = Person.objects.filter(
        institution_id__in={inst for inst, _, _ in missing.values()},
        employee_number__lt=f"P{len(USER_ROLES):07d}",
        user__isnull=True,
    ).values_list("institution_id", "employee_number", "pk")
    people = {(inst, number): pk for inst, number, pk in people_rows}
    password = make_password(None)
    accounts = [
        User(
            username=name,
            password=password,
            institution_id=inst,
            person_id=people.get((inst, f"P{i:07d}")),
            is_active=True,
        )
        for name, (inst, i, _) in missing.items()
    ]
    bulk(ctx, accounts)
    since = days_before(ctx, HISTORY_DAYS)
    created = {u.username: u.pk for u in User.objects.filter(username__in=list(missing))}
    grants = [
        RoleAssignment(
            user_id=created[name],
            institution_id=inst,
            role=role,
            starts_on=since,
            note="seed_scale",
            created_at=at(since),
            updated_at=at(since),
        )
        for name, (inst, _, roles) in missing.items()
        for role in roles
    ]
    bulk(ctx, grants)
    ctx.cache.pop("users", None)
    return len(accounts)


# --- Planning and inserting -----------------------------------------------------------------


def counts(model: type[models.Model], field: str, ids: list[int], **filters: Any) -> dict[int, int]:
    """How many rows each institution has (`field` is the path to its id)."""
    return dict(
        model._default_manager.filter(**{f"{field}__in": ids}, **filters)
        .values(field)
        .annotate(n=Count("pk"))
        .values_list(field, "n")
        .order_by()
    )


def plan(
    ctx: Context, model: type[models.Model], total: int, *, field: str = "institution_id", **filters: Any
) -> list[tuple[int, int, int]]:
    """(institution pk, first new index, how many) for each institution below its share of
    `total` (existing rows counted per institution, as the base steps do)."""
    return list(_missing(ctx, counts(model, field, institution_ids(ctx), **filters), total))


def auto_timestamps(model: type[models.Model]) -> list[models.DateField[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.DateField) and (getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
    ]


@contextlib.contextmanager
def _given_timestamps(model: type[models.Model]) -> Iterator[None]:
    """Keep the created_at/updated_at the rows were given (auto_now would stamp them now)."""
    fields = auto_timestamps(model)
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, add in saved:
            f.auto_now, f.auto_now_add = now, add


def bulk(ctx: Context, objs: Sequence[M]) -> list[M]:
    """bulk_create with the timestamps as given (now where none was); the pks are set on
    PostgreSQL and SQLite alike."""
    if not objs:
        return []
    model = type(objs[0])
    fields = auto_timestamps(model)
    now = timezone.now()
    for obj in objs:
        for f in fields:
            if getattr(obj, f.attname) is None:
                setattr(obj, f.attname, now)
    with _given_timestamps(model):
        return model._default_manager.bulk_create(objs, batch_size=ctx.batch)


def seed(
    ctx: Context,
    label: str,
    work: list[tuple[int, int, int]],
    build: Callable[[int, int], T],
    save: Callable[[list[T]], int],
    *,
    per_chunk: int | None = None,
) -> int:
    """Build one spec per missing row (`build(institution pk, index)`) and save them
    `per_chunk` (default `ctx.batch`) at a time, each chunk in one transaction (`save` inserts
    the chunk's rows and their children and returns how many specs it saved). A step whose
    spec is a whole institution's rows passes `institution_chunk(ctx)`."""
    size = per_chunk or ctx.batch
    total = sum(n for *_, n in work)
    started = time.monotonic()
    created = last = 0
    chunk: list[T] = []

    def flush() -> None:
        nonlocal created, last, chunk
        if not chunk:
            return
        with transaction.atomic():
            created += save(chunk)
        chunk = []
        done = created
        if done - last >= max(size, total // 10) or done >= total:
            ctx.progress(label, done, total, started)
            last = done

    for inst, first, n in work:
        for k in range(first, first + n):
            chunk.append(build(inst, k))
            if len(chunk) >= size:
                flush()
    flush()
    return created


def institution_chunk(ctx: Context) -> int:
    """How many institutions a step that builds a whole institution per spec saves at once."""
    return max(1, ctx.batch // 100)


# --- Deadlines ----------------------------------------------------------------------------


class WorkingDays:
    """core.deadlines' counting (same calendar, same results) by table lookup: a deadline row
    costs two lookups instead of a walk over every day of its period."""

    def __init__(self, first: datetime.date, last: datetime.date) -> None:
        self.first = first
        self.days: list[datetime.date] = []  # the working days in [first, last]
        self.before: list[int] = []  # per calendar day: working days strictly before it
        day, count = first, 0
        while day <= last:
            self.before.append(count)
            if is_working_day(day):
                self.days.append(day)
                count += 1
            day += datetime.timedelta(days=1)

    def _index(self, day: datetime.date) -> int | None:
        i = (day - self.first).days
        return i if 0 <= i < len(self.before) - 1 else None

    def add(self, start: datetime.date, n: int) -> datetime.date:
        """add_working_days(start, n)."""
        i = self._index(start)
        if i is None or n == 0:
            return add_working_days(start, n)
        position = self.before[i + 1] + n - 1  # the n-th working day after start
        return self.days[position] if position < len(self.days) else add_working_days(start, n)

    def between(self, a: datetime.date, b: datetime.date) -> int:
        """working_days_between(a, b)."""
        i, j = self._index(a), self._index(b)
        if i is None or j is None:
            return working_days_between(a, b)
        return self.before[j + 1] - self.before[i + 1]


def calendar(ctx: Context) -> WorkingDays:
    found: WorkingDays | None = ctx.cache.get("calendar")
    if found is None:
        now = today(ctx)
        found = WorkingDays(now - datetime.timedelta(days=HISTORY_DAYS + 400), now + datetime.timedelta(days=800))
        ctx.cache["calendar"] = found
    return found


def content_type(model: type[models.Model]) -> ContentType:
    return ContentType.objects.get_for_model(model)


def deadline(
    ctx: Context,
    *,
    target: models.Model,
    kind: str,
    label: str,
    url: str,
    starts_on: datetime.date,
    working_days: int = 0,
    due_on: datetime.date | None = None,
    closed_on: datetime.date | None = None,
    unit_id: int | None = None,
    reminder_days: int = 2,
) -> Deadline:
    """The Deadline row core.deadlines.deadline_open would have made for the target, closed on
    `closed_on` (None: still running). A running one already past its reminder day or its
    due date is marked as reminded / notified, as the daily scheduler would have done, so the
    first scheduler run after seeding does not send thousands of notifications."""
    days_ = calendar(ctx)
    due = due_on or days_.add(starts_on, working_days)
    days = working_days or max(1, days_.between(starts_on, due))
    now = today(ctx)
    reminded = overdue = None
    if closed_on is None:
        if days_.between(now, due) <= reminder_days:
            reminded = at(max(starts_on, min(now, due - datetime.timedelta(days=reminder_days))), 8)
        if now > due:
            overdue = at(due + datetime.timedelta(days=1), 8)
    return Deadline(
        institution_id=target.institution_id,  # type: ignore[attr-defined]
        unit_id=unit_id,
        content_type=content_type(type(target)),
        object_id=target.pk,
        kind=kind,
        label=label[:300],
        url=url[:300],
        starts_on=starts_on,
        working_days=days,
        due_on=due,
        closed_at=at(closed_on, 17) if closed_on is not None else None,
        closed_late=closed_on is not None and closed_on > due,
        reminded_at=reminded,
        overdue_notified_at=overdue,
        created_at=at(starts_on, 9),
    )
