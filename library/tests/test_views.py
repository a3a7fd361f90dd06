"""The library's office pages: who sees what (404 for the rest), the form keeps what was
typed on an error, the actions and pictures, bounded list queries."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from core.tests import filefactory as ff
from library.models import BestPractice
from library.tests.factories import BestPracticeFactory, in_review, published, write
from tests.cast import Cast

ClientFor = Callable[[str], Client]
S = BestPractice.Status


def form_data(**values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "주차장 공유 사업",
        "unit": "",
        "policy_field": "urban",
        "year": "2025",
        "problem": "주차난",
        "action": "야간 개방",
        "result": "주차면 확보",
        "rule_improved": "",
        "beneficiaries": "",
        "officials_numbers": "",
        "work_item_reference": "",
    }
    data.update(values)
    return data


# --- Lists ----------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["official", "dept_head", "aa_officer", "hr_officer"])
def test_the_list_answers_the_library_roles(cast: Cast, client_for: ClientFor, username: str) -> None:
    assert client_for(username).get(reverse("library:list")).status_code == 200


@pytest.mark.parametrize("username", ["no_role", "head", "admin", "supervisor"])
def test_the_list_is_refused_to_other_roles(cast: Cast, client_for: ClientFor, username: str) -> None:
    assert client_for(username).get(reverse("library:list")).status_code == 404


def test_anonymous_is_sent_to_log_in(cast: Cast) -> None:
    response = Client().get(reverse("library:list"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_my_cases_and_the_queue(cast: Cast, client_for: ClientFor) -> None:
    mine = write(cast, title="내 초안")
    waiting = in_review(cast, user=cast.official2, title="검토 대기 사례")
    other = write(cast, user=cast.official2, title="남의 초안")
    page = client_for("official").get(reverse("library:list")).content.decode()
    assert mine.title in page
    assert waiting.title not in page
    assert other.title not in page
    queue = client_for("aa_officer").get(reverse("library:queue")).content.decode()
    assert waiting.title in queue
    assert mine.title not in queue
    assert other.title not in queue
    assert client_for("official").get(reverse("library:queue")).status_code == 404


def test_the_list_is_paginated_with_bounded_queries(
    cast: Cast, client_for: ClientFor, django_assert_max_num_queries: object
) -> None:
    client = client_for("aa_officer")
    client.get(reverse("library:list"))
    for _ in range(40):
        BestPracticeFactory(unit=cast.building, author=cast.official)
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        response = client.get(reverse("library:list") + "?scope=all")
    assert response.status_code == 200
    page = response.context["page_obj"]  # a keyset page (ADR 0029)
    assert len(page.object_list) == 30
    assert (page.count, page.has_next) == (40, True)


def test_htmx_gets_the_results_only(cast: Cast, client_for: ClientFor) -> None:
    write(cast)
    response = client_for("official").get(reverse("library:list"), headers={"HX-Request": "true"})
    assert b"<html" not in response.content
    assert "주차장 공유 사업" in response.content.decode()


# --- The form -------------------------------------------------------------------------


def test_an_official_writes_a_case(cast: Cast, client_for: ClientFor) -> None:
    client = client_for("official")
    assert client.get(reverse("library:create")).status_code == 200
    response = client.post(
        reverse("library:create"),
        form_data(unit=cast.building.pk, officials_numbers=cast.official.person.employee_number),
    )
    case = BestPractice.objects.get()
    assert response.status_code == 302
    assert response["Location"] == case.get_absolute_url()
    assert case.author == cast.official
    assert list(case.officials.all()) == [cast.official.person]


def test_bad_input_keeps_what_was_typed(cast: Cast, client_for: ClientFor) -> None:
    response = client_for("official").post(
        reverse("library:create"),
        form_data(
            title="",
            unit=cast.building.pk,
            year="1800",
            problem="<script>alert(1)</script>",
            officials_numbers="E-NOBODY",
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"title", "year", "officials_numbers"}
    page = response.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page
    assert "E-NOBODY" in page
    assert not BestPractice.objects.exists()


def test_another_institutions_unit_cannot_be_chosen(cast: Cast, client_for: ClientFor) -> None:
    response = client_for("official").post(reverse("library:create"), form_data(unit=cast.other_unit.pk))
    assert response.status_code == 400
    assert "unit" in response.context["form"].errors


@pytest.mark.parametrize("username", ["aa_officer", "head", "no_role"])
def test_only_writers_open_the_form(cast: Cast, client_for: ClientFor, username: str) -> None:
    if username == "aa_officer":  # an official as well
        assert client_for(username).get(reverse("library:create")).status_code == 200
    else:
        assert client_for(username).get(reverse("library:create")).status_code == 404


def test_the_author_edits_a_draft_only(cast: Cast, client_for: ClientFor) -> None:
    case = write(cast)
    url = reverse("library:edit", kwargs={"pk": case.pk})
    client = client_for("official")
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(unit=cast.building.pk, title="고친 제목"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "고친 제목"
    assert client_for("official2").get(url).status_code == 404
    assert client_for("aa_officer").get(url).status_code == 404
    assert client_for("official_b").get(url).status_code == 404


def test_a_case_in_review_has_no_edit_page(cast: Cast, client_for: ClientFor) -> None:
    case = in_review(cast)
    assert client_for("official").get(reverse("library:edit", kwargs={"pk": case.pk})).status_code == 404


# --- The case's page ------------------------------------------------------------------


def test_who_sees_a_draft_and_a_case_in_review(cast: Cast, client_for: ClientFor) -> None:
    draft = write(cast)
    url = reverse("library:detail", kwargs={"pk": draft.pk})
    assert client_for("official").get(url).status_code == 200
    for username in ("official2", "aa_officer", "hr_officer", "aa_officer_b"):
        assert client_for(username).get(url).status_code == 404, username
    case = in_review(cast)
    url = reverse("library:detail", kwargs={"pk": case.pk})
    for username in ("official", "aa_officer", "hr_officer"):
        assert client_for(username).get(url).status_code == 200, username
    for username in ("official2", "aa_officer_b", "official_b"):
        assert client_for(username).get(url).status_code == 404, username
    assert client_for("official").get(reverse("library:detail", kwargs={"pk": 999999})).status_code == 404


def test_a_published_case_is_seen_by_the_institutions_staff(cast: Cast, client_for: ClientFor) -> None:
    case = published(cast)
    url = reverse("library:detail", kwargs={"pk": case.pk})
    assert client_for("official2").get(url).status_code == 200
    assert client_for("official_b").get(url).status_code == 404


def test_submit_publish_through_the_page(cast: Cast, client_for: ClientFor) -> None:
    case = write(cast)
    response = client_for("official").post(reverse("library:act", kwargs={"pk": case.pk, "action": "submit"}))
    assert response.status_code == 302
    reviewer = client_for("aa_officer")
    page = reviewer.get(case.get_absolute_url()).content.decode()
    assert "승인하고 공개" in page
    assert "보완 요청" in page
    response = reviewer.post(reverse("library:act", kwargs={"pk": case.pk, "action": "publish"}))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.PUBLISHED


def test_return_without_a_reason_shows_the_error_in_its_form(cast: Cast, client_for: ClientFor) -> None:
    case = in_review(cast)
    url = reverse("library:act", kwargs={"pk": case.pk, "action": "return"})
    response = client_for("aa_officer").post(url, {"return-reason": ""})
    assert response.status_code == 400
    assert response.context["actions"][[a["action"].name for a in response.context["actions"]].index("return")]["open"]
    response = client_for("aa_officer").post(url, {"return-reason": "보완해 주십시오."})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.DRAFT
    assert "보완해 주십시오." in client_for("official").get(case.get_absolute_url()).content.decode()


def test_an_action_not_open_to_the_user_is_refused_above_the_page(cast: Cast, client_for: ClientFor) -> None:
    case = in_review(cast)
    response = client_for("official").post(reverse("library:act", kwargs={"pk": case.pk, "action": "publish"}))
    assert response.status_code == 400
    assert response.context["refused"]
    case.refresh_from_db()
    assert case.status == S.IN_REVIEW
    response = client_for("official").post(reverse("library:act", kwargs={"pk": case.pk, "action": "nonsense"}))
    assert response.status_code == 404


def test_pictures_on_the_page(cast: Cast, client_for: ClientFor) -> None:
    case = write(cast)
    client = client_for("official")
    url = reverse("library:image_add", kwargs={"pk": case.pk})
    response = client.post(url, {"file": ff.upload("현장.png", ff.image("PNG"), "image/png")})
    assert response.status_code == 302
    response = client.post(url, {"file": ff.upload("문서.pdf", ff.pdf(), "application/pdf")})
    assert response.status_code == 400
    assert "사진(PNG·JPEG·GIF·WebP)만" in response.content.decode()
    image = case_images(case)[0]
    page = client.get(case.get_absolute_url()).content.decode()
    assert reverse("core:attachment_download", args=[image.pk]) in page
    assert client.get(reverse("core:attachment_download", args=[image.pk]) + "?copy=clean").status_code == 200
    assert client_for("official2").get(reverse("core:attachment_download", args=[image.pk])).status_code == 404
    assert (
        client_for("official2")
        .post(reverse("library:image_remove", kwargs={"pk": case.pk, "image_pk": image.pk}))
        .status_code
        == 404
    )
    response = client.post(reverse("library:image_remove", kwargs={"pk": case.pk, "image_pk": image.pk}))
    assert response.status_code == 302
    assert case_images(case) == []


def case_images(case: BestPractice) -> list[object]:
    from library.services import images_of

    return list(images_of(case))
