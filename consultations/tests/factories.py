"""Pre-consultation test data: a factory for rows in any state, and helpers that take a
request through the services (so it has its number, deadline and history)."""

from __future__ import annotations

import datetime
from typing import Any

import factory

from consultations import services
from consultations.models import SELF_CHECK_KEYS, Consultation
from core.access import Actor, actor_for
from institutions.models import Person
from tests.cast import Cast
from tests.factories import WorkItemFactory

CHECKS = {key: {"answer": "yes", "note": ""} for key in SELF_CHECK_KEYS}


class ConsultationFactory(factory.django.DjangoModelFactory[Consultation]):
    """A bare row (no history); `officials` takes a list of people."""

    class Meta:
        model = Consultation
        skip_postgeneration_save = True

    institution = factory.LazyAttribute(lambda o: o.unit.institution)
    title = factory.Sequence(lambda n: f"사전컨설팅 요청 {n}")
    background = "추진 배경"
    laws = "건축법 제11조"
    issues = "쟁점"
    own_review = "부서 검토 의견"
    self_check = factory.LazyFunction(lambda: dict(CHECKS))

    @factory.post_generation
    def officials(obj: Consultation, create: bool, extracted: Any, **kwargs: Any) -> None:  # noqa: N805
        if create and extracted:
            obj.officials.set(extracted)


def actor(cast: Cast, name: str) -> Actor:
    return actor_for(cast.users[name])


def draft(
    cast: Cast, *, officials: list[Person] | None = None, with_item: bool = True, **overrides: Any
) -> Consultation:
    """A complete draft of the building department, written by "official"."""
    kwargs: dict[str, Any] = {
        "title": "가설울타리 도로점용 허가기간 연장",
        "background": "공사 지연으로 허가기간 연장 요청이 있습니다.",
        "laws": "도로법 제61조",
        "issues": "연장 횟수 제한이 불분명합니다.",
        "own_review": "연장할 수 있다고 봅니다.",
        "self_check": CHECKS,
        "officials": officials if officials is not None else [cast.official.person],
        "work_item": WorkItemFactory(institution=cast.district, unit=cast.building) if with_item else None,
    }
    kwargs.update(overrides)
    return services.consultation_create(actor=actor(cast, "official"), unit=cast.building, **kwargs)


def submitted(cast: Cast, **kwargs: Any) -> Consultation:
    consultation = draft(cast, **kwargs)
    services.consultation_request_approval(actor=actor(cast, "official"), consultation=consultation)
    services.consultation_submit(actor=actor(cast, "dept_head"), consultation=consultation)
    return consultation


def under_review(cast: Cast, **kwargs: Any) -> Consultation:
    consultation = submitted(cast, **kwargs)
    services.consultation_accept(actor=actor(cast, "aa_officer"), consultation=consultation)
    return consultation


def with_opinion(cast: Cast, **kwargs: Any) -> Consultation:
    consultation = under_review(cast, **kwargs)
    services.consultation_issue_opinion(
        actor=actor(cast, "aa_officer"),
        consultation=consultation,
        opinion="연장할 수 있습니다.",
        reasons="법령이 금지하지 않습니다.",
        conditions="안전 조치를 갖출 것",
    )
    return consultation


def acted(
    cast: Cast, *, outcome: str = Consultation.Outcome.FOLLOWED, acted_on: datetime.date | None = None, **kwargs: Any
) -> Consultation:
    consultation = with_opinion(cast, **kwargs)
    services.consultation_record_outcome(
        actor=actor(cast, "official"),
        consultation=consultation,
        outcome=outcome,
        acted_on=acted_on or consultation.opinion_on,
        note="의견대로 처리함",
    )
    return consultation
