"""The request form: create and edit with errors next to their fields, what was typed kept,
nothing saved; only the department, only while editable."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from consultations.models import Consultation
from consultations.tests.factories import acted, draft, submitted
from tests.cast import Cast
from tests.factories import WorkItemFactory

pytestmark = pytest.mark.django_db
CREATE = reverse("consultations:create")


def data(cast: Cast, **overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "title": "건축선 후퇴 기준 적용",
        "unit": cast.building.pk,
        "work_item_reference": "",
        "officials_numbers": cast.official.person.employee_number,
        "background": "배경",
        "laws": "건축법 제46조",
        "issues": "쟁점",
        "own_review": "부서 의견",
    }
    for key in ("laws_reviewed", "interpretation_asked", "not_decided", "no_proceedings", "own_view"):
        values[f"check_{key}"] = "yes"
        values[f"note_{key}"] = ""
    values.update(overrides)
    return values


def test_official_creates_a_draft(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    item = WorkItemFactory(institution=cast.district, unit=cast.building, reference="BLD-7")
    response = client_for("official").post(CREATE, data(cast, work_item_reference="bld-7"))
    c = Consultation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == c.get_absolute_url()
    assert c.work_item == item
    assert c.self_check["laws_reviewed"] == {"answer": "yes", "note": ""}
    assert list(c.officials.all()) == [cast.official.person]


def test_create_page_preselects_the_unit_and_the_official(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("official").get(CREATE + "?work_item=BLD-1")
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["unit"] == cast.building.pk
    assert form.initial["officials_numbers"] == cast.official.person.employee_number
    assert form.initial["work_item_reference"] == "BLD-1"
    assert [u.pk for u in form.fields["unit"].queryset] == [cast.building.pk]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "", "필수 항목입니다."),
        ("work_item_reference", "NOPE-1", "이 기관의 업무 등록부에 없는 관리번호입니다."),
        ("officials_numbers", "E-NOBODY", "이 기관에 없는 직원번호입니다: E-NOBODY"),
        ("check_laws_reviewed", "maybe", "올바르게 선택해 주세요."),
    ],
)
def test_bad_input_is_shown_by_its_field_and_kept(cast: Cast, client_for, field: str, value: str, message: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for("official").post(CREATE, data(cast, **{field: value, "background": "적어 둔 배경"}))
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in e for e in form.errors[field])
    assert "적어 둔 배경" in response.content.decode()
    assert not Consultation.objects.exists()


def test_official_cannot_create_for_another_unit(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("official").post(CREATE, data(cast, unit=cast.planning.pk))
    assert response.status_code == 400
    assert not Consultation.objects.exists()


def test_another_institutions_employee_number_is_refused(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    number = cast.official_b.person.employee_number
    response = client_for("official").post(CREATE, data(cast, officials_numbers=number))
    assert response.status_code == 400
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("username", ["no_role", "head", "admin", "supervisor"])
def test_create_is_404_for_those_who_do_not_draft(cast: Cast, client_for, username: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(username).get(CREATE).status_code == 404
    assert client_for(username).post(CREATE, data(cast)).status_code == 404


def test_another_institutions_official_cannot_draft_for_our_unit(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("official_b").post(CREATE, data(cast))
    assert response.status_code == 400
    assert not Consultation.objects.exists()


def test_edit_keeps_the_unit_and_saves(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = draft(cast)
    edit = reverse("consultations:edit", kwargs={"pk": c.pk})
    client = client_for("official")
    response = client.get(edit)
    assert response.status_code == 200
    assert response.context["form"].initial["title"] == c.title
    response = client.post(edit, data(cast, title="고친 제목"))
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.title == "고친 제목"


def test_edit_error_keeps_what_was_typed(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = draft(cast)
    response = client_for("official").post(
        reverse("consultations:edit", kwargs={"pk": c.pk}), data(cast, title="", issues="새 쟁점")
    )
    assert response.status_code == 400
    assert "새 쟁점" in response.content.decode()
    c.refresh_from_db()
    assert c.issues == "연장 횟수 제한이 불분명합니다."


@pytest.mark.parametrize("username", ["official2", "aa_officer", "official_b"])
def test_edit_is_404_for_others(cast: Cast, client_for, username: str) -> None:  # type: ignore[no-untyped-def]
    c = submitted(cast)
    assert client_for(username).get(reverse("consultations:edit", kwargs={"pk": c.pk})).status_code == 404


def test_a_submitted_or_closed_request_cannot_be_edited(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for c in (submitted(cast), acted(cast)):
        edit = reverse("consultations:edit", kwargs={"pk": c.pk})
        assert client_for("official").get(edit).status_code == 404
        assert client_for("official").post(edit, data(cast)).status_code == 404
