"""Deadlines counted in working days under the Korean public holiday calendar.

Counting rule (기간의 계산). Administrative periods follow the Civil Act through
행정기본법 제6조: the first day is not counted (민법 제157조, 초일 불산입). A period of
*n working days* therefore ends on the n-th working day AFTER the start day; Saturdays,
Sundays and public holidays (관공서의 공휴일에 관한 규정, including substitute holidays,
대체공휴일, and the Seollal and Chuseok holidays) are not counted. A start on a holiday
changes nothing: day 1 is still the first working day after it.

``add_working_days(date(2026, 9, 18), 10)`` - a Friday before Chuseok - skips the weekends,
Chuseok (24-26 September), the substitute holiday of National Foundation Day (5 October)
and Hangul Day (9 October), and lands on 7 October.

Where a law counts differently (민원처리법 counts the day of receipt for periods of six
days or more), the calling module passes the day before as ``starts_on``.
"""

from __future__ import annotations

import datetime
import functools
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import holidays
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core import audit
from core.access import Actor
from core.errors import DomainError
from core.models import Deadline

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

SATURDAY = 5
#: Never count further than this in one call (a guard against runaway loops on bad input).
MAX_WORKING_DAYS = 2000


# --- The calendar ---------------------------------------------------------------------


@functools.cache
def holidays_in(year: int) -> dict[datetime.date, str]:
    """The Korean public holidays of one year, {date: name}. Cached per year."""
    calendar = holidays.country_holidays("KR", years=year)
    return {day: str(name) for day, name in calendar.items() if day.year == year}


def holiday_name(day: datetime.date) -> str | None:
    return holidays_in(day.year).get(day)


def is_weekend(day: datetime.date) -> bool:
    return day.weekday() >= SATURDAY


def is_working_day(day: datetime.date) -> bool:
    return not is_weekend(day) and day not in holidays_in(day.year)


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The n-th working day after `start` (the start day itself is never counted).
    ``n == 0`` returns `start` unchanged."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n > MAX_WORKING_DAYS:
        raise ValueError(f"n must not exceed {MAX_WORKING_DAYS}")
    day = start
    remaining = n
    while remaining:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(a: datetime.date, b: datetime.date) -> int:
    """Working days in (a, b]; negative when b is before a.
    ``working_days_between(d, add_working_days(d, n)) == n``."""
    if b < a:
        return -working_days_between(b, a)
    count = 0
    day = a
    while day < b:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count


def skipped_holidays(start: datetime.date, due: datetime.date) -> list[tuple[datetime.date, str]]:
    """The public holidays on weekdays in (start, due]: the days that pushed the due date
    back. Holidays on a weekend change nothing and are left out (their substitute holiday,
    if any, is a weekday and is listed)."""
    found: list[tuple[datetime.date, str]] = []
    for year in range(start.year, due.year + 1):
        for day, name in sorted(holidays_in(year).items()):
            if start < day <= due and not is_weekend(day):
                found.append((day, name))
    return found


# --- Deadline kinds -------------------------------------------------------------------

RecipientsFn = Callable[[Deadline], Iterable["User"]]


@dataclass(frozen=True)
class DeadlineKind:
    code: str
    label: str | Promise
    recipients: RecipientsFn
    #: a field of the target that keeps a copy of the due date, so that the module's queue
    #: can order and filter by it through an index of its own table (ADR 0025)
    mirror: str = ""


_KINDS: dict[str, DeadlineKind] = {}


def register_deadline_kind(kind: str, label: str | Promise, recipients: RecipientsFn, *, mirror: str = "") -> None:
    """A module declares a kind of deadline it opens and who is reminded of it
    (typically ``lambda d: users_with_roles(d.institution_id, Role.AA_OFFICER)``), and
    optionally the target's field that mirrors the due date (kept here, by every service
    that sets one)."""
    _KINDS[kind] = DeadlineKind(kind, label, recipients, mirror)


def _mirror(deadline: Deadline, target: models.Model | None = None, *, fresh: bool = False) -> None:
    """Copy the due date onto the target's mirror field, in the same transaction. A target
    created in this transaction (`fresh`) with the due date already in its field was
    written with it: no second write."""
    registered = _KINDS.get(deadline.kind)
    if registered is None or not registered.mirror:
        return
    if fresh and target is not None and getattr(target, registered.mirror, None) == deadline.due_on:
        return
    model = type(target) if target is not None else deadline.content_type.model_class()
    if model is None:
        return
    model._default_manager.filter(pk=deadline.object_id).update(**{registered.mirror: deadline.due_on})
    if target is not None:
        setattr(target, registered.mirror, deadline.due_on)


def deadline_kind(kind: str) -> DeadlineKind | None:
    return _KINDS.get(kind)


def kind_label(kind: str) -> str:
    registered = _KINDS.get(kind)
    return str(registered.label) if registered is not None else kind


# --- Services -------------------------------------------------------------------------


def _today() -> datetime.date:
    return timezone.localdate()


