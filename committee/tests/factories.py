"""Committee members for tests: a model factory for bulk rows (list query counts) and helpers
that appoint through the services (with the audit trail)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import factory

from committee import services
from committee.models import CommitteeMember, Term
from core.access import actor_for
from tests.cast import Cast
from tests.factories import InstitutionFactory

START = datetime.date(2026, 1, 1)
_names = itertools.count(1)


class CommitteeMemberFactory(factory.django.DjangoModelFactory[CommitteeMember]):
    class Meta:
        model = CommitteeMember
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    kind = CommitteeMember.Kind.EXTERNAL
    name = factory.Sequence(lambda n: f"위원{n:03d}")
    gender = CommitteeMember.Gender.FEMALE
    term_starts_on = START
    term_ends_on = datetime.date(2027, 12, 31)

    @factory.post_generation
    def first_term(obj: CommitteeMember, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            Term.objects.create(member=obj, number=0, starts_on=obj.term_starts_on, ends_on=obj.term_ends_on)


def appoint(cast: Cast, who: str = "secretary", **overrides: Any) -> CommitteeMember:
    """A member appointed by the secretary (an external expert unless told otherwise)."""
    values: dict[str, Any] = {
        "kind": CommitteeMember.Kind.EXTERNAL,
        "name": f"전문가{next(_names):03d}",
        "organisation": "한빛대학교",
        "gender": CommitteeMember.Gender.FEMALE,
        "term_starts_on": START,
        **overrides,
    }
    return services.member_appoint(actor=actor_for(cast.users[who]), **values)


def fill(cast: Cast, count: int, **overrides: Any) -> list[CommitteeMember]:
    return [appoint(cast, **overrides) for _ in range(count)]


def set_policy(cast: Cast, **values: Any) -> None:
    policy = cast.district.policy
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
