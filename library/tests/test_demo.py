"""The demo step: published cases in 새솔구 that the portal search finds, one in review and
one draft, made through the services, created once."""

from __future__ import annotations

import pytest

from institutions import demo
from library import demo as library_demo
from library import search
from library.models import BestPractice

pytestmark = pytest.mark.django_db


def test_demo_cases_are_published_searchable_and_created_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "_EXTRA_STEPS", {"library": library_demo.seed})
    result = demo.seed()
    assert result.created["library"] == len(library_demo.CASES)
    counts = {s: BestPractice.objects.filter(status=s).count() for s in BestPractice.Status.values}
    assert counts == {"published": 3, "in_review": 1, "draft": 1}
    assert [case.title for case in search.search("주차")] == ["주차장 공유로 주택가 주차난 해소"]
    assert all(case.institution.code == "SAESOL" for case in BestPractice.objects.all())
    again = demo.seed()
    assert "library" not in again.created
    assert BestPractice.objects.count() == len(library_demo.CASES)
