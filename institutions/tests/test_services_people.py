from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from core.errors import DomainError
from core.roles import Role
from institutions import services
from institutions.models import Person, RoleAssignment
from institutions.tests.helpers import actor, audit_actions
from tests.factories import PersonFactory, UnitFactory, grant

pytestmark = pytest.mark.django_db


def create(cast, **overrides):  # type: ignore[no-untyped-def]
    values = {
        "actor": actor(cast, "admin"),
        "institution": cast.district,
        "employee_number": "2026-0001",
        "name": "홍길순",
        "unit": cast.building,
        "grade": "지방시설주사보(7급)",
        "position": "주무관",
    }
    values.update(overrides)
    return services.person_create(**values)


def test_admin_creates_a_person_with_audit(cast) -> None:
    person = create(cast)
    assert person.institution == cast.district
    assert person.status == Person.Status.ACTIVE
    assert audit_actions(target_type="institutions.person", target_id=str(person.pk)) == ["institutions.person_created"]


def test_duplicate_employee_number_is_refused(cast) -> None:
    create(cast)
    with pytest.raises(DomainError) as error:
        create(cast, name="다른 사람")
    assert error.value.field == "employee_number"
    assert Person.objects.filter(employee_number="2026-0001").count() == 1


def test_same_employee_number_in_another_institution_is_fine(cast) -> None:
    create(cast)
    other = create(cast, actor=actor(cast, "admin_b"), institution=cast.other, unit=cast.other_unit)
    assert other.institution == cast.other


def test_unit_of_another_institution_is_refused(cast) -> None:
    with pytest.raises(DomainError) as error:
        create(cast, unit=cast.other_unit)
    assert error.value.field == "unit"


def test_inactive_unit_is_refused_for_a_new_person(cast) -> None:
    closed = UnitFactory(institution=cast.district, code="CLOSED", is_active=False)
    with pytest.raises(DomainError) as error:
        create(cast, unit=closed)
    assert error.value.field == "unit"


def test_promotion_before_joining_is_refused(cast) -> None:
    with pytest.raises(DomainError) as error:
        create(cast, joined_on=datetime.date(2020, 3, 1), promoted_on=datetime.date(2019, 1, 1))
    assert error.value.field == "promoted_on"


def test_admin_of_another_institution_cannot_edit(cast) -> None:
    person = cast.official.person
    with pytest.raises(DomainError):
        services.person_update(
            actor=actor(cast, "admin_b"), person=person, employee_number="X", name="바뀐 이름", unit=None
        )
    person.refresh_from_db()
    assert person.name == "official"


def test_update_cannot_retire_without_a_date(cast) -> None:
    with pytest.raises(DomainError) as error:
        services.person_update(
            actor=actor(cast, "admin"),
            person=cast.official.person,
            employee_number=cast.official.person.employee_number,
            name="official",
            unit=cast.building,
            status=Person.Status.RETIRED,
        )
    assert error.value.field == "status"


def test_retiring_keeps_the_person_and_closes_the_account(cast) -> None:
    person = cast.official.person
    services.person_retire(
        actor=actor(cast, "admin"), person=person, retired_on=datetime.date(2026, 6, 30), reason="정년"
    )
    person.refresh_from_db()
    cast.official.refresh_from_db()
    assert person.status == Person.Status.RETIRED
    assert person.retired_on == datetime.date(2026, 6, 30)
    assert Person.objects.filter(pk=person.pk).exists()
    assert not cast.official.is_active
    assert RoleAssignment.objects.get(user=cast.official).ends_on == datetime.date(2026, 6, 30)
    assert "institutions.person_retired" in audit_actions(target_id=str(person.pk))


def test_retiring_removes_roles_that_would_start_later(cast) -> None:
    grant(cast.official, Role.COMMITTEE_MEMBER, starts_on=datetime.date(2027, 1, 1))
    services.person_retire(
        actor=actor(cast, "admin"), person=cast.official.person, retired_on=datetime.date(2026, 6, 30)
    )
    assert list(RoleAssignment.objects.filter(user=cast.official).values_list("role", flat=True)) == [Role.OFFICIAL]


def test_retiring_twice_is_refused(cast) -> None:
    person = PersonFactory(institution=cast.district, status=Person.Status.RETIRED)
    with pytest.raises(DomainError):
        services.person_retire(actor=actor(cast, "admin"), person=person, retired_on=datetime.date(2026, 1, 1))


