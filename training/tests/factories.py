"""Training records for tests, made through training.services (audit trail and rules
included). The cast's district (새솔구) is the institution; the HR officer manages.

    manager(cast)                                     -> the HR officer's Actor
    course(cast, title=..., mandatory=..., ...)        -> a Course
    session(cast, course, starts_on=..., ends_on=...)  -> a Session
    person(cast, unit=..., **fields)                   -> a Person of the district
    complete(cast, person, course, day, hours=None)    -> a Completion recorded by hand
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from core.access import Actor, actor_for
from institutions.models import Person, Unit
from tests.cast import Cast
from tests.factories import PersonFactory
from training import services
from training.models import Completion, Course, Session


def manager(cast: Cast, name: str = "hr_officer") -> Actor:
    return actor_for(cast.users[name])


def course(
    cast: Cast,
    *,
    title: str = "적극행정 이해와 실천",
    code: str = "",
    hours: str = "1",
    mandatory: bool = True,
    audience: str = Course.Audience.ALL,
    mode: str = Course.Mode.ONLINE,
    who: str = "hr_officer",
) -> Course:
    return services.course_create(
        actor=manager(cast, who),
        title=title,
        code=code,
        provider="인재개발원",
        hours=Decimal(hours),
        mode=mode,
        mandatory=mandatory,
        audience=audience,
        description="",
    )


def session(
    cast: Cast,
    c: Course,
    *,
    starts_on: datetime.date = datetime.date(2026, 6, 1),
    ends_on: datetime.date | None = None,
    place: str = "대회의실",
    capacity: int | None = None,
    who: str = "hr_officer",
) -> Session:
    return services.session_add(
        actor=manager(cast, who),
        course=c,
        starts_on=starts_on,
        ends_on=ends_on or starts_on,
        place=place,
        capacity=capacity,
    )


def person(cast: Cast, unit: Unit | None = None, **fields: Any) -> Person:
    return PersonFactory(institution=cast.district, unit=unit or cast.building, **fields)


def complete(cast: Cast, who: Person, c: Course, day: datetime.date, hours: str | None = None) -> Completion:
    return services.completion_record(actor=manager(cast), person=who, course=c, completed_on=day, hours=hours)


def person_of(cast: Cast, name: str) -> Person:
    person = cast.users[name].person
    assert person is not None
    return person
