"""The support request pages: list with filters (officer), my requests, filing and editing
forms, the case page and its POST-only actions; errors next to their fields with what was
typed kept (400), forbidden cases 404, query counts that do not grow with rows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.models import Attachment
from protection.models import SupportPayment, SupportRequest

from .factories import SupportRequestFactory, approved, file, pay, reviewed

pytestmark = pytest.mark.django_db

LIST = reverse("protection:list")
MINE = reverse("protection:mine")
CREATE = reverse("protection:create")


def url(name: str, case: SupportRequest) -> str:
    return reverse(f"protection:{name}", kwargs={"pk": case.pk})


def form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "kind": "civil_costs",
        "act_description": "도로 점용 허가 취소 처분",
        "act_date": "2026-03-02",
        "work_item_reference": "",
        "proceedings_body": "한빛지방법원",
        "proceedings_case_number": "2026가단1",
        "amount_requested": "3,000,000",
        "acquittal_final_on": "",
        "acquittal_court": "",
        "acquittal_case_number": "",
    }
    data.update(overrides)
    return data


# --- list and my requests ----------------------------------------------------------------------


def test_officer_list_filters_by_status_kind_and_year(client_for, cast) -> None:
    a = file(cast)
    b = file(cast, "official2", kind="legal_advice", amount_requested=None)
    client = client_for("protection_officer")
    page = client.get(LIST).content.decode()
    assert a.reference in page
    assert b.reference in page
    page = client.get(LIST, {"kind": "legal_advice"}).content.decode()
    assert b.reference in page
    assert a.reference not in page
    assert "신청 0건" in client.get(LIST, {"year": "2025"}).content.decode()
    assert "신청 2건" in client.get(LIST, {"status": "filed"}).content.decode()
    assert "신청 2건" in client.get(LIST, {"year": "abc"}).content.decode()  # a bad filter is ignored
    partial = client.get(LIST, {"q": "official2"}, headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode()
    assert b.reference in partial.content.decode()


@pytest.mark.parametrize("who", ["official", "aa_officer", "head", "no_role", "official_b", "aa_officer_b"])
def test_list_is_the_protection_officers_only(client_for, who) -> None:
    assert client_for(who).get(LIST).status_code == 404


def test_list_query_count_does_not_grow_with_rows(client_for, cast, django_assert_max_num_queries) -> None:
    client = client_for("protection_officer")
    SupportRequestFactory.create_batch(3, institution=cast.district)
    with django_assert_max_num_queries(12) as few:
        client.get(LIST)
    SupportRequestFactory.create_batch(30, institution=cast.district)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "신청 33건" in client.get(LIST).content.decode()


def test_my_requests_show_only_my_own(client_for, cast, django_assert_max_num_queries) -> None:
    mine = file(cast)
    theirs = file(cast, "official2")
    client = client_for("official")
    with django_assert_max_num_queries(14):
        page = client.get(MINE).content.decode()
    assert mine.reference in page
    assert theirs.reference not in page


@pytest.mark.parametrize("who", ["no_role", "head"])
def test_my_requests_need_a_staff_role(client_for, who) -> None:
    assert client_for(who).get(MINE).status_code == 404


# --- filing and editing ------------------------------------------------------------------------


def test_official_files_a_request_for_themself(client_for, cast) -> None:
    response = client_for("official").post(CREATE, form())
    case = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", case)
    assert (case.person, case.amount_requested) == (cast.official.person, 3_000_000)
    assert "person_number" not in client_for("official").get(CREATE).content.decode()


def test_officer_files_on_behalf_by_employee_number(client_for, cast) -> None:
    number = cast.official2.person.employee_number
    response = client_for("protection_officer").post(CREATE, form(person_number=number))
    assert response.status_code == 302
    assert SupportRequest.objects.get().person == cast.official2.person
    response = client_for("protection_officer").post(CREATE, form(person_number=cast.official_b.person.employee_number))
    assert response.status_code == 400
    assert "이 기관에 없는 직원번호입니다" in response.content.decode()


@pytest.mark.parametrize(
    ("amount", "message"),
    [("-5", "0원보다 커야"), ("0", "0원보다 커야"), ("많이", "숫자(원 단위)로"), ("99999999999", "너무 큽니다")],
)
def test_bad_amount_is_shown_next_to_the_field_keeping_the_input(client_for, amount, message) -> None:
    response = client_for("official").post(CREATE, form(amount_requested=amount, act_description="입력한 내용"))
    page = response.content.decode()
    assert response.status_code == 400
    assert '<div class="pa-field-errors" id="id_amount_requested_error">' in page
    assert message in page
    assert "입력한 내용" in page
    assert not SupportRequest.objects.exists()


def test_criminal_costs_without_acquittal_error_is_by_the_field(client_for) -> None:
    response = client_for("official").post(CREATE, form(kind="criminal_costs"))
    assert response.status_code == 400
    assert 'id="id_acquittal_final_on_error"' in response.content.decode()


def test_edit_form_changes_the_request(client_for, cast) -> None:
    case = file(cast)
    assert client_for("official").get(url("edit", case)).status_code == 200
    response = client_for("official").post(url("edit", case), form(amount_requested="4000000"))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.amount_requested == 4_000_000


def test_closed_case_cannot_be_edited_from_the_page(client_for, cast) -> None:
    case = approved(cast)
    client_for("protection_officer").post(url("close", case), {"close-outcome": "won"})
    response = client_for("protection_officer").get(url("edit", case))
    assert response.status_code == 302
    response = client_for("protection_officer").post(url("edit", case), form(amount_requested="1"))
    assert response.status_code == 400
    assert "종결된 건은 고칠 수 없습니다" in response.content.decode()


@pytest.mark.parametrize("who", ["official2", "aa_officer", "official_b", "aa_officer_b", "no_role"])
def test_others_cannot_open_or_edit_a_request(client_for, cast, who) -> None:
    case = file(cast)
    client = client_for(who)
    assert client.get(url("detail", case)).status_code == 404
    assert client.get(url("edit", case)).status_code == 404
    assert client.post(url("edit", case), form()).status_code == 404
    assert client.post(url("withdraw", case)).status_code == 404


# --- the case page and its actions ------------------------------------------------------------


def test_case_page_shows_headroom_payments_and_history(client_for, cast, django_assert_max_num_queries) -> None:
    case = approved(cast, amount=10_000_000)
    pay(cast, case, 4_000_000)
    client = client_for("protection_officer")
    with django_assert_max_num_queries(22):
        page = client.get(url("detail", case)).content.decode()
    assert "남은 한도 26,000,000원" in page  # per case: 30,000,000 - 4,000,000
    assert "올해 지급 4,000,000원, 남은 한도 46,000,000원" in page
    assert "법무법인 새솔" in page
    assert '<span class="pa-timeline-action">지원금 일부 지급</span>' in page
    # The applicant reads it, without the officer's forms.
    applicant = client_for("official").get(url("detail", case)).content.decode()
    assert "지급 기록" not in applicant
    assert "4,000,000" in applicant


def test_case_page_query_count_does_not_grow_with_payments(client_for, cast, django_assert_max_num_queries) -> None:
    case = approved(cast, amount=10_000_000)
    pay(cast, case, 1_000)
    client = client_for("protection_officer")
    with django_assert_max_num_queries(30) as few:
        client.get(url("detail", case))
    for _ in range(10):
        pay(cast, case, 1_000)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "지급 11건" in client.get(url("detail", case)).content.decode()


def test_officer_reviews_decides_pays_and_closes_through_the_page(client_for, cast) -> None:
    case = file(cast)
    client = client_for("protection_officer")
    assert client.post(url("review", case)).status_code == 302
    response = client.post(url("decide", case), {"decide-decision": "approve", "decide-amount_approved": "2,000,000"})
    assert response.status_code == 302
    response = client.post(
        url("payment_add", case), {"pay-paid_on": "2026-06-15", "pay-amount": "2000000", "pay-payee": "법무법인"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.amount_paid) == ("paid", 2_000_000)
    assert client.post(url("close", case), {"close-outcome": "won"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"


def test_payment_over_the_limit_is_shown_on_the_case_page_keeping_the_input(client_for, cast) -> None:
    case = approved(cast, amount=2_000_000)
    response = client_for("protection_officer").post(
        url("payment_add", case),
        {"pay-paid_on": "2026-06-15", "pay-amount": "2,500,000", "pay-payee": "입력한 변호사"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_pay-amount_error"' in page
    assert "결정 금액의 남은 금액(2,000,000원)" in page
    assert 'value="입력한 변호사"' in page
    assert not SupportPayment.objects.exists()


def test_rejection_without_a_reason_is_an_error_by_the_note(client_for, cast) -> None:
    case = reviewed(cast)
    response = client_for("protection_officer").post(url("decide", case), {"decide-decision": "reject"})
    assert response.status_code == 400
    assert 'id="id_decide-note_error"' in response.content.decode()


def test_a_refused_transition_is_an_error_not_a_crash(client_for, cast) -> None:
    case = approved(cast)
    response = client_for("protection_officer").post(url("review", case))
    assert response.status_code == 400
    assert "검토 시작" in response.content.decode()


def test_applicant_withdraws_from_the_page(client_for, cast) -> None:
    case = file(cast)
    assert client_for("official").post(url("withdraw", case)).status_code == 302
    case.refresh_from_db()
    assert case.status == "withdrawn"


@pytest.mark.parametrize("name", ["review", "decide", "payment_add", "close"])
def test_officer_actions_are_refused_to_the_applicant(client_for, cast, name) -> None:
    case = approved(cast) if name in {"payment_add", "close"} else file(cast)
    assert client_for("official").post(url(name, case), {}).status_code == 404


@pytest.mark.parametrize("name", ["review", "decide", "payment_add", "close", "withdraw", "attach"])
def test_actions_answer_405_to_get(client_for, cast, name) -> None:
    case = file(cast)
    assert client_for("protection_officer").get(url(name, case)).status_code == 405


def test_evidence_is_attached_and_listed(client_for, cast) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = file(cast)
    upload = SimpleUploadedFile("판결문.txt", "무죄 판결".encode(), content_type="text/plain")
    response = client_for("official").post(url("attach", case), {"file": upload})
    assert response.status_code == 302
    assert Attachment.objects.get().filename == "판결문.txt"
    assert "판결문.txt" in client_for("protection_officer").get(url("detail", case)).content.decode()
    assert client_for("official2").post(url("attach", case), {"file": upload}).status_code == 404


def test_anonymous_is_sent_to_login(client, cast) -> None:
    case = file(cast)
    response = client.get(url("detail", case))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_missing_request_is_404(client_for) -> None:
    assert client_for("protection_officer").get(reverse("protection:detail", kwargs={"pk": 999999})).status_code == 404
