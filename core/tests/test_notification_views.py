"""The notification pages: list, mark read (and follow), mark all read, the bell count."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.models import Notification
from core.notifications import notify

LIST = reverse("core:notifications")
COUNT = reverse("core:notification_count")
READ_ALL = reverse("core:notifications_read_all")


def read_url(n: Notification) -> str:
    return reverse("core:notification_read", args=[n.pk])


@pytest.fixture
def mine(cast):  # type: ignore[no-untyped-def]
    first = notify(recipients=[cast.official], title="첫 알림", url="/office/a/", email=False)[0]
    second = notify(recipients=[cast.official], title="둘째 알림", body="내용", email=False)[0]
    return first, second


def test_list_shows_my_notifications_newest_first(client_for, mine, cast) -> None:  # type: ignore[no-untyped-def]
    notify(recipients=[cast.official2], title="남의 알림", email=False)
    response = client_for("official").get(LIST)
    assert response.status_code == 200
    page = response.context["page"]
    assert [n.title for n in page.object_list] == ["둘째 알림", "첫 알림"]
    assert response.context["unread"] == 2
    content = response.content.decode()
    assert "남의 알림" not in content
    assert 'class="notification unread"' in content
    assert "읽지 않은 알림이 2건" in content


def test_list_is_paginated_with_bounded_queries(client_for, cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    Notification.objects.bulk_create(Notification(recipient=cast.official, title=f"알림 {i}") for i in range(60))
    client = client_for("official")
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 50
    assert response.context["page"].paginator.num_pages == 2
    assert len(client.get(LIST + "?page=2").context["page"].object_list) == 10
    assert client.get(LIST + "?page=abc").status_code == 200


def test_mark_read_redirects_to_its_url(client_for, mine) -> None:  # type: ignore[no-untyped-def]
    first, _ = mine
    response = client_for("official").post(read_url(first))
    assert response.status_code == 302
    assert response["Location"] == "/office/a/"
    first.refresh_from_db()
    assert first.read_at is not None


def test_mark_read_without_url_returns_to_the_list(client_for, mine) -> None:  # type: ignore[no-untyped-def]
    _, second = mine
    response = client_for("official").post(read_url(second))
    assert response["Location"] == LIST


def test_a_stored_external_url_is_never_followed(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    n = Notification.objects.create(recipient=cast.official, title="t", url="//evil.example/")
    response = client_for("official").post(read_url(n))
    assert response["Location"] == LIST


def test_another_users_notification_is_404(client_for, mine) -> None:  # type: ignore[no-untyped-def]
    first, _ = mine
    response = client_for("official2").post(read_url(first))
    assert response.status_code == 404
    first.refresh_from_db()
    assert first.read_at is None


def test_another_institutions_user_gets_404(client_for, mine) -> None:  # type: ignore[no-untyped-def]
    assert client_for("official_b").post(read_url(mine[0])).status_code == 404


def test_mark_read_needs_post(client_for, mine) -> None:  # type: ignore[no-untyped-def]
    assert client_for("official").get(read_url(mine[0])).status_code == 405


def test_mark_all_read_touches_only_mine(client_for, mine, cast) -> None:  # type: ignore[no-untyped-def]
    other = notify(recipients=[cast.official2], title="남의 알림", email=False)[0]
    response = client_for("official").post(READ_ALL)
    assert response["Location"] == LIST
    assert not Notification.objects.filter(recipient=cast.official, read_at__isnull=True).exists()
    other.refresh_from_db()
    assert other.read_at is None


def test_bell_count_fragment(client_for, mine, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for("official")
    with django_assert_max_num_queries(8):  # 7 for session, user, 2FA and roles
        response = client.get(COUNT, headers={"HX-Request": "true"})
    assert response.status_code == 200
    content = response.content.decode()
    assert ">2<" in content
    assert "<html" not in content
    assert response["Cache-Control"] == "private, no-store"
    client.post(READ_ALL)
    assert "krds-badge" not in client.get(COUNT).content.decode()


@pytest.mark.parametrize("url", [LIST, COUNT])
def test_anonymous_is_sent_to_login(url: str, db: None) -> None:
    response = Client().get(url)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url", [READ_ALL, "read"])
def test_anonymous_post_is_sent_to_login(url: str, mine) -> None:  # type: ignore[no-untyped-def]
    target = read_url(mine[0]) if url == "read" else url
    response = Client().post(target)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
