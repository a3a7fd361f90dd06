"""Every change to training records (ADR 0023): courses, sessions, enrolments and
completions. Each is one transaction: check the actor and the input, lock, change, audit.
Managers are the HR officer and the AA officer of the institution (training/rules.py).
The compliance reminders are in training/reminders.py."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.access import Actor
from core.errors import DomainError, TransitionNotAllowed
from institutions.models import Person
from portal.public import clean_text
from training.models import Completion, Course, Enrolment, Session
from training.rules import clean_date, clean_hours, is_manager
from training.workflow import ENROLMENT, MANAGER

E = Enrolment.Status

MAX_TITLE = 200
MAX_CODE = 30
MAX_DESCRIPTION = 2000
MAX_NOTE = 200
MAX_REASON = 1000
MAX_LINK = 300
MAX_CAPACITY = 100_000
#: how many names an error message lists before "and N more"
NAMES_SHOWN = 5

COURSE_FIELDS = ["code", "title", "provider", "hours", "mode", "mandatory", "audience", "description"]


# --- Helpers ---------------------------------------------------------------------------


def _require_manager(actor: Actor, institution_id: int) -> None:
    if not is_manager(actor) or actor.institution_id != institution_id:
        raise TransitionNotAllowed(_("교육을 관리할 권한이 없습니다."))


def roles_for(actor: Actor, institution_id: int) -> set[str]:
    """The case roles the actor holds on the institution's enrolments."""
    return {MANAGER} if is_manager(actor) and actor.institution_id == institution_id else set()


def names(people: Iterable[Person]) -> str:
    """'홍길동(E1), 김철수(E2) 외 3명' for an error message."""
    listed = [f"{p.name}({p.employee_number})" for p in people]
    shown = ", ".join(listed[:NAMES_SHOWN])
    if len(listed) > NAMES_SHOWN:
        shown += _(" 외 %(n)d명") % {"n": len(listed) - NAMES_SHOWN}
    return shown


def numbers(people: Iterable[Person]) -> str:
    """The employee numbers of people, sorted, as one text (an audit entry's list: a JSON
    list of two would read as a change from one to the other on the timeline)."""
    return ", ".join(sorted(p.employee_number for p in people))


def _check_person(actor: Actor, person: Person, field: str = "person") -> None:
    if person.institution_id != actor.institution_id:
        raise DomainError(_("이 기관의 직원을 선택해 주십시오."), field=field)
    if person.status == Person.Status.RETIRED:
        raise DomainError(
            _("퇴직한 직원의 교육 기록은 만들 수 없습니다: %(who)s") % {"who": names([person])}, field=field
        )


# --- Courses ---------------------------------------------------------------------------


def _clean_course(institution_id: int, data: dict[str, Any], course: Course | None = None) -> dict[str, Any]:
    title = clean_text(str(data.get("title") or ""), "title", limit=MAX_TITLE)
    code = clean_text(str(data.get("code") or ""), "code", required=False, limit=MAX_CODE)
    mode = str(data.get("mode") or "")
    if mode not in Course.Mode.values:
        raise DomainError(_("교육 방식을 선택해 주십시오."), field="mode")
    audience = str(data.get("audience") or "")
    if audience not in Course.Audience.values:
        raise DomainError(_("교육 대상을 선택해 주십시오."), field="audience")
    others = Course.objects.filter(institution_id=institution_id)
    if course is not None:
        others = others.exclude(pk=course.pk)
    if others.filter(title=title).exists():
        raise DomainError(_("같은 이름의 과정이 이미 있습니다: %(title)s") % {"title": title}, field="title")
    if code and others.filter(code__iexact=code).exists():
        raise DomainError(_("같은 과정 코드가 이미 있습니다: %(code)s") % {"code": code}, field="code")
    return {
        "code": code,
        "title": title,
        "provider": clean_text(str(data.get("provider") or ""), "provider", required=False, limit=MAX_TITLE),
        "hours": clean_hours(data.get("hours")),
        "mode": mode,
        "mandatory": bool(data.get("mandatory")),
        "audience": audience,
        "description": clean_text(
            str(data.get("description") or ""), "description", required=False, limit=MAX_DESCRIPTION
        ),
    }


