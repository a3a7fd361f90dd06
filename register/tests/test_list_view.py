"""The register list: filters, htmx results, pagination, query count, access."""

from __future__ import annotations

import pytest
from django.urls import reverse

from register.models import WorkItem
from tests.factories import PersonFactory, WorkItemFactory

pytestmark = pytest.mark.django_db

URL = reverse("register:list")


def many(cast, count: int, **kwargs) -> None:
    person = PersonFactory(institution=cast.district, unit=cast.building)
    for n in range(count):
        WorkItemFactory(
            institution=cast.district,
            unit=cast.building if n % 2 else cast.planning,
            responsible=person,
            reference=f"R-{n:04d}",
            title=f"업무 {n}",
            **kwargs,
        )


@pytest.mark.parametrize("who", ["official", "dept_head", "aa_officer", "audit_staff", "admin", "head"])
def test_staff_see_the_register(client_for, cast, who) -> None:
    WorkItemFactory(institution=cast.district, unit=cast.building, title="건축 허가 심사")
    response = client_for(who).get(URL)
    assert response.status_code == 200
    assert "건축 허가 심사" in response.content.decode()


def test_other_institutions_entries_are_not_listed(client_for, cast) -> None:
    WorkItemFactory(institution=cast.other, unit=cast.other_unit, title="다온구 업무")
    assert "다온구 업무" not in client_for("official").get(URL).content.decode()


def test_anonymous_is_sent_to_login(client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["no_role", "supervisor", "member"])
def test_without_a_staff_role_the_register_is_404(client_for, cast, who) -> None:
    if who == "member":
        from institutions.models import RoleAssignment

        RoleAssignment.objects.filter(user=cast.member, role="official").delete()
    assert client_for(who).get(URL).status_code == 404


def test_filters_narrow_the_list(client_for, cast) -> None:
    WorkItemFactory(institution=cast.district, unit=cast.building, title="건축 허가", category=WorkItem.Category.PERMIT)
    WorkItemFactory(
        institution=cast.district, unit=cast.planning, title="용역 계약", category=WorkItem.Category.CONTRACT
    )
    page = client_for("official").get(URL, {"category": "contract"}).content.decode()
    assert "용역 계약" in page
    assert "건축 허가" not in page
    page = client_for("official").get(URL, {"unit": cast.building.pk}).content.decode()
    assert "건축 허가" in page
    assert "용역 계약" not in page
    page = client_for("official").get(URL, {"q": "용역"}).content.decode()
    assert "용역 계약" in page
    assert "건축 허가" not in page


def test_invalid_filters_are_ignored_not_an_error(client_for, cast) -> None:
    WorkItemFactory(institution=cast.district, unit=cast.building, title="건축 허가")
    response = client_for("official").get(URL, {"unit": "abc", "year": "1", "category": "x", "cursor": "zz"})
    assert response.status_code == 200
    assert "건축 허가" in response.content.decode()
    assert response.context["page_obj"].invalid_cursor


def test_another_institutions_unit_is_not_a_filter(client_for, cast) -> None:
    WorkItemFactory(institution=cast.district, unit=cast.building, title="건축 허가")
    page = client_for("official").get(URL, {"unit": cast.other_unit.pk}).content.decode()
    assert "건축 허가" in page  # the unknown unit is ignored, not used


def test_htmx_request_gets_only_the_results_partial(client_for, cast) -> None:
    WorkItemFactory(institution=cast.district, unit=cast.building, title="건축 허가")
    response = client_for("official").get(URL, {"q": "건축"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "건축 허가" in page
    assert "<html" not in page
    assert "<form" not in page
    assert "HX-Request" in response["Vary"]


def test_filter_form_pushes_the_url_and_targets_the_results(client_for) -> None:
    page = client_for("official").get(URL).content.decode()
    assert 'hx-push-url="true"' in page
    assert 'hx-target="#register-results"' in page
    assert 'id="register-results"' in page


def test_pages_of_fifty(client_for, cast) -> None:
    many(cast, 55)
    client = client_for("official")
    first_page = client.get(URL)
    first = first_page.content.decode()
    second = client.get(URL, {"cursor": first_page.context["page_obj"].next_cursor}).content.decode()
    assert first.count('href="/office/register/') - first.count('href="/office/register/new') >= 50
    assert "R-0054" in first or "R-0054" in second
    assert "업무 55건" in first
    assert second.count("<tr>") - 1 == 5  # header row + 5


def test_query_count_does_not_grow_with_the_rows(client_for, cast, django_assert_max_num_queries) -> None:
    client = client_for("official")
    many(cast, 5)
    client.get(URL)  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        client.get(URL)
    many_more = 45
    for n in range(many_more):
        WorkItemFactory(institution=cast.district, unit=cast.planning, reference=f"X-{n:03d}")
    with django_assert_max_num_queries(len(five)):
        response = client.get(URL)
    assert response.content.decode().count("/office/register/") >= 50


def test_create_and_import_buttons_follow_the_role(client_for) -> None:
    import_url = reverse("imports:upload", kwargs={"kind": "register"})
    official = client_for("official").get(URL).content.decode()
    assert reverse("register:create") not in official
    assert import_url not in official
    head = client_for("dept_head").get(URL).content.decode()
    assert reverse("register:create") in head
    assert import_url not in head
    audit = client_for("aa_officer").get(URL).content.decode()
    assert reverse("register:create") in audit
    assert import_url in audit


def test_the_register_is_in_the_menu_of_staff_only(client_for) -> None:
    assert f'href="{URL}"' in client_for("official").get(reverse("office:home")).content.decode()
    assert f'href="{URL}"' not in client_for("no_role").get(reverse("office:home")).content.decode()
