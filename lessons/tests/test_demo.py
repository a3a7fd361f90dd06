"""The demo step: a closed disciplinary report in 새솔구 and one published lesson made
from it, shared with the group; created once."""

from __future__ import annotations

import pytest

from institutions import demo
from lessons import demo as lessons_demo
from lessons import services
from lessons.models import Lesson
from reports.models import Report

pytestmark = pytest.mark.django_db


def test_demo_lesson_is_published_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_EXTRA_STEPS", {"lessons": lessons_demo.seed})
    result = demo.seed()
    assert result.created["lessons"] == 1
    lesson = Lesson.objects.select_related("report").get()
    assert lesson.status == Lesson.Status.PUBLISHED
    assert lesson.share_with_group
    assert lesson.report.outcome == Report.Outcome.DISCIPLINARY
    assert services.leaking_fields(lesson) == []
    again = demo.seed()
    assert "lessons" not in again.created
    assert Lesson.objects.count() == 1
    assert Report.objects.count() == 1


def test_demo_step_does_nothing_without_the_demo_district() -> None:
    assert lessons_demo.seed() == 0
    assert not Lesson.objects.exists()
