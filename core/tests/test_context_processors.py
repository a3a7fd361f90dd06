"""The shell's context: lazy menu entries and the unread count of the bell."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone

from core.access import actor_for
from core.context_processors import shell, unread_count
from core.models import Notification
from tests.cast import Cast


def request_for(user: object) -> object:
    request = RequestFactory().get("/office/")
    request.user = user  # type: ignore[attr-defined]
    return request


def test_nothing_is_queried_until_the_template_uses_it(cast: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    request = request_for(cast.official)
    with django_assert_num_queries(0):
        context = shell(request)  # type: ignore[arg-type]
        engines["django"].from_string("<p>{{ 1 }}</p>").render({}, request)  # type: ignore[arg-type]
    assert set(context) == {"actor", "nav_items", "nav_groups", "unread_notifications"}


def test_unread_count_is_one_query_of_own_unread_rows(cast: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(2):
        Notification.objects.create(recipient=cast.official, title="읽지 않음")
    Notification.objects.create(recipient=cast.official, title="읽음", read_at=timezone.now())
    Notification.objects.create(recipient=cast.official2, title="남의 것")
    context = shell(request_for(cast.official))  # type: ignore[arg-type]
    with django_assert_num_queries(1):
        assert str(context["unread_notifications"]) == "2"
        assert context["unread_notifications"] == 2
        assert context["unread_notifications"]  # evaluated once, then cached


def test_anonymous_has_no_unread_notifications_and_no_menu(db: None, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    context = shell(request_for(AnonymousUser()))  # type: ignore[arg-type]
    with django_assert_num_queries(0):
        assert unread_count(AnonymousUser()) == 0
        assert context["unread_notifications"] == 0
        assert list(context["nav_items"]) == []
        assert not context["nav_groups"]


def test_menu_of_a_signed_in_actor_holds_the_office_home(cast: Cast) -> None:
    context = shell(request_for(cast.official))  # type: ignore[arg-type]
    urls = [link.url for link in context["nav_items"]]
    assert "/office/" in urls
    assert context["actor"].institution == actor_for(cast.official).institution


def test_request_without_user_gets_nothing(db: None) -> None:
    assert shell(RequestFactory().get("/healthz")) == {}
