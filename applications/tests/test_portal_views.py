from __future__ import annotations

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from applications import services
from applications.models import Application
from applications.tests.factories import actor, reviewing, submit
from consultations.tests.factories import under_review
from portal.tests.public_helpers import code_of, public_client, receipt_once_then_tick, token_of
from reports import receipts
from tests.cast import Cast

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.78"
AGENT = "PrivacyProbe/9.9 (Unique-Agent-a9c1)"


def public() -> Client:
    return public_client(ADDRESS, AGENT)


def form_data(client: Client, cast: Cast, **extra: object) -> dict[str, object]:
    page = client.get(reverse("portal_applications:new"), {"institution": cast.district.pk})
    assert page.status_code == 200
    data: dict[str, object] = {
        "form_token": token_of(page),
        "institution": cast.district.pk,
        "unit_name": "건축과",
        "refused_request": "옥상 온실 설치 신고",
        "refusal_reason": "증축으로 볼지 기준이 없음",
        "request": "설비로 보아 신고를 받아 주십시오.",
        "applicant_name": "김하늘",
        "applicant_email": "sky@example.com",
    }
    data.update(extra)
    return data


def test_start_explains_and_searches_institutions(cast: Cast) -> None:
    client = public()
    page = client.get(reverse("portal_applications:start"), {"q": "새솔"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "새솔구에 신청하기" in body
    assert "예시" in body
    assert "다온구" not in body
    partial = client.get(reverse("portal_applications:start"), {"q": "다온"}, HTTP_HX_REQUEST="true")
    assert "다온구에 신청하기" in partial.content.decode()
    assert "<html" not in partial.content.decode()
    nothing = client.get(reverse("portal_applications:start"), {"q": "없음"})
    assert "이름이 맞는 기관이 없습니다" in nothing.content.decode()


def test_institution_search_is_bounded(cast: Cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import InstitutionFactory

    for i in range(30):
        InstitutionFactory(code=f"X{i}", name=f"테스트시 {i}")
    with django_assert_max_num_queries(5):
        page = public().get(reverse("portal_applications:start"), {"q": "테스트"})
    assert page.content.decode().count("에 신청하기") == 20


@pytest.mark.parametrize("value", ["", "²", "-1", "9" * 30, "999999"])
def test_form_without_a_valid_institution_goes_back_to_picker(cast: Cast, value: str) -> None:
    response = public().get(reverse("portal_applications:new"), {"institution": value})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal_applications:start")


def test_submit_shows_receipt_once_then_requires_tick(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast)
    application, _code = receipt_once_then_tick(client, "portal_applications", Application, data)
    assert application.unit == cast.building
    assert services.pending_receipt(str(data["form_token"])) is None
    assert client.get(reverse("portal_applications:confirm_receipt")).status_code == 405
    stale = client.post(reverse("portal_applications:confirm_receipt"), {"form_token": "forged"})
    assert stale.status_code == 302


def test_bad_input_keeps_what_was_typed_and_shows_errors_by_the_fields(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast, refused_request="", law="도로법 제61조", applicant_email="")
    body = client.post(reverse("portal_applications:new"), data).content.decode()
    assert Application.objects.count() == 0
    assert 'id="id_refused_request_error"' in body
    assert "도로법 제61조" in body
    assert "김하늘" in body
    data = form_data(client, cast, applicant_email="", applicant_phone="")
    body = client.post(reverse("portal_applications:new"), data).content.decode()
    assert "답변을 받을 전자우편이나 전화번호" in body
    assert 'id="id_applicant_email_error"' in body
    data = form_data(client, cast, applicant_email="not-an-address")
    assert "form-hint-invalid" in client.post(reverse("portal_applications:new"), data).content.decode()
    data = form_data(client, cast, request="가" * 10_001)
    assert "form-hint-invalid" in client.post(reverse("portal_applications:new"), data).content.decode()
    data = form_data(client, cast, institution="²")
    body = client.post(reverse("portal_applications:new"), data).content.decode()
    assert "신청할 기관을 찾아 선택해 주십시오" in body
    assert Application.objects.count() == 0


def test_files_checked_and_limited(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast)
    data["attachments"] = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(reverse("portal_applications:new"), data)
    assert response.status_code == 200
    assert "form-hint-invalid" in response.content.decode()
    data = form_data(client, cast)
    data["attachments"] = [SimpleUploadedFile(f"{i}.txt", b"x", content_type="text/plain") for i in range(6)]
    response = client.post(reverse("portal_applications:new"), data)
    assert "5개까지" in response.content.decode()
    assert Application.objects.count() == 0


def test_scripts_shown_as_text(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = public()
    script = "<script>alert('x')</script>"
    client.post(reverse("portal_applications:new"), form_data(client, cast, refused_request=script, law=script))
    application = Application.objects.get()
    body = client_for("aa_officer").get(application.get_absolute_url()).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body


def test_follow_shows_plain_status_due_date_extension_and_answer(cast: Cast) -> None:
    application, code = submit(cast.district)
    client = public()
    body = client.post(reverse("portal:follow"), {"receipt": receipts.display(code)}).content.decode()
    assert "신청 처리 상황" in body
    assert "접수되어" in body
    officer = actor(cast, "aa_officer")
    application = services.start(actor=officer, application=application)
    services.refer_consultation(actor=officer, application=application, consultation=under_review(cast))
    services.extend(actor=officer, application=application, working_days=5, reason="사전컨설팅 의견을 기다립니다")
    body = client.post(reverse("portal:follow"), {"receipt": code}).content.decode()
    assert "사전컨설팅 중" in body
    assert "사전컨설팅 의견을 기다립니다" in body
    due_on, _reason = services.extension_notice(application)
    assert due_on is not None
    assert due_on.isoformat() in body
    application = services.resume(actor=officer, application=application)
    application = services.refer_committee(actor=officer, application=application)
    assert "위원회 심의 중" in client.post(reverse("portal:follow"), {"receipt": code}).content.decode()
    application = services.resume(actor=officer, application=application)
    services.answer(actor=officer, application=application, decision="partly", answer="일부 받아들입니다.")
    body = client.post(reverse("portal:follow"), {"receipt": code}).content.decode()
    assert "일부 수용" in body
    assert "일부 받아들입니다." in body
    assert "연장 사유" not in body


def test_wrong_receipt_answers_like_a_missing_one(cast: Cast) -> None:
    reviewing(cast)
    body = public().post(reverse("portal:follow"), {"receipt": "0" * 20}).content.decode()
    assert "접수증 번호를 확인할 수 없습니다" in body


def test_database_holds_no_address_agent_or_identifier(cast: Cast) -> None:
    client = public()
    for _ in range(2):
        data = form_data(client, cast)
        data["attachments"] = SimpleUploadedFile("e.txt", "거부 통지".encode(), content_type="text/plain")
        response = client.post(reverse("portal_applications:new"), data)
        client.post(reverse("portal_applications:confirm_receipt"), {"form_token": data["form_token"], "saved": "on"})
        client.post(reverse("portal:follow"), {"receipt": code_of(response)})
        client.post(reverse("portal:follow"), {"receipt": "9" * 20})
    assert Application.objects.count() == 2
    needles = [
        ADDRESS,
        AGENT,
        "PrivacyProbe",
        "Unique-Agent-a9c1",
        receipts.client_key(type("R", (), {"META": {"REMOTE_ADDR": ADDRESS}})()),  # type: ignore[arg-type]
    ]
    found: list[str] = []
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            if model._meta.db_table not in tables:  # an app still without its migration
                continue
            columns = [
                f.column
                for f in model._meta.local_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField | models.GenericIPAddressField)
            ]
            for column in columns:
                for needle in needles:
                    cursor.execute(
                        f'SELECT COUNT(*) FROM "{model._meta.db_table}" WHERE CAST("{column}" AS TEXT) LIKE %s',  # noqa: S608
                        [f"%{needle}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{model._meta.db_table}.{column}: {needle}")
    assert found == []
    from django.contrib.sessions.models import Session

    assert Session.objects.count() == 0
