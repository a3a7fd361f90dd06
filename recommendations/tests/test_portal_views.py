from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from core.access import actor_for
from portal.tests.public_helpers import code_of, public_client, receipt_once_then_tick, ticket_of, token_of
from recommendations import services
from recommendations.models import Recommendation
from recommendations.tests.factories import submit
from reports import receipts
from tests.cast import Cast

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.78"
AGENT = "PrivacyProbe/9.9 (Unique-Agent-4c1d)"


def public() -> Client:
    return public_client(ADDRESS, AGENT)


def form_data(client: Client, cast: Cast, **extra: object) -> dict[str, object]:
    page = client.get(reverse("portal_recommendations:new"), {"institution": cast.district.pk})
    assert page.status_code == 200
    data: dict[str, object] = {
        "form_token": token_of(page),
        "institution": cast.district.pk,
        "nominee_kind": "person",
        "nominee_name": "최유진",
        "unit_name": "건축과",
        "what": "노후 주택을 주말에 점검하고 긴급 보수를 연결했습니다.",
        "effect": "12가구가 장마 전에 보수를 마쳤습니다.",
        "recommender_name": "서다온",
        "recommender_email": "daon@example.com",
    }
    data.update(extra)
    return data


def test_start_explains_courtesy_is_not_enough_and_searches(cast: Cast) -> None:
    client = public()
    page = client.get(reverse("portal_recommendations:start"), {"q": "새솔"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "친절·감사 인사만으로는 추천 대상이 되기 어렵습니다" in body
    assert "새솔구 공무원 추천하기" in body
    assert "다온구" not in body
    partial = client.get(reverse("portal_recommendations:start"), {"q": "다온"}, HTTP_HX_REQUEST="true")
    assert "다온구 공무원 추천하기" in partial.content.decode()
    assert "<html" not in partial.content.decode()
    assert client.get(reverse("portal_recommendations:start"), {"q": "가" * 500}).status_code == 200
    chosen = client.get(reverse("portal_recommendations:start"), {"institution": cast.district.pk})
    assert chosen.status_code == 302
    assert chosen["Location"] == f"{reverse('portal_recommendations:new')}?institution={cast.district.pk}"
    assert client.get(reverse("portal_recommendations:start"), {"institution": "²"}).status_code == 200


@pytest.mark.parametrize("value", ["", "²", "-1", "1" * 30, "999999"])
def test_form_without_a_valid_institution_goes_back_to_picker(cast: Cast, value: str) -> None:
    response = public().get(reverse("portal_recommendations:new"), {"institution": value})
    assert response.status_code == 302
    assert response["Location"] == reverse("portal_recommendations:start")


def test_submit_shows_receipt_once_then_requires_tick(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast)
    rec, _code = receipt_once_then_tick(client, "portal_recommendations", Recommendation, data)
    assert rec.unit == cast.building
    assert services.pending_receipt(str(data["form_token"])) is None
    forged = client.post(reverse("portal_recommendations:confirm_receipt"), {"form_token": "forged"})
    assert forged.status_code == 302


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ({"recommender_name": ""}, "추천인 성명이 필요합니다"),
        ({"recommender_email": "", "recommender_phone": ""}, "전자우편이나 전화번호 중 하나는"),
        ({"nominee_name": ""}, "이름이나 팀 이름을 입력해 주십시오"),
        ({"what": ""}, "한 일을 입력해 주십시오"),
        ({"effect": "   "}, "나아진 점(효과)을 입력해 주십시오"),
        ({"recommender_email": "not-an-address"}, "form-hint-invalid"),
        ({"what": "가" * 10_001}, "form-hint-invalid"),
        ({"nominee_kind": "alien"}, "form-hint-invalid"),
    ],
)
def test_bad_input_keeps_what_was_typed(cast: Cast, missing: dict[str, str], message: str) -> None:
    client = public()
    data = form_data(client, cast, period="2026년 봄", **missing)
    response = client.post(reverse("portal_recommendations:new"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert Recommendation.objects.count() == 0
    assert message in body
    assert "2026년 봄" in body
    assert "새솔구" in body  # the institution is still named


def test_bad_or_missing_institution_on_post_never_500(cast: Cast) -> None:
    client = Client(raise_request_exception=False)
    data = form_data(client, cast, institution="²")
    response = client.post(reverse("portal_recommendations:new"), data)
    assert response.status_code == 200
    assert "기관을 찾아 선택해 주십시오" in response.content.decode()
    expired = client.post(reverse("portal_recommendations:new"), form_data(client, cast, form_token="x"))
    assert "작성 화면이 만료되었습니다" in expired.content.decode()
    assert Recommendation.objects.count() == 0


def test_disguised_file_and_too_many_files_refused_in_form(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast)
    data["attachments"] = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(reverse("portal_recommendations:new"), data)
    assert response.status_code == 200
    assert "form-hint-invalid" in response.content.decode()
    data = form_data(client, cast)
    data["attachments"] = [SimpleUploadedFile(f"{i}.txt", b"evidence") for i in range(6)]
    response = client.post(reverse("portal_recommendations:new"), data)
    assert "5개까지" in response.content.decode()
    assert Recommendation.objects.count() == 0


def test_scripts_shown_as_text_on_the_status_page(cast: Cast) -> None:
    script = "<script>alert('x')</script>"
    _rec, code = submit(cast.district, nominee_name=script, unit_name=script)
    body = public().post(reverse("portal:follow"), {"receipt": code}).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body


def test_follow_question_answer_with_file_and_decision(cast: Cast) -> None:
    rec, code = submit(cast.district)
    officer = actor_for(cast.aa_officer)
    client = public()
    page = client.post(reverse("portal:follow"), {"receipt": receipts.display(code)}).content.decode()
    assert "추천 처리 상황" in page
    assert "질문에 답하기" not in page
    services.start(actor=officer, rec=rec)
    services.ask(actor=officer, rec=rec, question="점검 날짜를 아시나요?")
    page = client.post(reverse("portal:follow"), {"receipt": code}).content.decode()
    assert "점검 날짜를 아시나요?" in page
    assert "질문에 답하기" in page
    ticket = ticket_of(page)
    empty = client.post(reverse("portal_recommendations:follow_answer"), {"ticket": ticket, "body": ""})
    assert "form-hint-invalid" in empty.content.decode()
    proof = SimpleUploadedFile("사진 설명.txt", "6월 1일".encode(), content_type="text/plain")
    sent = client.post(
        reverse("portal_recommendations:follow_answer"),
        {"ticket": ticket, "body": "6월 1일입니다.", "attachments": proof},
    )
    body = sent.content.decode()
    assert "답변을 보냈습니다" in body
    assert "6월 1일입니다." in body
    assert "질문에 답하기" not in body
    rec.refresh_from_db()
    assert rec.status == "verifying"
    file_pk = re.search(r'name="file" value="(\d+)"', body).group(1)  # type: ignore[union-attr]
    download = client.post(reverse("portal_recommendations:follow_file"), {"ticket": ticket, "file": file_pk})
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == "6월 1일".encode()
    # a second answer without a question is not accepted
    late = client.post(reverse("portal_recommendations:follow_answer"), {"ticket": ticket, "body": "또"})
    assert late.status_code == 200
    assert "답변을 기다리는 질문이 없어" in late.content.decode()
    assert rec.messages.count() == 2
    services.verify(actor=officer, rec=rec, reason="점검 기록으로 확인했습니다.", person=cast.official.person)
    page = client.post(reverse("portal:follow"), {"receipt": code}).content.decode()
    assert "점검 기록으로 확인했습니다." in page
    assert "확인 완료(포상 후보)" in page
    assert str(cast.official.person.employee_number) not in page


@pytest.mark.parametrize("value", ["²", "٣", "-1", "1" * 30, "999999"])
def test_wrong_ticket_or_file_is_404(cast: Cast, value: str) -> None:
    rec, code = submit(cast.district)
    other, _other_code = submit(cast.district)
    officer = actor_for(cast.aa_officer)
    for r in (rec, other):
        services.start(actor=officer, rec=r)
        services.ask(actor=officer, rec=r, question="?")
    services.answer(rec=other, body="x", uploads=[SimpleUploadedFile("o.txt", b"other", content_type="text/plain")])
    client = Client(raise_request_exception=False, REMOTE_ADDR=ADDRESS)
    page = client.post(reverse("portal:follow"), {"receipt": code}).content.decode()
    ticket = ticket_of(page)
    assert (
        client.post(reverse("portal_recommendations:follow_file"), {"ticket": ticket, "file": value}).status_code == 404
    )
    other_file = other.messages.get(direction="from_recommender")
    from core.files import attachments_for

    stranger = attachments_for(other_file).get()
    assert (
        client.post(
            reverse("portal_recommendations:follow_file"), {"ticket": ticket, "file": str(stranger.pk)}
        ).status_code
        == 404
    )
    for bad in ("bad", "", value):
        assert (
            client.post(reverse("portal_recommendations:follow_answer"), {"ticket": bad, "body": "x"}).status_code
            == 404
        )
        assert (
            client.post(reverse("portal_recommendations:follow_file"), {"ticket": bad, "file": "1"}).status_code == 404
        )
    assert client.get(reverse("portal_recommendations:follow_answer")).status_code == 405


def test_database_holds_no_address_agent_or_identifier(cast: Cast) -> None:
    client = public()
    officer = actor_for(cast.aa_officer)
    for _ in range(2):
        data = form_data(client, cast)
        data["attachments"] = SimpleUploadedFile("e.txt", "증거".encode(), content_type="text/plain")
        response = client.post(reverse("portal_recommendations:new"), data)
        client.post(
            reverse("portal_recommendations:confirm_receipt"), {"form_token": data["form_token"], "saved": "on"}
        )
        code = code_of(response)
        rec = Recommendation.objects.order_by("-pk").first()
        assert rec is not None
        services.start(actor=officer, rec=rec)
        services.ask(actor=officer, rec=rec, question="자료가 더 있나요?")
        page = client.post(reverse("portal:follow"), {"receipt": code}).content.decode()
        client.post(reverse("portal_recommendations:follow_answer"), {"ticket": ticket_of(page), "body": "없습니다"})
        client.post(reverse("portal:follow"), {"receipt": "9" * 20})
    assert Recommendation.objects.count() == 2
    needles = [
        ADDRESS,
        AGENT,
        "PrivacyProbe",
        "Unique-Agent-4c1d",
        receipts.client_key(type("R", (), {"META": {"REMOTE_ADDR": ADDRESS}})()),  # type: ignore[arg-type]
    ]
    found: list[str] = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
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