def _plain(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def _course_changes(values: dict[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in values.items()}


def course_create(*, actor: Actor, **data: Any) -> Course:
    institution_id = actor.institution_id
    if institution_id is None:
        raise TransitionNotAllowed(_("교육을 관리할 권한이 없습니다."))
    _require_manager(actor, institution_id)
    values = _clean_course(institution_id, data)
    try:
        with transaction.atomic():
            course = Course.objects.create(institution_id=institution_id, **values)
            audit.record(actor=actor, action="training_course.created", target=course, changes=_course_changes(values))
    except IntegrityError as exc:
        raise DomainError(_("같은 이름이나 코드의 과정이 이미 있습니다."), field="title") from exc
    return course


def _lock_course(course: Course) -> Course:
    return Course.objects.select_for_update().get(pk=course.pk)


def course_update(*, actor: Actor, course: Course, **data: Any) -> Course:
    """Change a course. Completions keep the hours they were recorded with; a change of
    `mandatory` changes which completions count for compliance, every year."""
    _require_manager(actor, course.institution_id)
    values = _clean_course(course.institution_id, data, course)
    try:
        with transaction.atomic():
            current = _lock_course(course)
            before = audit.snapshot(current, COURSE_FIELDS)
            for name, value in values.items():
                setattr(current, name, value)
            changes = audit.diff(current, before, COURSE_FIELDS)
            if changes:
                current.save()
                audit.record(
                    actor=actor,
                    action="training_course.changed",
                    target=current,
                    changes={k: [_plain(v) for v in pair] for k, pair in changes.items()},
                )
    except IntegrityError as exc:
        raise DomainError(_("같은 이름이나 코드의 과정이 이미 있습니다."), field="title") from exc
    return current


def course_set_active(*, actor: Actor, course: Course, active: bool) -> Course:
    """Stop running a course (no new sessions or enrolments; its records stay) or run it again."""
    _require_manager(actor, course.institution_id)
    with transaction.atomic():
        current = _lock_course(course)
        if current.is_active == active:
            return current
        current.is_active = active
        current.save(update_fields=["is_active", "updated_at"])
        action = "training_course.reactivated" if active else "training_course.deactivated"
        audit.record(actor=actor, action=action, target=current, changes={"is_active": [not active, active]})
    return current


# --- Sessions --------------------------------------------------------------------------


def session_add(
    *,
    actor: Actor,
    course: Course,
    starts_on: datetime.date | None,
    ends_on: datetime.date | None,
    place: str = "",
    link: str = "",
    capacity: int | None = None,
) -> Session:
    _require_manager(actor, course.institution_id)
    starts = clean_date(starts_on, "starts_on")
    ends = clean_date(ends_on, "ends_on")
    if ends < starts:
        raise DomainError(_("종료일이 시작일보다 빠릅니다."), field="ends_on")
    place = clean_text(place, "place", required=False, limit=MAX_TITLE)
    link = clean_text(link, "link", required=False, limit=MAX_LINK)
    if link and not link.startswith(("https://", "http://")):
        raise DomainError(_("온라인 주소는 http:// 또는 https://로 시작해야 합니다."), field="link")
    if not place and not link:
        raise DomainError(_("장소나 온라인 주소를 입력해 주십시오."), field="place")
    if capacity is not None and (isinstance(capacity, bool) or not 1 <= int(capacity) <= MAX_CAPACITY):
        raise DomainError(_("정원은 1명 이상으로 입력해 주십시오(비워 두면 제한 없음)."), field="capacity")
    with transaction.atomic():
        course = _lock_course(course)
        if not course.is_active:
            raise DomainError(_("운영하지 않는 과정에는 일정을 추가할 수 없습니다."))
        session = Session.objects.create(
            course=course,
            institution_id=course.institution_id,
            starts_on=starts,
            ends_on=ends,
            place=place,
            link=link,
            capacity=capacity,
        )
        audit.record(
            actor=actor,
            action="training_session.added",
            target=session,
            changes={
                "course": course.pk,
                "starts_on": starts.isoformat(),
                "ends_on": ends.isoformat(),
                "place": place,
                "link": link,
                "capacity": capacity,
            },
        )
    return session


def _lock_session(session: Session) -> Session:
    return Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session.pk)


# --- Enrolments ------------------------------------------------------------------------


def enrol(*, actor: Actor, session: Session, people: Sequence[Person]) -> list[Enrolment]:
    """Enrol one or many people in a session. Refused as a whole when anyone is of another
    institution, retired or already enrolled, or when the session would be over capacity;
    a cancelled enrolment is enrolled again. One audit entry on the session names them."""
    _require_manager(actor, session.institution_id)
    unique = list({p.pk: p for p in people}.values())
    if not unique:
        raise DomainError(_("수강 신청할 직원을 한 명 이상 입력해 주십시오."), field="people")
    strangers = [p for p in unique if p.institution_id != session.institution_id]
    if strangers:
        raise DomainError(_("이 기관의 직원이 아닙니다."), field="people")
    retired = [p for p in unique if p.status == Person.Status.RETIRED]
    if retired:
        raise DomainError(_("퇴직한 직원은 수강 신청할 수 없습니다: %(who)s") % {"who": names(retired)}, field="people")
    try:
        with transaction.atomic():
            current = _lock_session(session)
            if not current.course.is_active:
                raise DomainError(_("운영하지 않는 과정에는 수강 신청할 수 없습니다."))
            existing = {e.person_id: e for e in Enrolment.objects.filter(session=current, person__in=unique)}
            taken = [p for p in unique if p.pk in existing and existing[p.pk].status != E.CANCELLED]
            if taken:
                raise DomainError(_("이미 수강 신청한 직원입니다: %(who)s") % {"who": names(taken)}, field="people")
            if current.capacity is not None:
                active = current.enrolments.exclude(status=E.CANCELLED).count()
                if active + len(unique) > current.capacity:
                    raise DomainError(
                        _("정원(%(capacity)d명)을 넘습니다. 남은 자리는 %(left)d명입니다.")
                        % {"capacity": current.capacity, "left": max(current.capacity - active, 0)},
                        field="people",
                    )
            roles = roles_for(actor, current.institution_id)
            again = [existing[p.pk] for p in unique if p.pk in existing]
            for enrolment in again:
                enrolment.enrolled_by = actor.user
                ENROLMENT.apply(enrolment, "reenrol", actor=actor, roles=roles, update_fields=["enrolled_by"])
            created = Enrolment.objects.bulk_create(
                [
                    Enrolment(session=current, person=p, institution_id=current.institution_id, enrolled_by=actor.user)
                    for p in unique
                    if p.pk not in existing
                ]
            )
            audit.record(
                actor=actor,
                action="training_session.enrolled",
                target=current,
                changes={"count": len(unique), "employee_numbers": numbers(unique)},
            )
    except IntegrityError as exc:
        raise DomainError(_("그사이 같은 직원이 수강 신청되었습니다. 다시 시도해 주십시오."), field="people") from exc
    return [*again, *created]


def _lock_enrolment(enrolment: Enrolment) -> Enrolment:
    return (
        Enrolment.objects.select_for_update(of=("self",))
        .select_related("session__course", "person")
        .get(pk=enrolment.pk)
    )


def enrolment_cancel(*, actor: Actor, enrolment: Enrolment, reason: str = "") -> Enrolment:
    reason = clean_text(reason, "reason", required=False, limit=MAX_REASON)
    with transaction.atomic():
        current = _lock_enrolment(enrolment)
        ENROLMENT.apply(current, "cancel", actor=actor, roles=roles_for(actor, current.institution_id), reason=reason)
    return current


def record_attendance(
    *,
    actor: Actor,
    session: Session,
    enrolment_ids: Iterable[int] | None,
    hours: Any = None,
    today: datetime.date | None = None,
) -> list[Completion]:
    """The session's attendance: the chosen enrolments (None: every one still enrolled) are
    completed, each with a Completion dated the session's last day (hours: the course's
    unless given). Those already completed or cancelled meanwhile are left as they are; an
    existing completion of the same person, course and day (an import) is linked, not doubled.
    One audit entry on the session lists them."""
    _require_manager(actor, session.institution_id)
    today = today or timezone.localdate()
    with transaction.atomic():
        current = _lock_session(session)
        if current.ends_on > today:
            raise DomainError(_("교육이 끝난 뒤에 이수를 기록할 수 있습니다."))
        value = clean_hours(hours) if hours not in (None, "") else current.course.hours
        rows = Enrolment.objects.select_for_update(of=("self",)).select_related("person").filter(session=current)
        if enrolment_ids is not None:
            wanted = {int(i) for i in enrolment_ids}
            if not wanted:
                raise DomainError(_("이수 처리할 수강생을 선택해 주십시오."), field="enrolments")
            rows = rows.filter(pk__in=wanted)
            found = list(rows)
            if {e.pk for e in found} != wanted:
                raise DomainError(_("이 일정의 수강생이 아닌 항목이 있습니다."), field="enrolments")
        else:
            found = list(rows.filter(status=E.ENROLLED))
        todo = [e for e in found if e.status == E.ENROLLED]
        if not todo:
            raise DomainError(_("이수 처리할 수강생이 없습니다."), field="enrolments")
        retired = [e.person for e in todo if e.person.status == Person.Status.RETIRED]
        if retired:
            raise DomainError(
                _("퇴직한 직원은 이수 처리할 수 없습니다: %(who)s") % {"who": names(retired)}, field="enrolments"
            )
        roles = roles_for(actor, current.institution_id)
        for enrolment in todo:
            ENROLMENT.check(enrolment, "complete", roles)
        completions = _complete(actor, current, todo, value)
        Enrolment.objects.filter(pk__in=[e.pk for e in todo]).update(status=E.COMPLETED, updated_at=timezone.now())
        audit.record(
            actor=actor,
            action="training_session.attendance",
            target=current,
            changes={
                "count": len(todo),
                "employee_numbers": numbers(e.person for e in todo),
                "completed_on": current.ends_on.isoformat(),
                "hours": str(value),
            },
        )
    return completions


def _complete(actor: Actor, session: Session, todo: list[Enrolment], hours: Decimal) -> list[Completion]:
    """The completions of the enrolments: an existing record of the same day is linked."""
    existing = {
        c.person_id: c
        for c in Completion.objects.select_for_update().filter(
            course_id=session.course_id, completed_on=session.ends_on, person__in=[e.person_id for e in todo]
        )
    }
    linked: list[Completion] = []
    fresh: list[Completion] = []
    for enrolment in todo:
        found = existing.get(enrolment.person_id)
        if found is not None and found.enrolment_id is None:
            found.enrolment = enrolment
            linked.append(found)
        elif found is None:
            fresh.append(
                Completion(
                    institution_id=session.institution_id,
                    person_id=enrolment.person_id,
                    course_id=session.course_id,
                    completed_on=session.ends_on,
                    hours=hours,
                    source=Completion.Source.ENROLMENT,
                    enrolment=enrolment,
                    recorded_by=actor.user,
                )
            )
    if linked:
        Completion.objects.bulk_update(linked, ["enrolment"])
    return [*linked, *Completion.objects.bulk_create(fresh)]


# --- Completions -----------------------------------------------------------------------


def completion_record(
    *,
    actor: Actor,
    person: Person,
    course: Course,
    completed_on: datetime.date | None,
    hours: Any = None,
    note: str = "",
    today: datetime.date | None = None,
) -> Completion:
    """Record by hand that a person completed a course (hours: the course's unless given)."""
    if actor.institution_id is None:
        raise TransitionNotAllowed(_("교육을 관리할 권한이 없습니다."))
    _require_manager(actor, actor.institution_id)
    _check_person(actor, person)
    if course.institution_id != actor.institution_id:
        raise DomainError(_("이 기관의 교육 과정을 선택해 주십시오."), field="course")
    day = clean_date(completed_on, "completed_on")
    if day > (today or timezone.localdate()):
        raise DomainError(_("이수일은 오늘이나 그 이전이어야 합니다."), field="completed_on")
    value = clean_hours(hours) if hours not in (None, "") else course.hours
    note = clean_text(note, "note", required=False, limit=MAX_NOTE)
    duplicate = DomainError(
        _("이미 기록된 이수입니다: %(who)s, %(course)s, %(day)s")
        % {"who": names([person]), "course": course.title, "day": day.isoformat()},
        field="completed_on",
    )
    if Completion.objects.filter(person=person, course=course, completed_on=day).exists():
        raise duplicate
    try:
        with transaction.atomic():
            completion = Completion.objects.create(
                institution_id=actor.institution_id,
                person=person,
                course=course,
                completed_on=day,
                hours=value,
                source=Completion.Source.MANUAL,
                note=note,
                recorded_by=actor.user,
            )
            audit.record(
                actor=actor,
                action="training_completion.recorded",
                target=completion,
                changes={
                    "person": person.pk,
                    "course": course.pk,
                    "completed_on": day.isoformat(),
                    "hours": str(value),
                },
            )
    except IntegrityError as exc:
        raise duplicate from exc
    return completion


def completion_remove(*, actor: Actor, completion: Completion, reason: str) -> None:
    """Remove a completion recorded in error (a reason is required); its enrolment, if any,
    goes back to enrolled."""
    _require_manager(actor, completion.institution_id)
    reason = clean_text(reason, "reason", limit=MAX_REASON)
    with transaction.atomic():
        current = (
            Completion.objects.select_for_update(of=("self",)).select_related("person", "course").get(pk=completion.pk)
        )
        if current.enrolment_id is not None:
            enrolment = _lock_enrolment(Enrolment(pk=current.enrolment_id))
            ENROLMENT.apply(
                enrolment, "uncomplete", actor=actor, roles=roles_for(actor, enrolment.institution_id), reason=reason
            )
        audit.record(
            actor=actor,
            action="training_completion.removed",
            target=current,
            changes={
                "person": current.person_id,
                "course": current.course_id,
                "completed_on": current.completed_on.isoformat(),
                "hours": str(current.hours),
                "source": current.source,
            },
            reason=reason,
        )
        current.delete()
