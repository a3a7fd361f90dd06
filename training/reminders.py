"""Reminders to the staff who are not yet compliant, and to their unit heads (ADR 0023).

`send_reminders` (a manager's button) records a `ReminderRun` and its audit entry, then
delivers at once when few people are concerned, else in the background
(`training.tasks.deliver_reminders`, enqueued on commit). `send_monthly_reminders` (the
periodic task, run daily) makes at most one monthly run per institution and month, for every
institution running a mandatory course or having staff flagged as new or newly promoted
officials, so the scheduler may run it any number of times. `deliver` is idempotent: a
finished run is not sent again.

Who is told: every current staff member with an account who is not compliant this year or
is flagged as a new or newly promoted official (training/selectors_compliance.py `pending`,
kind `any`), one notification per person; and each unit head (DEPT_HEAD), once, with the
count of such staff in the units they head. A monthly run of an institution that runs no
mandatory course reminds only the flagged officials (nobody can complete hours of a course
that is not there).
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import audit
from core.access import SYSTEM, Actor
from core.errors import DomainError, TransitionNotAllowed
from core.notifications import notify
from core.roles import Role
from institutions.models import Institution, Person, RoleAssignment
from training import selectors_compliance as compliance
from training.models import Course, ReminderRun
from training.rules import is_manager

#: up to this many people are reminded at once; more go to the background task
INLINE_LIMIT = 200


def _pending(institution_id: int, year: int, today: datetime.date, *, annual: bool = True) -> QuerySet[Person]:
    """The staff to remind: not compliant this year or flagged (only flagged without `annual`)."""
    if annual:
        condition = compliance.pending_condition(institution_id, year, compliance.ANY, today)
    else:
        condition = compliance.new_pending(today) | compliance.promoted_pending(today)
    return compliance.staff([institution_id]).filter(condition)


def _runs_mandatory_course(institution_id: int) -> bool:
    return Course.objects.filter(institution_id=institution_id, is_active=True, mandatory=True).exists()


def send_reminders(*, actor: Actor, today: datetime.date | None = None) -> ReminderRun:
    """A manager reminds this year's non-compliant staff and their unit heads (once a day)."""
    if not is_manager(actor) or actor.institution is None:
        raise TransitionNotAllowed(_("교육 독려 알림을 보낼 권한이 없습니다."))
    today = today or timezone.localdate()
    institution = actor.institution
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    if ReminderRun.objects.filter(
        institution=institution, kind=ReminderRun.Kind.MANUAL, created_at__gte=start
    ).exists():
        raise DomainError(_("오늘은 이미 교육 독려 알림을 보냈습니다. 내일 다시 보낼 수 있습니다."))
    size = _pending(institution.pk, today.year, today).count()
    if not size:
        raise DomainError(_("알림을 보낼 미이수자가 없습니다."))
    with transaction.atomic():
        run = ReminderRun.objects.create(
            institution=institution, kind=ReminderRun.Kind.MANUAL, year=today.year, requested_by=actor.user
        )
        audit.record(
            actor=actor,
            action="training.reminders_requested",
            target=run,
            institution_id=institution.pk,
            changes={"year": today.year, "pending": size, "background": size > INLINE_LIMIT},
        )
        if size <= INLINE_LIMIT:
            deliver(run.pk, actor=actor, today=today)
        else:
            run_id = run.pk

            def enqueue() -> None:
                from training.tasks import deliver_reminders

                deliver_reminders.enqueue(run_id)

            transaction.on_commit(enqueue)
    run.refresh_from_db()
    return run


