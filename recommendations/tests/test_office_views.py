from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from core.access import actor_for
from recommendations import services
from recommendations.models import Recommendation
from recommendations.tests.factories import submit
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def url(rec: Recommendation, name: str) -> str:
    return reverse("recommendations:action", args=[rec.pk, name])


@pytest.mark.parametrize("name", ["aa_officer", "hr_officer"])
def test_verifiers_see_queue_and_detail(cast: Cast, client_for, name: str) -> None:  # type: ignore[no-untyped-def]
    rec, _ = submit(cast.district)
    client = client_for(name)
    queue = client.get(reverse("recommendations:queue"))
    assert queue.status_code == 200
    assert rec.number in queue.content.decode()
    page = client.get(rec.get_absolute_url())
    assert page.status_code == 200
    assert "김추천" in page.content.decode()


@pytest.mark.parametrize("name", ["official", "head", "admin", "audit_staff", "protection_officer"])
def test_other_roles_refused(cast: Cast, client_for, name: str) -> None:  # type: ignore[no-untyped-def]
    rec, _ = submit(cast.district)
    client = client_for(name)
    assert client.get(reverse("recommendations:queue")).status_code == 404
    assert client.get(rec.get_absolute_url()).status_code == 404
    assert client.post(url(rec, "start")).status_code == 404
    assert Recommendation.objects.get().status == "received"


def test_other_institution_gets_404(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    rec, _ = submit(cast.district)
    client = client_for("aa_officer_b")
    assert rec.number not in client.get(reverse("recommendations:queue"), {"status": "all"}).content.decode()
    assert client.get(rec.get_absolute_url()).status_code == 404
    for name in ("start", "ask", "verify", "reject"):
        assert client.post(url(rec, name), {"rj-reason": "x"}).status_code == 404
    assert Recommendation.objects.get().status == "received"


def test_anonymous_redirected_to_login(cast: Cast) -> None:
    rec, _ = submit(cast.district)
    for target in (reverse("recommendations:queue"), rec.get_absolute_url()):
        response = Client().get(target)
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]
    assert Client().post(url(rec, "start")).status_code == 302