def deadline_open(
    *,
    target: models.Model,
    kind: str,
    working_days: int,
    label: str,
    url: str = "",
    starts_on: datetime.date | None = None,
    unit: models.Model | None = None,
    due_on: datetime.date | None = None,
    fresh: bool = False,
) -> Deadline:
    """Start the clock on a case. The institution is the target's. A target has at most one
    deadline of a kind: opening it again after it was closed (a returned case submitted
    anew) starts a fresh period with no extensions; opening it while it runs is refused.

    A period fixed in calendar days by its rule (a report due 10 days after the quarter)
    passes its `due_on`; `working_days` is then ignored and recorded as the working days
    up to that date.

    `fresh`: the caller created the target in this transaction, so it has no deadline yet
    (one insert instead of a locked look-up first; the unique constraint still holds)."""
    institution_id = getattr(target, "institution_id", None)
    if institution_id is None:
        raise ValueError("a deadline's target must belong to an institution")
    starts_on = starts_on or _today()
    if due_on is not None:
        if due_on <= starts_on:
            raise ValueError("due_on must come after starts_on")
        working_days = max(1, working_days_between(starts_on, due_on))
    if working_days < 1:
        raise ValueError("working_days must be at least 1")
    content_type = ContentType.objects.get_for_model(target)
    values = {
        "institution_id": institution_id,
        "unit_id": unit.pk if unit is not None else None,
        "label": label[:300],
        "url": url[:300],
        "starts_on": starts_on,
        "working_days": working_days,
        "due_on": due_on or add_working_days(starts_on, working_days),
        "extension_days": 0,
        "extension_count": 0,
        "extension_reason": "",
        "extensions": [],
        "reminded_at": None,
        "overdue_notified_at": None,
        "closed_at": None,
        "closed_late": False,
    }
    if fresh:
        created = Deadline.objects.create(content_type=content_type, object_id=target.pk, kind=kind, **values)
        _mirror(created, target, fresh=True)
        return created
    with transaction.atomic():
        existing = (
            Deadline.objects.select_for_update()
            .filter(content_type=content_type, object_id=target.pk, kind=kind)
            .first()
        )
        if existing is None:
            existing = Deadline.objects.create(content_type=content_type, object_id=target.pk, kind=kind, **values)
        elif existing.closed_at is None:
            raise DomainError(_("이 건에는 이미 진행 중인 처리기한이 있습니다."))
        else:
            for name, value in values.items():
                setattr(existing, name, value)
            existing.save()
        _mirror(existing, target)
        return existing


def deadline_extend(
    *,
    actor: Actor,
    deadline: Deadline,
    working_days: int,
    reason: str,
    max_extensions: int = 1,
) -> Deadline:
    """Extend a running deadline by working days counted from its current due date.
    The caller checks who may extend; this checks the reason and the number of extensions,
    keeps the history on the deadline and writes the audit entry on the case."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("연장 사유를 입력해 주십시오."), field="reason")
    if working_days < 1:
        raise DomainError(_("연장 기간은 1근무일 이상이어야 합니다."), field="working_days")
    if working_days > MAX_WORKING_DAYS:
        raise DomainError(_("연장 기간이 너무 깁니다."), field="working_days")
    with transaction.atomic():
        current = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if current.closed_at is not None:
            raise DomainError(_("이미 완료된 건의 처리기한은 연장할 수 없습니다."))
        if current.extension_count >= max_extensions:
            raise DomainError(_("처리기한은 %(limit)d회까지만 연장할 수 있습니다.") % {"limit": max_extensions})
        before = current.due_on
        current.due_on = add_working_days(before, working_days)
        current.extension_days += working_days
        current.extension_count += 1
        current.extension_reason = reason
        current.extensions = [
            *current.extensions,
            {
                "at": timezone.now().isoformat(timespec="seconds"),
                "by": actor.label,
                "working_days": working_days,
                "due_before": before.isoformat(),
                "due_after": current.due_on.isoformat(),
                "reason": reason,
            },
        ]
        # A new due date deserves a new reminder.
        current.reminded_at = None
        current.overdue_notified_at = None
        current.save()
        target = current.target
        _mirror(current, target)
        audit.record(
            actor=actor,
            action="deadline.extend",
            target=target,
            institution_id=current.institution_id,
            target_label=current.label if target is None else None,
            changes={
                "kind": current.kind,
                "due_on": [before, current.due_on],
                "working_days": working_days,
                "extension_count": current.extension_count,
            },
            reason=reason,
        )
    _refresh(deadline, current)
    return current


def deadline_close(*, deadline: Deadline, at: datetime.datetime | None = None) -> Deadline:
    """Stop the clock. Closing after the due date is recorded as late (an opinion after the
    deadline is still accepted, and shown as late). Closing twice changes nothing."""
    with transaction.atomic():
        current = Deadline.objects.select_for_update().get(pk=deadline.pk)
        if current.closed_at is None:
            current.closed_at = at or timezone.now()
            current.closed_late = timezone.localdate(current.closed_at) > current.due_on
            current.save(update_fields=["closed_at", "closed_late"])
    _refresh(deadline, current)
    return current


def _refresh(stale: Deadline, fresh: Deadline) -> None:
    if stale is not fresh:
        stale.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})


def stop_clock(target: models.Model, kind: str) -> Deadline | None:
    """Close the deadline of `kind` on `target` if one is running (a case answered, cancelled
    or sent on); nothing when there is none or it is closed already."""
    deadline = deadline_for(target, kind)
    if deadline is None or deadline.closed_at is not None:
        return deadline
    return deadline_close(deadline=deadline)


def deadline_for(target: models.Model, kind: str) -> Deadline | None:
    content_type = ContentType.objects.get_for_model(target)
    return Deadline.objects.filter(content_type=content_type, object_id=target.pk, kind=kind).first()


# --- Selectors ------------------------------------------------------------------------


def _institution_deadlines(actor: Actor) -> QuerySet[Deadline]:
    if actor.institution_id is None:
        return Deadline.objects.none()
    return Deadline.objects.filter(institution_id=actor.institution_id, closed_at__isnull=True).select_related("unit")


def overdue(actor: Actor, *, today: datetime.date | None = None) -> QuerySet[Deadline]:
    """Open deadlines of the actor's institution past their due date, oldest first.
    Uses the (institution, closed_at, due_on) index; paginate the result."""
    return _institution_deadlines(actor).filter(due_on__lt=today or _today()).order_by("due_on", "pk")


def due_soon(actor: Actor, days: int, *, today: datetime.date | None = None) -> QuerySet[Deadline]:
    """Open deadlines of the actor's institution due today or within `days` working days."""
    today = today or _today()
    horizon = add_working_days(today, max(days, 0))
    return _institution_deadlines(actor).filter(due_on__gte=today, due_on__lte=horizon).order_by("due_on", "pk")


