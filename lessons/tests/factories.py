"""Helpers for lesson tests: a closed disciplinary report of the cast's district, and a
lesson made from it through the services."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from core.access import actor_for
from institutions.models import Person
from lessons import services
from lessons.models import Lesson
from reports import services as report_services
from reports.models import Report
from reports.tests.factories import submit

CLEAN: dict[str, Any] = {
    "title": "민원 서류 접수를 미룬 업무해태 사례",
    "kind": Report.Kind.NEGLECT,
    "year": 2026,
    "what_happened": "민원인이 세 차례 방문했으나 담당 공무원이 서류를 받지 않았습니다.",
    "what_went_wrong": "접수를 미룬 것은 정당한 이유 없는 업무해태입니다.",
    "measures": "관련 공무원 경징계 요구",
    "lessons_learned": "접수는 미루지 않고, 부서장은 처리기한을 주마다 확인합니다.",
}


def disciplinary_report(
    institution: Any,
    auditor: User,
    officials: list[Person],
    *,
    outcome: str = Report.Outcome.DISCIPLINARY,
    close: bool = True,
    **kwargs: Any,
) -> Report:
    report, _code = submit(institution, **kwargs)
    actor = actor_for(auditor)
    report = report_services.investigate(actor=actor, report=report)
    if not close:
        return report
    return report_services.close(
        actor=actor,
        report=report,
        outcome=outcome,
        result_text="조사 결과 사실로 확인되었습니다.",
        disciplinary_demand="경징계 요구" if outcome == Report.Outcome.DISCIPLINARY else "",
        officials=officials,
    )


def start(report: Report, author: User) -> Lesson:
    return services.lesson_start(actor=actor_for(author), report=report)


def write(lesson: Lesson, author: User, **values: Any) -> Lesson:
    return services.lesson_update(actor=actor_for(author), lesson=lesson, **{**CLEAN, **values})


def in_review(report: Report, author: User, **values: Any) -> Lesson:
    lesson = write(start(report, author), author, **values)
    return services.lesson_submit(actor=actor_for(author), lesson=lesson)


def published(report: Report, author: User, reviewer: User, **values: Any) -> Lesson:
    lesson = in_review(report, author, **values)
    return services.lesson_publish(actor=actor_for(reviewer), lesson=lesson, confirmed=True)