def test_retirement_before_joining_is_refused(cast) -> None:
    person = PersonFactory(institution=cast.district, joined_on=datetime.date(2020, 1, 1))
    with pytest.raises(DomainError) as error:
        services.person_retire(actor=actor(cast, "admin"), person=person, retired_on=datetime.date(2019, 1, 1))
    assert error.value.field == "retired_on"


def test_reinstating_a_retired_person_reopens_the_account(cast) -> None:
    person = cast.official.person
    services.person_retire(actor=actor(cast, "admin"), person=person, retired_on=datetime.date(2026, 1, 1))
    services.person_update(
        actor=actor(cast, "admin"),
        person=person,
        employee_number=person.employee_number,
        name=person.name,
        unit=cast.building,
        status=Person.Status.ACTIVE,
    )
    person.refresh_from_db()
    cast.official.refresh_from_db()
    assert person.status == Person.Status.ACTIVE
    assert person.retired_on is None
    assert cast.official.is_active


def test_account_is_created_and_the_set_password_mail_goes_out_on_commit(
    cast, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    person = PersonFactory(institution=cast.district, unit=cast.building, name="새직원")
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_account_create_for_person(
            actor=actor(cast, "admin"), person=person, username="new.staff", email="new.staff@example.go.kr"
        )
    assert user.person == person
    assert user.institution == cast.district
    assert not user.has_usable_password()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["new.staff@example.go.kr"]
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    assert reverse("accounts:password_reset_confirm", args=[uid, "x"]).rsplit("x/", 1)[0] in message.body
    assert "new.staff" in message.body
    token = message.body.split(f"/{uid}/", 1)[1].split("/", 1)[0]
    assert default_token_generator.check_token(user, token)
    assert "institutions.account_created" in audit_actions(target_type="accounts.user")


def test_no_mail_when_the_transaction_is_rolled_back(cast, mailoutbox, django_capture_on_commit_callbacks) -> None:
    person = PersonFactory(institution=cast.district)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.user_account_create_for_person(
            actor=actor(cast, "admin"), person=person, username="later", email="later@example.go.kr"
        )
    assert len(callbacks) == 1
    assert mailoutbox == []


def test_person_with_an_account_cannot_get_a_second_one(cast) -> None:
    with pytest.raises(DomainError):
        services.user_account_create_for_person(
            actor=actor(cast, "admin"), person=cast.official.person, username="second", email="second@example.go.kr"
        )


def test_username_taken_in_any_case_is_refused(cast) -> None:
    person = PersonFactory(institution=cast.district)
    with pytest.raises(DomainError) as error:
        services.user_account_create_for_person(
            actor=actor(cast, "admin"), person=person, username="OFFICIAL", email="x@example.go.kr"
        )
    assert error.value.field == "username"


def test_username_with_spaces_is_refused(cast) -> None:
    person = PersonFactory(institution=cast.district)
    with pytest.raises(DomainError) as error:
        services.user_account_create_for_person(
            actor=actor(cast, "admin"), person=person, username="hong gil", email="x@example.go.kr"
        )
    assert error.value.field == "username"


def test_email_used_by_another_account_is_refused(cast) -> None:
    person = PersonFactory(institution=cast.district)
    with pytest.raises(DomainError) as error:
        services.user_account_create_for_person(
            actor=actor(cast, "admin"), person=person, username="fresh", email=cast.official.email.upper()
        )
    assert error.value.field == "email"
    assert not User.objects.filter(username="fresh").exists()


def test_retired_person_cannot_get_an_account(cast) -> None:
    person = PersonFactory(institution=cast.district, status=Person.Status.RETIRED)
    with pytest.raises(DomainError):
        services.user_account_create_for_person(
            actor=actor(cast, "admin"), person=person, username="gone", email="gone@example.go.kr"
        )


def test_admin_of_another_institution_cannot_create_accounts(cast) -> None:
    person = PersonFactory(institution=cast.district)
    with pytest.raises(DomainError):
        services.user_account_create_for_person(
            actor=actor(cast, "admin_b"), person=person, username="intruder", email="i@example.go.kr"
        )


def test_password_link_is_sent_again(cast, mailoutbox, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.user_account_send_password_link(actor=actor(cast, "admin"), user=cast.official)
    assert [m.to for m in mailoutbox] == [[cast.official.email]]
    assert "institutions.account_password_link_sent" in audit_actions(target_type="accounts.user")
