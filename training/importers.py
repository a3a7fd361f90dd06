"""Bulk import of training completions (kind "training_completions") through the shared
importer (core/importer.py; ADR 0003, ADR 0023).

A row names a person by employee number, a course by its code or its title (either, any
case), the completion date and optionally the hours (the course's when empty). Rejected
with a clear message: an unknown employee number or course, a retired person, a date in the
future, hours that are not a positive number with at most one decimal place, and a
completion already recorded (same person, course and date) or given twice in the file, so a
re-import never duplicates anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import DomainError
from core.import_parsers import CellError, Date, Parser, Reference, Text
from core.importer import ColumnSpec, ImportContext, ImportSpec, RowErrors
from institutions.models import Person
from training.models import Completion, Course
from training.rules import MANAGER_ROLES, MIN_YEAR, clean_hours

KIND = "training_completions"


@dataclass(frozen=True)
class RetiredPerson:
    """An employee number of a retired person: resolved, then refused by `_validate`."""

    pk: int
    label: str


class Hours(Parser):
    """Hours: a positive number with at most one decimal place (1, 1.5, 3.0)."""

    def __call__(self, value: str) -> Decimal:
        try:
            return clean_hours(value)
        except DomainError as exc:
            raise CellError(exc.message) from exc

    def describe(self) -> str:
        return _("숫자, 소수점 아래 한 자리까지 (예: 1, 1.5). 비우면 과정의 교육 시간")


def _existing(context: ImportContext) -> set[tuple[int, int, Any]]:
    found: set[tuple[int, int, Any]] = context.state.setdefault("existing", set())
    return found


def _resolve_people(context: ImportContext, keys: set[str]) -> dict[str, Any]:
    """Employee numbers of the institution's people (retired ones marked); the completions
    already recorded for them are remembered for `_validate` (one more query per batch)."""
    rows = Person.objects.filter(institution_id=context.institution_id, employee_number__in=keys).values_list(
        "employee_number", "pk", "status", "name"
    )
    found: dict[str, Any] = {}
    for number, pk, status, name in rows:
        found[number] = RetiredPerson(pk, f"{name}({number})") if status == Person.Status.RETIRED else pk
    ids = [v for v in found.values() if isinstance(v, int)]
    if ids:
        _existing(context).update(
            Completion.objects.filter(person_id__in=ids).values_list("person_id", "course_id", "completed_on")
        )
    return found


def _resolve_courses(context: ImportContext, keys: set[str]) -> dict[str, Any]:
    """Courses by code or title, without case (a code wins over another course's title); the
    courses' hours are remembered for `_build`."""
    wanted: dict[str, list[str]] = {}
    for key in keys:
        wanted.setdefault(key.upper(), []).append(key)
    courses = (
        Course.objects.filter(institution_id=context.institution_id)
        .annotate(_code=Upper("code"), _title=Upper("title"))
        .filter(Q(_code__in=wanted) | Q(_title__in=wanted))
        .values_list("pk", "_code", "_title", "hours")
    )
    hours: dict[int, Decimal] = context.state.setdefault("course_hours", {})
    by_code: dict[str, int] = {}
    by_title: dict[str, int] = {}
    for pk, code, title, value in courses:
        hours[pk] = value
        if code:
            by_code[code] = pk
        by_title[title] = pk
    found: dict[str, Any] = {}
    for upper, spellings in wanted.items():
        match = by_code.get(upper) or by_title.get(upper)
        if match is not None:
            found.update(dict.fromkeys(spellings, match))
    return found


def _validate(values: dict[str, Any], context: ImportContext) -> RowErrors:
    person, course, day = values.get("person"), values.get("course"), values.get("completed_on")
    if isinstance(person, RetiredPerson):
        return [("person", _("퇴직한 직원의 이수 기록은 가져올 수 없습니다: %(who)s") % {"who": person.label})]
    if day is None:
        return []
    if day > timezone.localdate():
        return [("completed_on", _("이수일이 오늘보다 늦습니다: %(day)s") % {"day": day.isoformat()})]
    if day.year < MIN_YEAR:
        return [("completed_on", _("%(year)d년 이후의 이수일을 적어 주십시오.") % {"year": MIN_YEAR})]
    key = (person, course, day)
    if key in _existing(context):
        return [("", _("이미 기록된 이수입니다(같은 직원, 과정, 이수일)."))]
    seen: set[tuple[Any, Any, Any]] = context.state.setdefault("seen", set())
    if key in seen:
        return [("", _("파일의 앞 행과 같은 이수입니다(같은 직원, 과정, 이수일)."))]
    seen.add(key)
    return []


def _build(values: dict[str, Any], context: ImportContext) -> Completion:
    course_hours: dict[int, Decimal] = context.state.get("course_hours", {})
    return Completion(
        institution_id=context.institution_id,
        person_id=values["person"],
        course_id=values["course"],
        completed_on=values["completed_on"],
        hours=values["hours"] or course_hours[values["course"]],
        source=Completion.Source.IMPORTED,
        note=values["note"],
        recorded_by=context.actor.user,
    )


COLUMNS = [
    ColumnSpec(
        "person",
        ["직원번호", "Employee number", "사번"],
        Reference(
            _resolve_people,
            missing=gettext_lazy("이 기관에 없는 직원번호입니다: %(value)s"),
            max_length=30,
            description=gettext_lazy("이수한 직원의 직원번호"),
        ),
        required=True,
    ),
    ColumnSpec(
        "course",
        ["교육 과정", "Course", "과정", "과정명", "과정 코드", "Course code", "Course title"],
        Reference(
            _resolve_courses,
            missing=gettext_lazy("이 기관에 없는 교육 과정입니다(과정 코드나 과정명을 적어 주십시오): %(value)s"),
            max_length=200,
            description=gettext_lazy("과정 코드나 과정명 (대소문자 구분 없음)"),
        ),
        required=True,
    ),
    ColumnSpec("completed_on", ["이수일", "Completed on", "수료일"], Date(), required=True),
    ColumnSpec("hours", ["이수 시간", "Hours", "교육 시간"], Hours()),
    ColumnSpec("note", ["비고", "Note"], Text(200)),
]

SPEC = ImportSpec(
    kind=KIND,
    label=gettext_lazy("교육 이수 기록"),
    columns=COLUMNS,
    model=Completion,
    key_fields=["person", "course", "completed_on"],
    build=_build,
    validate=_validate,
    roles=frozenset(MANAGER_ROLES),
    list_url=lambda actor: reverse("training:completions"),
    description=gettext_lazy(
        "교육 이수 기록을 한꺼번에 등록합니다. 직원은 직원번호로, 과정은 과정 코드나 과정명으로 적습니다. "
        "이미 기록된 이수(같은 직원, 과정, 이수일)는 다시 저장하지 않으므로 같은 파일을 다시 올려도 중복되지 않습니다."
    ),
)
