"""The list: my department by default for officials, the audit queue for the audit side,
htmx partials, filters, forbidden users, and a query count that does not grow with rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from consultations.tests.factories import draft, submitted
from tests.cast import Cast

pytestmark = pytest.mark.django_db
URL = reverse("consultations:list")
QUEUE = reverse("consultations:queue")


def test_official_sees_the_departments_requests(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    mine = draft(cast, title="우리 부서 요청")
    response = client_for("official").get(URL)
    assert response.status_code == 200
    assert response.context["scope"] == "mine"
    assert mine.title in response.content.decode()
    assert "사전컨설팅 요청 작성" in response.content.decode()


def test_another_department_sees_nothing_of_it(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    draft(cast, title="건축과 요청")
    body = client_for("official2").get(URL + "?scope=all").content.decode()
    assert "건축과 요청" not in body


def test_audit_side_starts_on_the_queue_with_deadlines(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = submitted(cast, title="접수된 요청")
    draft(cast, title="작성 중인 요청")
    response = client_for("aa_officer").get(URL)
    body = response.content.decode()
    assert response.context["scope"] == "queue"
    assert c.title in body
    assert "작성 중인 요청" not in body
    assert "근무일 남음" in body


def test_queue_url_for_the_audit_side_only(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("audit_staff").get(QUEUE).status_code == 200
    assert client_for("head").get(QUEUE).status_code == 200
    assert client_for("official").get(QUEUE).status_code == 404
    assert client_for("aa_officer_b").get(QUEUE).context["page_obj"].paginator.count == 0


@pytest.mark.parametrize("username", ["no_role", "admin", "supervisor"])
def test_users_without_a_role_here_get_404(cast: Cast, client_for, username: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(username).get(URL).status_code == 404


def test_other_institution_sees_none_of_ours(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    submitted(cast, title="새솔구 요청")
    for username in ("official_b", "aa_officer_b"):
        response = client_for(username).get(URL + "?scope=all")
        assert response.status_code == 200
        assert "새솔구 요청" not in response.content.decode()


def test_htmx_gets_only_the_results(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    draft(cast, title="찾을 요청")
    draft(cast, title="다른 요청")
    response = client_for("official").get(URL, {"q": "찾을"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert "찾을 요청" in body
    assert "다른 요청" not in body
    assert response["Vary"].count("HX-Request") == 1


def test_filter_by_status_and_work_item(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    a = submitted(cast, title="제출된 요청")
    draft(cast, title="초안 요청")
    client = client_for("official")
    body = client.get(URL, {"status": "submitted"}).content.decode()
    assert "제출된 요청" in body
    assert "초안 요청" not in body
    body = client.get(URL, {"work_item": a.work_item_id}).content.decode()
    assert "제출된 요청" in body
    assert "초안 요청" not in body


def test_bad_filters_are_ignored(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("official").get(URL, {"status": "zzz", "work_item": "abc", "scope": "x", "cursor": "-1"})
    assert response.status_code == 200
    assert response.context["page_obj"].invalid_cursor
    queue = client_for("aa_officer").get(QUEUE, {"status": "zzz", "scope": "x", "page": "-1"})
    assert queue.status_code == 200


def test_a_work_item_id_beyond_the_database_range_is_ignored(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    submitted(cast)
    for url in (URL, reverse("consultations:queue")):
        response = client_for("aa_officer").get(url, {"work_item": "9" * 20})
        assert response.status_code == 200


def test_query_count_does_not_grow_with_rows(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    submitted(cast)
    client.get(URL)  # warm caches (content types, sessions)
    with django_assert_max_num_queries(20) as few:
        client.get(URL + "?scope=all")
    for _ in range(6):
        submitted(cast)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL + "?scope=all")
    assert response.context["page_obj"].count == 7


def test_menu_has_the_list_for_the_department_and_the_queue_for_the_audit_side(cast: Cast) -> None:
    from core.access import actor_for
    from office.navigation import items_for

    def links(username: str) -> dict[str, str]:
        return {link.url_name: link.section for link in items_for(actor_for(cast.users[username]))}

    assert links("official")["consultations:list"] == "work"
    assert "consultations:queue" not in links("official")
    assert links("audit_staff")["consultations:queue"] == "audit"
    assert "consultations:list" not in links("head")
    assert links("head")["consultations:queue"] == "audit"
