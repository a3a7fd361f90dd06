"""factory-boy factories shared by every module's tests."""

from __future__ import annotations

import datetime

import factory

from accounts.models import User
from institutions.models import Institution, Person, Policy, RoleAssignment, Unit
from register.models import WorkItem


class InstitutionFactory(factory.django.DjangoModelFactory[Institution]):
    class Meta:
        model = Institution
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"INST{n:05d}")
    name = factory.Sequence(lambda n: f"시험기관{n}")
    name_en = factory.Sequence(lambda n: f"Test institution {n}")
    kind = Institution.Kind.DISTRICT

    @factory.post_generation
    def with_policy(obj: Institution, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            Policy.objects.get_or_create(institution=obj)


class UnitFactory(factory.django.DjangoModelFactory[Unit]):
    class Meta:
        model = Unit

    institution = factory.SubFactory(InstitutionFactory)
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"시험과{n}")
    kind = Unit.Kind.DIVISION


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    institution = factory.SubFactory(InstitutionFactory)
    unit = factory.LazyAttribute(lambda o: UnitFactory(institution=o.institution))
    employee_number = factory.Sequence(lambda n: f"E{n:06d}")
    name = factory.Sequence(lambda n: f"홍길동{n}")
    grade = "행정6급"
    position = "주무관"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.go.kr")
    password = factory.PostGenerationMethodCall("set_password", "test-password-123")
    institution = factory.SubFactory(InstitutionFactory)
    person = factory.LazyAttribute(lambda o: PersonFactory(institution=o.institution))

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.save()


def grant(
    user: User,
    role: str,
    *,
    unit: Unit | None = None,
    institution: Institution | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> RoleAssignment:
    return RoleAssignment.objects.create(
        user=user,
        institution=institution or user.institution,
        unit=unit,
        role=role,
        starts_on=starts_on or datetime.date(2000, 1, 1),
        ends_on=ends_on,
    )


class WorkItemFactory(factory.django.DjangoModelFactory[WorkItem]):
    class Meta:
        model = WorkItem

    institution = factory.SubFactory(InstitutionFactory)
    reference = factory.Sequence(lambda n: f"W-{n:06d}")
    title = factory.Sequence(lambda n: f"건축 인허가 업무 {n}")
    category = WorkItem.Category.PERMIT
    unit = factory.LazyAttribute(lambda o: UnitFactory(institution=o.institution))
    year = 2026
