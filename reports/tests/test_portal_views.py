from __future__ import annotations

import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.test import Client
from django.urls import reverse

from core.models import AuditEntry
from portal.tests.public_helpers import code_of, public_client, receipt_once_then_tick, token_of
from reports import receipts, services
from reports.models import Report
from reports.tests.factories import submit
from tests.cast import Cast

pytestmark = pytest.mark.django_db
ADDRESS = "203.0.113.77"
AGENT = "PrivacyProbe/9.9 (Unique-Agent-7f3a)"


def public() -> Client:
    return public_client(ADDRESS, AGENT)


def form_data(client: Client, cast: Cast, **extra: str) -> dict[str, object]:
    page = client.get(reverse("portal_reports:new"), {"institution": cast.district.pk})
    assert page.status_code == 200
    data: dict[str, object] = {
        "form_token": token_of(page),
        "institution": cast.district.pk,
        "kind": "neglect",
        "what": "민원을 석 달째 처리하지 않습니다.",
        "anonymous": "1",
    }
    data.update(extra)
    return data


def test_start_searches_institutions_server_side_and_htmx(cast: Cast) -> None:
    client = public()
    page = client.get(reverse("portal_reports:start"), {"q": "새솔"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "새솔구에 신고하기" in body
    assert "112" in body
    assert "다온구" not in body
    partial = client.get(reverse("portal_reports:start"), {"q": "다온"}, HTTP_HX_REQUEST="true")
    assert "다온구에 신고하기" in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_institution_search_is_bounded(cast: Cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import InstitutionFactory

    for i in range(30):
        InstitutionFactory(code=f"X{i}", name=f"테스트시 {i}")
    with django_assert_max_num_queries(5):
        page = public().get(reverse("portal_reports:start"), {"q": "테스트"})
    assert page.content.decode().count("에 신고하기") == 20


def test_form_without_institution_goes_back_to_picker(cast: Cast) -> None:
    assert public().get(reverse("portal_reports:new")).status_code == 302


def test_submit_shows_receipt_once_then_requires_tick(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast)
    receipt_once_then_tick(client, "portal_reports", Report, data)
    assert services.pending_receipt(str(data["form_token"])) is None


def test_bad_input_keeps_what_was_typed(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast, what="", place="시청 민원실", anonymous="0", reporter_name="홍길동")
    response = client.post(reverse("portal_reports:new"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert Report.objects.count() == 0
    assert "시청 민원실" in body
    assert "홍길동" in body
    data = form_data(client, cast, anonymous="0", reporter_name="홍길동")
    body = client.post(reverse("portal_reports:new"), data).content.decode()
    assert "연락받을 전자우편이나 전화번호" in body


def test_disguised_file_refused_in_form(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast)
    data["attachments"] = SimpleUploadedFile("scan.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client.post(reverse("portal_reports:new"), data)
    assert response.status_code == 200
    assert Report.objects.count() == 0
    assert "form-hint-invalid" in response.content.decode()


def test_scripts_shown_as_text(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = public()
    script = "<script>alert('x')</script><b>굵게</b>"
    data = form_data(client, cast, what=script, place=script, harm=script)
    client.post(reverse("portal_reports:new"), data)
    report = Report.objects.get()
    body = client_for("aa_officer").get(report.get_absolute_url()).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body


def test_follow_status_message_file_and_review(cast: Cast) -> None:
    from core.access import actor_for

    report, code = submit(cast.district)
    officer = actor_for(cast.aa_officer)
    services.investigate(actor=officer, report=report)
    services.add_note(actor=officer, report=report, body="내부에서만 보는 메모")
    upload = SimpleUploadedFile("answer.txt", "답변 자료".encode(), content_type="text/plain")
    services.send_message(actor=officer, report=report, body="추가 자료를 보내 주십시오.", uploads=[upload])
    client = public()
    page = client.post(reverse("portal:follow"), {"receipt": receipts.display(code)})
    body = page.content.decode()
    assert "추가 자료를 보내 주십시오." in body
    assert "내부에서만 보는 메모" not in body
    assert "재검토 요청" not in body  # only after closing
    ticket = re.search(r'name="ticket" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    file_pk = re.search(r'name="file" value="(\d+)"', body).group(1)  # type: ignore[union-attr]
    download = client.post(reverse("portal_reports:follow_file"), {"ticket": ticket, "file": file_pk})
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(download.streaming_content) == "답변 자료".encode()
    assert client.post(reverse("portal_reports:follow_file"), {"ticket": "bad", "file": file_pk}).status_code == 404
    reply = SimpleUploadedFile("reply.txt", "보냅니다".encode(), content_type="text/plain")
    token = token_of(page)
    sent = client.post(
        reverse("portal_reports:follow_message"),
        {"ticket": ticket, "form_token": token, "body": "보냈습니다", "attachments": reply},
    )
    assert "메시지를 보냈습니다" in sent.content.decode()
    assert report.messages.filter(direction="from_reporter").count() == 1
    assert token_of(sent) != token  # the next message has a form of its own
    empty = client.post(reverse("portal_reports:follow_message"), {"ticket": ticket, "form_token": token, "body": ""})
    assert "form-hint-invalid" in empty.content.decode()
    services.close(
        actor=officer,
        report=report,
        outcome="corrected",
        result_text="바로잡았습니다.",
        officials=[cast.official.person],
    )
    page = client.post(reverse("portal:follow"), {"receipt": code})
    assert "바로잡았습니다." in page.content.decode()
    assert "재검토를 요청하는 이유" in page.content.decode()
    reviewed = client.post(reverse("portal_reports:follow_review"), {"ticket": ticket, "reason": "동의하지 않습니다"})
    assert "재검토를 요청했습니다" in reviewed.content.decode()
    report.refresh_from_db()
    assert report.status == "review_requested"


def test_wrong_receipt_gives_no_hint_and_is_rate_limited(cast: Cast) -> None:
    _report, code = submit(cast.district)
    client = public()
    wrong = client.post(reverse("portal:follow"), {"receipt": "0" * 20}).content.decode()
    malformed = client.post(reverse("portal:follow"), {"receipt": "12"}).content.decode()
    message = "접수증 번호를 확인할 수 없습니다"
    assert message in wrong
    assert message in malformed
    for _ in range(receipts.CLIENT_LIMIT):
        client.post(reverse("portal:follow"), {"receipt": "1" * 20})
    locked = client.post(reverse("portal:follow"), {"receipt": code}).content.decode()
    assert "시도가 너무 많습니다" in locked
    assert "처리 상황" not in locked.split("<main")[-1][:0]
    assert AuditEntry.objects.filter(action=receipts.AUDIT_ACTION).count() == 1
    other = Client(REMOTE_ADDR="198.51.100.1")
    assert "신고 내용" in other.post(reverse("portal:follow"), {"receipt": code}).content.decode()


def test_database_holds_no_address_agent_or_identifier(cast: Cast) -> None:
    client = public()
    for _ in range(2):
        data = form_data(client, cast)
        data["attachments"] = SimpleUploadedFile("e.txt", "증거".encode(), content_type="text/plain")
        response = client.post(reverse("portal_reports:new"), data)
        client.post(reverse("portal_reports:confirm_receipt"), {"form_token": data["form_token"], "saved": "on"})
        code = code_of(response)
        found = client.post(reverse("portal:follow"), {"receipt": code})
        ticket = re.search(r'name="ticket" value="([^"]+)"', found.content.decode()).group(1)  # type: ignore[union-attr]
        client.post(
            reverse("portal_reports:follow_message"), {"ticket": ticket, "form_token": token_of(found), "body": "추가"}
        )
        client.post(reverse("portal:follow"), {"receipt": "9" * 20})
    assert Report.objects.count() == 2
    needles = [
        ADDRESS,
        AGENT,
        "PrivacyProbe",
        "Unique-Agent-7f3a",
        receipts.client_key(
            type("R", (), {"META": {"REMOTE_ADDR": ADDRESS}})()  # type: ignore[arg-type]
        ),
    ]
    found: list[str] = []
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            text_columns = [
                f.column
                for f in model._meta.local_fields
                if isinstance(f, models.CharField | models.TextField | models.JSONField | models.GenericIPAddressField)
            ]
            table = model._meta.db_table
            for column in text_columns:
                for needle in needles:
                    cursor.execute(
                        f'SELECT COUNT(*) FROM "{table}" WHERE CAST("{column}" AS TEXT) LIKE %s',  # noqa: S608
                        [f"%{needle}%"],
                    )
                    if cursor.fetchone()[0]:
                        found.append(f"{table}.{column}: {needle}")
    assert found == []
    from django.contrib.sessions.models import Session

    assert Session.objects.count() == 0


@pytest.mark.parametrize("value", ["²", "٣", "①", "1" * 40])
def test_odd_digit_ids_do_not_answer_500(cast: Cast, value: str) -> None:
    """`str.isdigit` accepts "²" and friends, which `int()` refuses: the form page and the
    file download must treat them as a missing id, never a server error."""
    _report, code = submit(cast.district)
    client = Client(raise_request_exception=False, REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT)
    assert client.get(reverse("portal_reports:new"), {"institution": value}).status_code == 302
    page = client.post(reverse("portal:follow"), {"receipt": receipts.display(code)})
    ticket = re.search(r'name="ticket" value="([^"]+)"', page.content.decode()).group(1)  # type: ignore[union-attr]
    assert client.post(reverse("portal_reports:follow_file"), {"ticket": ticket, "file": value}).status_code == 404


def test_a_message_sent_again_after_a_lost_answer_is_stored_once(cast: Cast) -> None:
    report, code = submit(cast.district)
    client = public()
    page = client.post(reverse("portal:follow"), {"receipt": code})
    ticket = re.search(r'name="ticket" value="([^"]+)"', page.content.decode()).group(1)  # type: ignore[union-attr]
    data = {"ticket": ticket, "form_token": token_of(page), "body": "서류를 더 보냅니다"}
    first = client.post(reverse("portal_reports:follow_message"), data)
    again = client.post(reverse("portal_reports:follow_message"), data)
    assert "메시지를 보냈습니다" in first.content.decode()
    assert "메시지를 보냈습니다" in again.content.decode()
    assert report.messages.filter(direction="from_reporter").count() == 1
    assert AuditEntry.objects.filter(action="report.reporter_message").count() == 1
    other = token_of(first)
    client.post(reverse("portal_reports:follow_message"), {**data, "form_token": other, "body": "하나 더"})
    assert report.messages.filter(direction="from_reporter").count() == 2


def test_an_expired_message_form_keeps_the_text(cast: Cast) -> None:
    report, code = submit(cast.district)
    client = public()
    page = client.post(reverse("portal:follow"), {"receipt": code})
    ticket = re.search(r'name="ticket" value="([^"]+)"', page.content.decode()).group(1)  # type: ignore[union-attr]
    data = {"ticket": ticket, "form_token": "expired-or-forged", "body": "<b>급합니다</b>"}
    refused = client.post(reverse("portal_reports:follow_message"), data)
    assert "만료" in refused.content.decode()
    assert "&lt;b&gt;급합니다&lt;/b&gt;" in refused.content.decode()
    fresh = token_of(refused)
    assert fresh != "expired-or-forged"
    sent = client.post(reverse("portal_reports:follow_message"), {**data, "form_token": fresh})
    assert "메시지를 보냈습니다" in sent.content.decode()
    assert report.messages.count() == 1


def test_expired_form_keeps_the_text_and_gets_a_fresh_token(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast, what="<b>사흘째</b> 답이 없습니다")
    data["form_token"] = "expired-or-forged"
    page = client.post(reverse("portal_reports:new"), data)
    body = page.content.decode()
    assert "만료" in body
    assert "&lt;b&gt;사흘째&lt;/b&gt; 답이 없습니다" in body
    token = re.search(r'name="form_token" value="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    assert token != "expired-or-forged"
    again = client.post(reverse("portal_reports:new"), {**data, "form_token": token})
    assert code_of(again)
    assert Report.objects.count() == 1


def test_submissions_of_one_client_are_throttled_in_the_cache(cast: Cast) -> None:
    from portal.public import SUBMIT_LIMIT

    client = public()
    for _ in range(SUBMIT_LIMIT):
        assert code_of(client.post(reverse("portal_reports:new"), form_data(client, cast)))
    refused = client.post(reverse("portal_reports:new"), form_data(client, cast, what="하나 더"))
    assert "너무 많이" in refused.content.decode()
    assert "하나 더" in refused.content.decode()
    assert Report.objects.count() == SUBMIT_LIMIT
    other = Client(REMOTE_ADDR="198.51.100.9")
    assert code_of(other.post(reverse("portal_reports:new"), form_data(other, cast)))


def test_the_same_form_posted_twice_before_the_first_answer_shows_the_same_receipt(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast)
    first = code_of(client.post(reverse("portal_reports:new"), data))
    second = code_of(client.post(reverse("portal_reports:new"), data))
    assert first == second
    assert Report.objects.count() == 1


def test_receipt_and_status_pages_are_never_cached(cast: Cast) -> None:
    client = public()
    data = form_data(client, cast)
    receipt = client.post(reverse("portal_reports:new"), data)
    assert "no-store" in receipt["Cache-Control"]
    status = client.post(reverse("portal:follow"), {"receipt": code_of(receipt)})
    assert "no-store" in status["Cache-Control"]