# --- Reminders ------------------------------------------------------------------------

BATCH = 200


@dataclass
class ReminderResult:
    reminded: int = 0
    overdue: int = 0
    skipped_unregistered: int = 0


def send_deadline_reminders(today: datetime.date | None = None) -> ReminderResult:
    """Remind the responsible people of deadlines due within the institution's
    `reminder_days_before` working days, and tell them of deadlines that have passed.
    Each deadline is reminded once and reported overdue once (extending it re-arms both).
    Safe to run again at any time, and by two workers at once."""
    from institutions.models import Policy

    today = today or _today()
    result = ReminderResult()
    default_before = Policy._meta.get_field("reminder_days_before").get_default()
    values = set(Policy.objects.values_list("reminder_days_before", flat=True).distinct()) | {default_before}
    for before in sorted(values):
        horizon = add_working_days(today, before)
        scope = Q(institution__policy__reminder_days_before=before)
        if before == default_before:
            scope |= Q(institution__policy__isnull=True)
        due = Deadline.objects.filter(
            scope,
            closed_at__isnull=True,
            reminded_at__isnull=True,
            due_on__gte=today,
            due_on__lte=horizon,
        )
        _notify_batches(due, "reminded_at", today, result)
    late = Deadline.objects.filter(closed_at__isnull=True, overdue_notified_at__isnull=True, due_on__lt=today)
    _notify_batches(late, "overdue_notified_at", today, result)
    return result


def _notify_batches(queryset: QuerySet[Deadline], stamp: str, today: datetime.date, result: ReminderResult) -> None:
    last_pk = 0
    skip_locked = connection.features.has_select_for_update_skip_locked
    while True:
        with transaction.atomic():
            rows = list(
                queryset.filter(pk__gt=last_pk)
                .select_related("institution")
                .order_by("pk")
                .select_for_update(skip_locked=skip_locked, of=("self",))[:BATCH]
            )
            if not rows:
                return
            last_pk = rows[-1].pk
            stamped: list[int] = []
            for deadline in rows:
                if _notify_one(deadline, stamp, today):
                    stamped.append(deadline.pk)
                    if stamp == "reminded_at":
                        result.reminded += 1
                    else:
                        result.overdue += 1
                else:
                    result.skipped_unregistered += 1
            Deadline.objects.filter(pk__in=stamped).update(**{stamp: timezone.now()})


def _notify_one(deadline: Deadline, stamp: str, today: datetime.date) -> bool:
    from core.notifications import notify

    kind = _KINDS.get(deadline.kind)
    if kind is None:
        logger.warning("deadline %s has the unregistered kind %r; no reminder sent", deadline.pk, deadline.kind)
        return False
    if stamp == "reminded_at":
        left = working_days_between(today, deadline.due_on)
        title = _("처리기한 임박: %(label)s") % {"label": deadline.label}
        body = _("%(kind)s 기한은 %(due)s입니다(%(left)d근무일 남음).") % {
            "kind": kind.label,
            "due": deadline.due_on.isoformat(),
            "left": left,
        }
    else:
        late = working_days_between(deadline.due_on, today)
        title = _("처리기한 경과: %(label)s") % {"label": deadline.label}
        body = _("%(kind)s 기한 %(due)s이 지났습니다(%(late)d근무일 경과).") % {
            "kind": kind.label,
            "due": deadline.due_on.isoformat(),
            "late": late,
        }
    notify(
        recipients=kind.recipients(deadline),
        title=title[:200],
        body=body,
        url=deadline.url,
        institution=deadline.institution,
    )
    return True
