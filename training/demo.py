"""Demo of training in 새솔구 (institutions/demo.py step "training"), all through the services:
five courses (a mandatory online course for all staff, a mandatory workshop, the basic courses
of new and of newly promoted officials, an optional talk), past and coming sessions with
enrolments and recorded attendance, and this year's completions of the online course for
part of the staff, so that compliance lands between 60 and 80 % and varies by unit. Five
new officials and three newly promoted officials are added to the staff (through the
people service); two of the new officials have completed their basic course, the others
are flagged. A second run finds the courses and creates nothing."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.access import Actor, actor_for
from institutions import services as institution_services
from institutions.models import Institution, Person, Unit
from training import services
from training.models import Course, Session

#: (code, title, provider, hours, mode, mandatory, audience)
COURSES = [
    ("AA-ALL", "적극행정 이해와 실천", "인사혁신처 인재개발플랫폼", "2", "online", True, "all"),
    ("AA-WS", "적극행정 사례 워크숍", "새솔구 총무과", "3", "classroom", True, "all"),
    ("AA-NEW", "신규 공무원 적극행정 기본과정", "한빛광역시 인재개발원", "4", "classroom", True, "new_officials"),
    ("AA-PRO", "승진자 적극행정 리더십 과정", "한빛광역시 인재개발원", "4", "classroom", True, "promoted"),
    ("AA-TALK", "적극행정 우수사례 특강", "새솔구 감사담당관", "1.5", "classroom", False, "all"),
]
#: new officials: (number, name, unit code, days since joining, completed the basic course)
NEW_OFFICIALS = [
    ("S-0901", "김새봄", "BLD", 95, True),
    ("S-0902", "이하람", "WEL", 80, True),
    ("S-0903", "박누리", "CIV", 60, False),
    ("S-0904", "최다온", "ENV", 45, False),
    ("S-0905", "정가람", "GEN", 20, False),
]
#: newly promoted officials: (number, name, unit code, days since the promotion)
PROMOTED = [
    ("S-0911", "한결", "TRF", 70),
    ("S-0912", "윤슬기", "JOB", 50),
    ("S-0913", "서보람", "UPL", 30),
]
#: the share of each unit's staff who completed the online course this year
UNIT_RATES = {"AUD": 0.92, "GEN": 0.85, "BUD": 0.78, "BLD": 0.7, "UPL": 0.66, "CIV": 0.62, "WEL": 0.58, "JOB": 0.55}
DEFAULT_RATE = 0.5
WORKSHOP_SIZE = 40


def _actor(username: str, institution: Institution) -> Actor | None:
    user = User.objects.filter(username=username, institution=institution).select_related("person").first()
    return actor_for(user) if user is not None else None


def seed() -> int:
    institution = Institution.objects.filter(code="SAESOL").first()
    if institution is None or Course.objects.filter(institution=institution, code=COURSES[0][0]).exists():
        return 0
    hr = _actor("hr", institution)
    admin = _actor("admin", institution)
    if hr is None or admin is None:
        return 0
    units = {u.code: u for u in Unit.objects.filter(institution=institution)}
    if any(code not in units for code in UNIT_RATES):
        return 0
    with transaction.atomic():
        return _build(institution, hr=hr, admin=admin, units=units, today=timezone.localdate())


def _build(institution: Institution, *, hr: Actor, admin: Actor, units: dict[str, Unit], today: datetime.date) -> int:
    rng = random.Random(20260613)  # noqa: S311 - reproducible demo data
    first = datetime.date(today.year, 1, 1)

    def back(days: int) -> datetime.date:
        """A day `days` before today, but in this year."""
        return max(first, today - datetime.timedelta(days=days))

    courses = {
        code: services.course_create(
            actor=hr,
            code=code,
            title=title,
            provider=provider,
            hours=Decimal(hours),
            mode=mode,
            mandatory=mandatory,
            audience=audience,
            description="",
        )
        for code, title, provider, hours, mode, mandatory, audience in COURSES
    }
    created = len(courses)
    # Basic courses are recorded from four months ago: the newcomers below (joined or promoted
    # 20 to 95 days ago) are flagged, the long-serving staff are not (ADR 0023).
    institution_services.policy_update(
        actor=admin, institution=institution, values={"training_flags_from": today - datetime.timedelta(days=120)}
    )
    newcomers = _newcomers(institution, admin, units, today)
    created += len(newcomers)

    staff = list(
        Person.objects.filter(institution=institution, status=Person.Status.ACTIVE)
        .exclude(pk__in=[p.pk for p in newcomers])
        .select_related("unit")
        .order_by("employee_number")
    )
    # The online course, open all year; completions recorded one by one as the platform reports them.
    online = services.session_add(
        actor=hr,
        course=courses["AA-ALL"],
        starts_on=first,
        ends_on=datetime.date(today.year, 12, 31),
        link="https://www.example.go.kr/learning/aa-all",
    )
    created += 1
    span = max((today - first).days, 0)
    done: set[int] = set()
    for person in staff:
        rate = UNIT_RATES.get(person.unit.code if person.unit else "", DEFAULT_RATE)
        if rng.random() < rate:
            day = first + datetime.timedelta(days=rng.randint(0, span))
            services.completion_record(
                actor=hr, person=person, course=online.course, completed_on=day, today=today, note="플랫폼 이수 보고"
            )
            done.add(person.pk)
            created += 1

    # A workshop held a week ago (attendance recorded; a few did not come) and one to come.
    workshop = _session(hr, courses["AA-WS"], back(7), "새솔구청 대회의실", capacity=60)
    attendees = rng.sample(staff, min(WORKSHOP_SIZE, len(staff)))
    enrolments = services.enrol(actor=hr, session=workshop, people=attendees)
    present = [e.pk for e in enrolments[: len(enrolments) - 4]]
    created += (
        1
        + len(enrolments)
        + len(services.record_attendance(actor=hr, session=workshop, enrolment_ids=present, today=today))
    )
    coming = _session(hr, courses["AA-WS"], today + datetime.timedelta(days=30), "새솔구청 대회의실", capacity=60)
    created += 1 + len(services.enrol(actor=hr, session=coming, people=[p for p in staff if p.pk not in done][:12]))

    # The basic course of new officials: two have completed it, three are enrolled in the next one.
    new_people = {p.employee_number: p for p in newcomers}
    basic = _session(hr, courses["AA-NEW"], back(10), "한빛광역시 인재개발원 3강의실")
    finished = [new_people[n] for n, *_rest, completed in NEW_OFFICIALS if completed]
    created += 1 + len(services.enrol(actor=hr, session=basic, people=finished))
    created += len(services.record_attendance(actor=hr, session=basic, enrolment_ids=None, today=today))
    basic_next = _session(hr, courses["AA-NEW"], today + datetime.timedelta(days=21), "한빛광역시 인재개발원 3강의실")
    waiting = [new_people[n] for n, *_rest, completed in NEW_OFFICIALS if not completed]
    created += 1 + len(services.enrol(actor=hr, session=basic_next, people=waiting[:2]))

    # The newly promoted officials' course is still to come.
    leadership = _session(hr, courses["AA-PRO"], today + datetime.timedelta(days=14), "한빛광역시 인재개발원 대강당")
    created += 1 + len(services.enrol(actor=hr, session=leadership, people=[new_people[n] for n, *_ in PROMOTED]))

    # An optional talk (not counted for compliance).
    talk = _session(hr, courses["AA-TALK"], back(20), "새솔구청 소회의실", capacity=30)
    listeners = services.enrol(actor=hr, session=talk, people=rng.sample(staff, min(20, len(staff))))
    created += 1 + len(listeners)
    created += len(services.record_attendance(actor=hr, session=talk, enrolment_ids=None, today=today))
    return created


def _session(hr: Actor, course: Course, day: datetime.date, place: str, *, capacity: int | None = None) -> Session:
    return services.session_add(actor=hr, course=course, starts_on=day, ends_on=day, place=place, capacity=capacity)


def _newcomers(institution: Institution, admin: Actor, units: dict[str, Unit], today: datetime.date) -> list[Person]:
    """The new and the newly promoted officials (made once; found again on a later run)."""
    people: list[Person] = []
    wanted: list[tuple[str, str, str, datetime.date, datetime.date | None]] = [
        (n, name, unit, today - datetime.timedelta(days=d), None) for n, name, unit, d, _c in NEW_OFFICIALS
    ]
    wanted += [
        (n, name, unit, datetime.date(2012, 3, 2), today - datetime.timedelta(days=d)) for n, name, unit, d in PROMOTED
    ]
    existing = {
        p.employee_number: p
        for p in Person.objects.filter(institution=institution, employee_number__in=[w[0] for w in wanted])
    }
    for number, name, unit, joined, promoted in wanted:
        person = existing.get(number)
        if person is None:
            person = institution_services.person_create(
                actor=admin,
                institution=institution,
                employee_number=number,
                name=name,
                unit=units[unit],
                grade="지방행정서기(8급)" if promoted is None else "지방행정주사(6급)",
                position="주무관",
                joined_on=joined,
                promoted_on=promoted,
            )
        people.append(person)
    return people
