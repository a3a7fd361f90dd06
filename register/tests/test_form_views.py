"""Creating and editing entries through the forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.audit import timeline
from register.models import WorkItem
from tests.factories import PersonFactory, WorkItemFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("register:create")


def form_data(cast, **overrides) -> dict[str, object]:
    data = {
        "reference": "W-500",
        "title": "도시계획시설 결정",
        "category": "development",
        "unit": cast.planning.pk,
        "responsible_number": "",
        "legal_basis": "국토계획법 제30조",
        "status": "planned",
        "year": "2026",
        "starts_on": "2026-03-01",
        "ends_on": "",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_create_form_saves_and_redirects_to_the_entry(client_for, cast) -> None:
    PersonFactory(institution=cast.district, unit=cast.planning, employee_number="E-9")
    response = client_for("aa_officer").post(CREATE, form_data(cast, responsible_number="E-9"))
    item = WorkItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("register:detail", kwargs={"pk": item.pk})
    assert (item.unit, item.responsible.employee_number, item.status, str(item.starts_on)) == (
        cast.planning,
        "E-9",
        "planned",
        "2026-03-01",
    )


def test_create_form_offers_a_department_head_only_the_own_unit(client_for, cast) -> None:
    page = client_for("dept_head").get(CREATE).content.decode()
    assert f'value="{cast.building.pk}"' in page
    assert f'value="{cast.planning.pk}"' not in page


def test_department_head_cannot_post_another_unit(client_for, cast) -> None:
    response = client_for("dept_head").post(CREATE, form_data(cast))
    assert response.status_code == 400
    assert not WorkItem.objects.exists()


def test_duplicate_reference_is_shown_next_to_the_field_keeping_the_input(client_for, cast) -> None:
    WorkItemFactory(institution=cast.district, unit=cast.building, reference="W-500")
    response = client_for("aa_officer").post(CREATE, form_data(cast, title="입력한 제목"))
    page = response.content.decode()
    assert response.status_code == 400
    error = '<div class="pa-field-errors" id="id_reference_error"><p class="form-hint-invalid">'
    assert error + "이 기관에 이미 있는 관리번호입니다: W-500" in page
    assert 'value="입력한 제목"' in page
    assert WorkItem.objects.count() == 1


def test_unknown_responsible_number_is_a_field_error(client_for, cast) -> None:
    other = PersonFactory(institution=cast.other, unit=cast.other_unit, employee_number="B-1")
    response = client_for("aa_officer").post(CREATE, form_data(cast, responsible_number=other.employee_number))
    assert response.status_code == 400
    assert "이 기관에 없는 직원번호입니다." in response.content.decode()
    assert not WorkItem.objects.exists()


def test_end_before_start_is_a_field_error(client_for, cast) -> None:
    response = client_for("aa_officer").post(CREATE, form_data(cast, ends_on="2026-01-01"))
    assert response.status_code == 400
    assert (
        'id="id_ends_on_error"><p class="form-hint-invalid">종료일이 시작일보다 빠릅니다.' in response.content.decode()
    )


def test_missing_values_are_form_errors(client_for, cast) -> None:
    response = client_for("aa_officer").post(CREATE, form_data(cast, title="", year="abc"))
    assert response.status_code == 400
    assert not WorkItem.objects.exists()


def test_edit_form_changes_the_entry(client_for, cast) -> None:
    item = WorkItemFactory(institution=cast.district, unit=cast.building, reference="W-1", title="옛 제목")
    url = reverse("register:edit", kwargs={"pk": item.pk})
    client = client_for("dept_head")
    assert 'value="옛 제목"' in client.get(url).content.decode()
    response = client.post(url, form_data(cast, reference="W-1", title="새 제목", unit=cast.building.pk))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.title == "새 제목"
    assert [e.action for e in timeline(item)] == ["register.work_item_updated"]


def test_edit_keeps_an_inactive_current_unit_selectable(client_for, cast) -> None:
    cast.building.is_active = False
    cast.building.save()
    item = WorkItemFactory(institution=cast.district, unit=cast.building, reference="W-1")
    page = client_for("aa_officer").get(reverse("register:edit", kwargs={"pk": item.pk})).content.decode()
    assert f'value="{cast.building.pk}" selected' in page


def test_another_institutions_writer_cannot_touch_this_register(client_for, cast) -> None:
    item = WorkItemFactory(institution=cast.district, unit=cast.building, title="옛 제목")
    client = client_for("aa_officer_b")
    assert client.get(reverse("register:edit", kwargs={"pk": item.pk})).status_code == 404
    assert client.post(reverse("register:edit", kwargs={"pk": item.pk}), form_data(cast)).status_code == 404
    response = client.post(CREATE, form_data(cast, unit=cast.building.pk))
    assert response.status_code == 400  # not one of the units offered
    assert WorkItem.objects.count() == 1
    item.refresh_from_db()
    assert item.title == "옛 제목"


@pytest.mark.parametrize("who", ["official", "head", "no_role"])
def test_readers_cannot_open_the_forms(client_for, cast, who) -> None:
    item = WorkItemFactory(institution=cast.district, unit=cast.building)
    client = client_for(who)
    assert client.get(CREATE).status_code == 404
    assert client.post(CREATE, form_data(cast)).status_code == 404
    assert client.get(reverse("register:edit", kwargs={"pk": item.pk})).status_code == 404
    assert WorkItem.objects.count() == 1


def test_department_head_cannot_edit_another_units_entry(client_for, cast) -> None:
    item = WorkItemFactory(institution=cast.district, unit=cast.planning, title="옛 제목")
    url = reverse("register:edit", kwargs={"pk": item.pk})
    assert client_for("dept_head").get(url).status_code == 404
    assert client_for("dept_head").post(url, form_data(cast)).status_code == 404
    item.refresh_from_db()
    assert item.title == "옛 제목"


def test_anonymous_is_sent_to_login(client, cast) -> None:
    item = WorkItemFactory(institution=cast.district, unit=cast.building)
    for url in (CREATE, reverse("register:edit", kwargs={"pk": item.pk})):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