def deliver(run_id: int, *, actor: Actor = SYSTEM, today: datetime.date | None = None) -> ReminderRun | None:
    """Send a run's notifications (once: a finished run is left alone)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        run = (
            ReminderRun.objects.select_for_update(of=("self",)).select_related("institution").filter(pk=run_id).first()
        )
        if run is None or run.finished_at is not None:
            return run
        annual = run.kind == ReminderRun.Kind.MANUAL or _runs_mandatory_course(run.institution_id)
        people, heads = _notify(run.institution, run.year, today, annual=annual)
        run.people = people
        run.heads = heads
        run.finished_at = timezone.now()
        run.save(update_fields=["people", "heads", "finished_at", "updated_at"])
        audit.record(
            actor=actor,
            action="training.reminders_sent",
            target=run,
            institution_id=run.institution_id,
            changes={"kind": run.kind, "year": run.year, "people": people, "heads": heads},
        )
    return run


def _notify(institution: Institution, year: int, today: datetime.date, *, annual: bool = True) -> tuple[int, int]:
    """Notify the pending staff (grouped by what they lack) and the unit heads; returns how
    many of each were notified. Without `annual`, only the flagged officials."""
    pending = _pending(institution.pk, year, today, annual=annual)
    min_hours = compliance.min_hours(institution.pk)
    staff = compliance.staff([institution.pk])
    lacking_hours: set[int] = set()
    if annual:
        lacking_hours = set(staff.filter(compliance.annual_pending(institution.pk, year)).values_list("pk", flat=True))
    new = set(staff.filter(compliance.new_pending(today)).values_list("pk", flat=True))
    promoted = set(staff.filter(compliance.promoted_pending(today)).values_list("pk", flat=True))
    groups: dict[tuple[bool, bool, bool], list[User]] = defaultdict(list)
    for user in User.objects.filter(is_active=True, person__in=pending.values("pk")).order_by("pk"):
        person_id = user.person_id
        groups[(person_id in lacking_hours, person_id in new, person_id in promoted)].append(user)
    url = reverse("training:mine")
    people = 0
    for (lacks_annual, lacks_new, lacks_promoted), users in sorted(groups.items(), reverse=True):
        lacking = []
        if lacks_annual:
            lacking.append(_("%(year)d년 의무교육 %(hours)s시간") % {"year": year, "hours": min_hours})
        if lacks_new:
            lacking.append(_("신규 공무원 기본교육"))
        if lacks_promoted:
            lacking.append(_("승진자 기본교육"))
        people += len(
            notify(
                recipients=users,
                title=_("적극행정 교육을 이수해 주십시오: %(what)s") % {"what": ", ".join(lacking)},
                url=url,
                institution=institution,
            )
        )
    return people, _notify_heads(institution, pending, annual=annual)


def _notify_heads(institution: Institution, pending: QuerySet[Person], *, annual: bool = True) -> int:
    counts: dict[int | None, int] = {
        row["unit_id"]: row["n"] for row in pending.order_by().values("unit_id").annotate(n=Count("pk")).order_by()
    }
    if not counts:
        return 0
    grants = (
        RoleAssignment.objects.active()
        .filter(institution=institution, role=Role.DEPT_HEAD, user__is_active=True)
        .select_related("user")
        .order_by("user_id", "unit_id")
    )
    headed: dict[int, set[int | None]] = defaultdict(set)
    users: dict[int, User] = {}
    for grant in grants:
        headed[grant.user_id].add(grant.unit_id)
        users[grant.user_id] = grant.user
    total = sum(counts.values())
    per_head: list[tuple[User, int]] = []
    for user_id, units in headed.items():
        n = total if None in units else sum(counts.get(u, 0) for u in units)
        if n:
            per_head.append((users[user_id], n))
    base = reverse("training:noncompliant")
    notified = 0
    for user, n in per_head:
        notified += len(
            notify(
                recipients=[user],
                title=(
                    _("우리 부서의 적극행정 교육 미이수자가 %(n)d명 있습니다.")
                    if annual
                    else _("우리 부서에 적극행정 기본교육(신규·승진)을 마치지 않은 직원이 %(n)d명 있습니다.")
                )
                % {"n": n},
                url=f"{base}?kind={compliance.ANY}",
                institution=institution,
            )
        )
    return notified


# --- The monthly reminder ------------------------------------------------------------------------


def monthly_institutions(today: datetime.date) -> set[int]:
    """The institutions running a mandatory course, and those with current staff flagged as
    new or newly promoted officials (two queries)."""
    running = Course.objects.filter(is_active=True, mandatory=True).order_by().values_list("institution_id", flat=True)
    flagged = (
        Person.objects.filter(status=Person.Status.ACTIVE)
        .filter(compliance.new_pending(today) | compliance.promoted_pending(today))
        .order_by()
        .values_list("institution_id", flat=True)
    )
    return set(running.distinct()) | set(flagged.distinct())


def send_monthly_reminders(today: datetime.date | None = None) -> int:
    """Every institution running a mandatory course or with flagged officials gets this
    month's reminders once. Returns how many runs it made."""
    today = today or timezone.localdate()
    institution_ids = monthly_institutions(today)
    done = set(
        ReminderRun.objects.filter(kind=ReminderRun.Kind.MONTHLY, year=today.year, month=today.month).values_list(
            "institution_id", flat=True
        )
    )
    made = 0
    for institution_id in sorted(set(institution_ids) - done):
        try:
            with transaction.atomic():
                run = ReminderRun.objects.create(
                    institution_id=institution_id, kind=ReminderRun.Kind.MONTHLY, year=today.year, month=today.month
                )
        except IntegrityError:  # another worker made it meanwhile
            continue
        deliver(run.pk, today=today)
        made += 1
    return made