@pytest.mark.parametrize("pk", ["999999", "-1", "1" * 30])
def test_bad_ids_answer_404(cast: Cast, client_for, pk: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    response = client.get(f"/office/recommendations/{pk}/")
    assert response.status_code == 404
    assert client.post(f"/office/recommendations/{pk}/start/").status_code == 404


def test_queue_is_paginated_bounded_and_filtered(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    officer = actor_for(cast.aa_officer)
    for _ in range(3):
        rec, _code = submit(cast.district)
        services.start(actor=officer, rec=rec)
    client = client_for("aa_officer")
    client.get(reverse("recommendations:queue"))
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("recommendations:queue"))
    n = len(few.captured_queries)
    for _ in range(25):
        rec, _code = submit(cast.district)
        services.start(actor=officer, rec=rec)
        services.verify(actor=officer, rec=rec, reason="확인", person=cast.official.person)
    for _ in range(25):
        submit(cast.district)
    with django_assert_max_num_queries(n):
        page = client.get(reverse("recommendations:queue"))
    assert page.context["page_obj"].has_next  # 28 in pages by cursor (ADR 0029)
    assert page.context["page_obj"].count == 28
    with django_assert_max_num_queries(n):
        verified = client.get(reverse("recommendations:queue"), {"status": "verified"})
    assert verified.context["page_obj"].count == 25
    assert "확인 완료(포상 후보) 25건" in verified.content.decode()
    everything = client.get(reverse("recommendations:queue"), {"status": "all"})
    assert everything.context["page_obj"].count == 53
    first = Recommendation.objects.order_by("pk").first()
    assert first is not None
    found = client.get(reverse("recommendations:queue"), {"status": "all", "q": first.number})
    assert found.context["page_obj"].count == 1
    bogus = client.get(reverse("recommendations:queue"), {"status": "bogus", "cursor": "²"})
    assert bogus.status_code == 200
    assert bogus.context["page_obj"].invalid_cursor
    partial = client.get(reverse("recommendations:queue"), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()


def test_detail_query_count_is_bounded(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    officer = actor_for(cast.aa_officer)
    rec, _ = submit(cast.district)
    services.start(actor=officer, rec=rec)
    client = client_for("aa_officer")
    client.get(rec.get_absolute_url())
    with django_assert_max_num_queries(40) as few:
        client.get(rec.get_absolute_url())
    n = len(few.captured_queries)
    for i in range(3):
        services.ask(actor=officer, rec=rec, question=f"질문 {i}")
        upload = SimpleUploadedFile(f"{i}.txt", "답".encode(), content_type="text/plain")
        services.answer(rec=rec, body=f"답변 {i}", uploads=[upload])
    with django_assert_max_num_queries(n + 3):
        client.get(rec.get_absolute_url())


def test_actions_through_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    rec, _ = submit(cast.district)
    client = client_for("aa_officer")
    assert client.post(url(rec, "start")).status_code == 302
    empty = client.post(url(rec, "ask"), {"ak-question": ""})
    assert empty.status_code == 200
    assert "form-hint-invalid" in empty.content.decode()
    assert client.post(url(rec, "ask"), {"ak-question": "증빙이 있나요?"}).status_code == 302
    rec.refresh_from_db()
    assert rec.status == "awaiting_reply"
    services.answer(rec=rec, body="있습니다.")
    # no person named: the error is shown by the field and the reason typed is kept
    missing = client.post(url(rec, "verify"), {"vf-reason": "사실로 확인됨"})
    assert missing.status_code == 200
    body = missing.content.decode()
    assert "추천받은 이 기관의 공무원을 지정해 주십시오." in body
    assert "사실로 확인됨" in body
    unknown = client.post(url(rec, "verify"), {"vf-reason": "확인", "vf-employee_number": "NOPE"})
    assert "그 직원번호의 공무원이 없습니다" in unknown.content.decode()
    foreign = client.post(url(rec, "verify"), {"vf-reason": "확인", "vf-person": cast.official_b.person.pk})
    assert foreign.status_code == 200
    assert Recommendation.objects.get().status == "verifying"
    ok = client.post(url(rec, "verify"), {"vf-reason": "확인", "vf-person": cast.official.person.pk})
    assert ok.status_code == 302
    rec.refresh_from_db()
    assert rec.status == "verified"
    assert rec.person == cast.official.person
    again = client.post(url(rec, "start"))
    assert again.status_code == 200
    assert "처리할 수 없습니다" in again.content.decode()
    late = client.post(url(rec, "reject"), {"rj-reason": "늦은 종결"})
    assert late.status_code == 200
    assert "처리할 수 없습니다" in late.content.decode()
    assert client.post(url(rec, "unknown")).status_code == 200


def test_verify_by_employee_number_and_team_by_unit(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    person_rec, _ = submit(cast.district, unit_name="")
    team_rec, _ = submit(cast.district, nominee_kind="team", nominee_name="도시계획팀", unit_name="도시계획과")
    client = client_for("hr_officer")
    for rec in (person_rec, team_rec):
        client.post(url(rec, "start"))
    number = cast.official.person.employee_number
    assert (
        client.post(url(person_rec, "verify"), {"vf-reason": "확인", "vf-employee_number": number}).status_code == 302
    )
    person_rec.refresh_from_db()
    assert person_rec.person == cast.official.person
    page = client.get(team_rec.get_absolute_url()).content.decode()
    assert 'name="vf-unit"' in page
    assert 'name="vf-person"' not in page
    no_unit = client.post(url(team_rec, "verify"), {"vf-reason": "확인", "vf-unit": ""})
    assert "부서(팀)를 지정해 주십시오" in no_unit.content.decode()
    other = client.post(url(team_rec, "verify"), {"vf-reason": "확인", "vf-unit": cast.other_unit.pk})
    assert other.status_code == 200
    assert client.post(url(team_rec, "verify"), {"vf-reason": "확인", "vf-unit": cast.planning.pk}).status_code == 302


def test_reject_through_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    rec, _ = submit(cast.district)
    client = client_for("aa_officer")
    empty = client.post(url(rec, "reject"), {"rj-reason": ""})
    assert "form-hint-invalid" in empty.content.decode()
    assert client.post(url(rec, "reject"), {"rj-reason": "감사 인사에 해당합니다."}).status_code == 302
    assert Recommendation.objects.get().status == "not_verified"


def test_scripts_shown_as_text_to_staff(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    script = "<script>alert('x')</script>"
    rec, _ = submit(cast.district, what=script, nominee_name=script, recommender_name=script, period=script)
    body = client_for("aa_officer").get(rec.get_absolute_url()).content.decode()
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body
    queue = client_for("aa_officer").get(reverse("recommendations:queue")).content.decode()
    assert "<script>alert" not in queue


def test_message_files_download_for_verifiers_only(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    from core.files import attachments_for

    rec, _ = submit(cast.district)
    officer = actor_for(cast.aa_officer)
    services.start(actor=officer, rec=rec)
    services.ask(actor=officer, rec=rec, question="자료?")
    upload = SimpleUploadedFile("a.txt", "자료".encode(), content_type="text/plain")
    message = services.answer(rec=rec, body="보냅니다", uploads=[upload])
    attachment = attachments_for(message).get()
    target = reverse("core:attachment_download", args=[attachment.pk])
    assert client_for("hr_officer").get(target).status_code == 200
    assert client_for("aa_officer_b").get(target).status_code == 404
    assert client_for("official").get(target).status_code == 404
