"""Library test data: a bare-row factory (for list query counts) and helpers that take a
case through the services (so it has its history and, on SQLite, its search entry)."""

from __future__ import annotations

from typing import Any

import factory
from django.utils import timezone

from accounts.models import User
from core.access import Actor, actor_for
from library import search, services
from library.models import BestPractice
from tests.cast import Cast


class BestPracticeFactory(factory.django.DjangoModelFactory[BestPractice]):
    """A bare published row without history; call `search.sync` to index it."""

    class Meta:
        model = BestPractice
        skip_postgeneration_save = True

    institution = factory.LazyAttribute(lambda o: o.unit.institution)
    title = factory.Sequence(lambda n: f"우수사례 {n}")
    problem = "문제 상황"
    action = "적극행정 내용"
    result = "성과"
    policy_field = BestPractice.PolicyField.OTHER
    year = 2025
    status = BestPractice.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def indexed(obj: BestPractice, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create and obj.status == BestPractice.Status.PUBLISHED:
            search.sync(obj)


def actor(user: User) -> Actor:
    return actor_for(user)


def write(cast: Cast, *, user: User | None = None, **values: Any) -> BestPractice:
    """A draft written through the service (by the cast's official unless told)."""
    user = user or cast.official
    data: dict[str, Any] = {
        "unit": user.person.unit if user.person else cast.building,
        "title": "주차장 공유 사업",
        "policy_field": BestPractice.PolicyField.URBAN,
        "year": 2025,
        "problem": "주택가 주차난이 심각했습니다.",
        "action": "학교 주차장을 야간에 개방했습니다.",
        "result": "주차면 200면을 확보했습니다.",
    }
    data.update(values)
    return services.case_create(actor=actor(user), **data)


def in_review(cast: Cast, **values: Any) -> BestPractice:
    case = write(cast, **values)
    return services.case_submit(actor=actor(case.author), case=case)


def published(cast: Cast, **values: Any) -> BestPractice:
    case = in_review(cast, **values)
    return services.case_publish(actor=actor(cast.aa_officer), case=case)
