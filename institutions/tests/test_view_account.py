from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def create_url(cast, person) -> str:  # type: ignore[no-untyped-def]
    return reverse("institutions:account_create", args=[cast.district.pk, person.pk])


def link_url(cast, person) -> str:  # type: ignore[no-untyped-def]
    return reverse("institutions:account_password_link", args=[cast.district.pk, person.pk])


def test_admin_creates_an_account_and_a_mail_goes_out(
    cast, client_for, mailoutbox, django_capture_on_commit_callbacks
) -> None:
    person = PersonFactory(institution=cast.district, email="hong@example.go.kr")
    client = client_for("admin")
    assert 'value="hong@example.go.kr"' in client.get(create_url(cast, person)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(create_url(cast, person), {"username": "hong", "email": "hong@example.go.kr"})
    assert response.status_code == 302
    assert User.objects.get(username="hong").person == person
    assert len(mailoutbox) == 1


def test_taken_username_keeps_typed_values(cast, client_for) -> None:
    person = PersonFactory(institution=cast.district)
    response = client_for("admin").post(create_url(cast, person), {"username": "admin", "email": "typed@example.go.kr"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "이미 쓰고 있는 아이디" in body
    assert 'value="typed@example.go.kr"' in body


def test_admin_sends_a_new_password_link(cast, client_for, mailoutbox, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(link_url(cast, cast.official.person))
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [[cast.official.email]]


def test_password_link_needs_post(cast, client_for) -> None:
    assert client_for("admin").get(link_url(cast, cast.official.person)).status_code == 405


def test_person_of_another_institution_is_404(cast, client_for, mailoutbox) -> None:
    client = client_for("admin")
    assert client.get(create_url(cast, cast.official_b.person)).status_code == 404
    assert client.post(link_url(cast, cast.official_b.person)).status_code == 404
    assert mailoutbox == []


def test_anonymous_is_sent_to_login(cast) -> None:
    assert "/accounts/login/" in Client().get(create_url(cast, cast.official.person))["Location"]
    assert "/accounts/login/" in Client().post(link_url(cast, cast.official.person))["Location"]


@pytest.mark.parametrize("name", ["official", "hr_officer", "supervisor", "admin_b"])
def test_others_get_404(cast, client_for, name) -> None:
    person = PersonFactory(institution=cast.district)
    client = client_for(name)
    assert client.post(create_url(cast, person), {"username": "sneaky", "email": "s@example.go.kr"}).status_code == 404
    assert client.post(link_url(cast, cast.official.person)).status_code == 404
    assert not User.objects.filter(username="sneaky").exists()
