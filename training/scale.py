"""seed_scale: active administration training of the SCALE- institutions
(institutions/scale_kit.py).

Per institution: the mandatory online course for all staff and the basic courses for new
and newly promoted officials (classroom), with their sessions of the last three years and
the next months; the classroom sessions have their enrolments (past ones completed, with
their completion; coming ones enrolled). The mandatory course's completions cover every
person, as a completion import would: about nine in ten active people complete it each
year (this year only those whose day has come), so compliance has realistic figures at
any size. Completions are inserted as plain rows (institutions.scale.Rows): at full size
they are a few million.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Max

from institutions import scale
from institutions.models import Person
from institutions.scale_kit import (
    Dice,
    at,
    bulk,
    days_before,
    institution_chunk,
    institution_ids,
    salt,
    seed,
    staff,
    today,
    user,
)
from training.models import Completion, Course, Enrolment, Session

SALT = salt("training")
YEARS = 3
#: a note on every completion seed_scale makes (how a later run finds where it stopped)
NOTE = "seed_scale"
ANNUAL_RATE = 0.92
CLASS_SIZE = 12
COURSES = (
    # code, title, hours, mode, mandatory, audience
    ("SCALE-AA", "적극행정 기본교육(온라인)", Decimal("1.0"), Course.Mode.ONLINE, True, Course.Audience.ALL),
    (
        "SCALE-NEW",
        "신규 공무원 적극행정 과정",
        Decimal("3.0"),
        Course.Mode.CLASSROOM,
        False,
        Course.Audience.NEW_OFFICIALS,
    ),
    (
        "SCALE-PRO",
        "승진자 적극행정 리더십 과정",
        Decimal("4.0"),
        Course.Mode.CLASSROOM,
        False,
        Course.Audience.PROMOTED,
    ),
)


@dataclass
class CourseSpec:
    course: Course
    sessions: list[tuple[Session, list[int]]] = field(default_factory=list)


def years(ctx: scale.Context) -> list[int]:
    now = today(ctx).year
    return list(range(now - YEARS + 1, now + 1))


def build_courses(ctx: scale.Context, inst: int) -> list[CourseSpec]:
    since = days_before(ctx, 3 * 365 + 60)
    people = [pk for pk, _ in staff(ctx).get(inst, [])]
    specs: list[CourseSpec] = []
    for code, title, hours, mode, mandatory, audience in COURSES:
        course = Course(
            institution_id=inst,
            code=code,
            title=title,
            provider="인사혁신처 인재개발원" if mode == Course.Mode.ONLINE else "기관 자체",
            hours=hours,
            mode=mode,
            mandatory=mandatory,
            audience=audience,
            description="적극행정의 제도와 사례를 배우는 과정입니다.",
            created_at=at(since),
            updated_at=at(since),
        )
        spec = CourseSpec(course)
        for year in [*years(ctx), today(ctx).year + 1]:
            dice = Dice(SALT, inst, year, len(specs))
            if mode == Course.Mode.ONLINE:
                runs = [(datetime.date(year, 3, 1), datetime.date(year, 11, 30))]
            else:
                runs = [(datetime.date(year, m, d), datetime.date(year, m, d + 1)) for m, d in ((4, 14), (10, 13))]
            for starts, ends in runs:
                if starts > today(ctx) + datetime.timedelta(days=120):
                    continue
                session = Session(
                    institution_id=inst,
                    starts_on=starts,
                    ends_on=ends,
                    place="" if mode == Course.Mode.ONLINE else "교육장 2층",
                    link="https://e-learning.example.go.kr/aa" if mode == Course.Mode.ONLINE else "",
                    capacity=None if mode == Course.Mode.ONLINE else 40,
                    created_at=at(starts - datetime.timedelta(days=45)),
                    updated_at=at(starts - datetime.timedelta(days=45)),
                )
                enrolled = dice.sample(people, CLASS_SIZE) if mode == Course.Mode.CLASSROOM else []
                spec.sessions.append((session, enrolled))
        specs.append(spec)
    return specs


def save_courses(ctx: scale.Context, chunks: list[list[CourseSpec]]) -> int:
    specs = [s for chunk in chunks for s in chunk]
    bulk(ctx, [s.course for s in specs])
    for s in specs:
        for session, _ in s.sessions:
            session.course_id = s.course.pk
    bulk(ctx, [session for s in specs for session, _ in s.sessions])
    enrolments: list[tuple[Enrolment, Session, Course]] = []
    for s in specs:
        for session, people in s.sessions:
            done = session.ends_on < today(ctx)
            for person in people:
                enrolment = Enrolment(
                    session_id=session.pk,
                    person_id=person,
                    institution_id=session.institution_id,
                    status=Enrolment.Status.COMPLETED if done else Enrolment.Status.ENROLLED,
                    enrolled_by_id=user(ctx, session.institution_id, "hr"),
                    created_at=session.created_at,
                    updated_at=at(session.ends_on, 18) if done else session.created_at,
                )
                enrolments.append((enrolment, session, s.course))
    bulk(ctx, [e for e, _, _ in enrolments])
    bulk(
        ctx,
        [
            Completion(
                institution_id=e.institution_id,
                person_id=e.person_id,
                course_id=course.pk,
                completed_on=session.ends_on,
                hours=course.hours,
                source=Completion.Source.ENROLMENT,
                enrolment_id=e.pk,
                recorded_by_id=e.enrolled_by_id,
                created_at=e.updated_at,
                updated_at=e.updated_at,
            )
            for e, session, course in enrolments
            if e.status == Enrolment.Status.COMPLETED
        ],
    )
    return len(chunks)


def step_courses(ctx: scale.Context) -> int:
    have = set(
        Course.objects.filter(institution_id__in=institution_ids(ctx), code__startswith=scale.PREFIX).values_list(
            "institution_id", flat=True
        )
    )
    work = [(pk, 0, 1) for pk in institution_ids(ctx) if pk not in have]
    seed(
        ctx,
        "training courses (institutions)",
        work,
        lambda inst, _k: build_courses(ctx, inst),
        lambda c: save_courses(ctx, c),
        per_chunk=institution_chunk(ctx),
    )
    return len(work) * len(COURSES)


# --- The mandatory course's completions, for every person --------------------------------


def step_completions(ctx: scale.Context) -> int:
    """Completions of the mandatory course for the people after each institution's last one
    done (employee numbers grow with each run, so a second run finds nothing to do)."""
    ids = institution_ids(ctx)
    courses = dict(
        Course.objects.filter(institution_id__in=ids, code=COURSES[0][0]).values_list("institution_id", "pk")
    )
    done = dict(
        Completion.objects.filter(institution_id__in=ids, note=NOTE)
        .values("institution_id")
        .annotate(last=Max("person__employee_number"))
        .values_list("institution_id", "last")
        .order_by()
    )
    hours = connection.ops.adapt_decimalfield_value(COURSES[0][2], 5, 1)
    table = scale.Rows(
        Completion,
        ["institution", "person", "course", "completed_on", "hours", "source", "note", "created_at", "updated_at"],
    )
    imported = Completion.Source.IMPORTED.value
    now = today(ctx)
    wanted = years(ctx)

    @functools.cache
    def adapted(day: datetime.date) -> tuple[Any, Any]:
        return connection.ops.adapt_datefield_value(day), connection.ops.adapt_datetimefield_value(at(day, 18))

    def rows() -> Iterator[tuple[Any, ...]]:
        for inst, course in courses.items():
            people = Person.objects.filter(
                institution_id=inst, status=Person.Status.ACTIVE, employee_number__gt=done.get(inst, "")
            ).values_list("pk", flat=True)
            yield from _completions(inst, course, list(people))

    def _completions(inst: int, course: int, people: list[int]) -> Iterator[tuple[Any, ...]]:
        for pk in people:
            for year in wanted:
                dice = Dice(SALT, pk, year)
                day = datetime.date(year, 3, 1) + datetime.timedelta(days=dice.number(0, 270))
                if dice.chance(ANNUAL_RATE) and day <= now:
                    on, stamp = adapted(day)
                    yield (inst, pk, course, on, hours, imported, NOTE, stamp, stamp)

    total = sum(ctx.shares(ctx.people)) * len(wanted)  # an estimate for the progress lines
    return scale._insert(ctx, table, "training completions", rows(), total)


def step(ctx: scale.Context) -> int:
    return step_courses(ctx) + step_completions(ctx)


scale.add_step(scale.Step("training", step))
