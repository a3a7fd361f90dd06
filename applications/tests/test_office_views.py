from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from applications.models import Application
from applications.tests.factories import reviewing, submit
from consultations.tests.factories import draft, under_review
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def act(pk: int, name: str) -> str:
    return reverse("applications:action", args=[pk, name])


@pytest.mark.parametrize("name", ["aa_officer", "audit_staff"])
def test_handlers_see_queue_and_detail(cast: Cast, client_for, name: str) -> None:  # type: ignore[no-untyped-def]
    application, _ = submit(cast.district)
    client = client_for(name)
    queue = client.get(reverse("applications:queue"))
    assert queue.status_code == 200
    assert application.number in queue.content.decode()
    page = client.get(application.get_absolute_url())
    assert page.status_code == 200
    assert "applicant@example.com" in page.content.decode()


@pytest.mark.parametrize("name", ["official", "head", "admin", "secretary", "protection_officer"])
def test_other_roles_get_404(cast: Cast, client_for, name: str) -> None:  # type: ignore[no-untyped-def]
    application, _ = submit(cast.district)
    client = client_for(name)
    assert client.get(reverse("applications:queue")).status_code == 404
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.post(act(application.pk, "start")).status_code == 404


def test_other_institution_gets_404(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    application, _ = submit(cast.district)
    client = client_for("aa_officer_b")
    assert application.number not in client.get(reverse("applications:queue")).content.decode()
    assert client.get(application.get_absolute_url()).status_code == 404
    assert client.post(act(application.pk, "start")).status_code == 404
    application.refresh_from_db()
    assert application.status == "received"


def test_anonymous_redirected_to_login(cast: Cast) -> None:
    application, _ = submit(cast.district)
    assert Client().get(reverse("applications:queue")).status_code == 302
    assert Client().get(application.get_absolute_url()).status_code == 302
    assert Client().post(act(application.pk, "start")).status_code == 302


def test_missing_ids_and_get_on_actions(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    assert client.get("/office/applications/999999999/").status_code == 404
    assert client.get("/office/applications/" + "9" * 30 + "/").status_code == 404
    assert client.get("/office/applications/²/").status_code == 404
    assert client.get("/office/applications/-1/").status_code == 404
    application, _ = submit(cast.district)
    assert client.get(act(application.pk, "start")).status_code == 405
    assert client.post(act(application.pk, "bogus")).status_code == 200


def test_queue_is_paginated_filtered_and_bounded(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        submit(cast.district)
    client = client_for("aa_officer")
    client.get(reverse("applications:queue"))
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("applications:queue"))
    n = len(few.captured_queries)
    for _ in range(27):
        reviewing(cast)
    with django_assert_max_num_queries(n):
        page = client.get(reverse("applications:queue"))
    assert page.context["page_obj"].paginator.num_pages == 2
    filtered = client.get(reverse("applications:queue"), {"status": "reviewing", "q": "경사로", "overdue": "on"})
    assert filtered.status_code == 200
    assert filtered.context["page_obj"].paginator.count == 0
    by_status = client.get(reverse("applications:queue"), {"status": "received"})
    assert by_status.context["page_obj"].paginator.count == 3
    assert client.get(reverse("applications:queue"), {"status": "bogus"}).status_code == 200
    partial = client.get(reverse("applications:queue"), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()


def test_detail_query_count_is_bounded(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    application = reviewing(cast)
    for _ in range(3):
        under_review(cast)
    client = client_for("aa_officer")
    with django_assert_max_num_queries(40):
        assert client.get(application.get_absolute_url()).status_code == 200


def test_actions_through_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    application, _ = submit(cast.district)
    consultation = under_review(cast)
    unsubmitted = draft(cast, title="초안 상태의 컨설팅")
    client = client_for("aa_officer")
    assert client.post(act(application.pk, "start")).status_code == 302
    page = client.get(application.get_absolute_url(), {"cq": consultation.title[:4]}).content.decode()
    assert consultation.title in page
    assert "초안 상태의 컨설팅" not in page
    refused = client.post(act(application.pk, "refer_consultation"), {"rc-consultation": unsubmitted.pk})
    assert refused.status_code == 200
    assert "form-hint-invalid" in refused.content.decode()
    bad = client.post(act(application.pk, "refer_consultation"), {"rc-consultation": "²"})
    assert bad.status_code == 200
    ok = client.post(act(application.pk, "refer_consultation"), {"rc-consultation": consultation.pk})
    assert ok.status_code == 302
    detail = client.get(application.get_absolute_url()).content.decode()
    assert consultation.title in detail
    assert "사전컨설팅 중" in detail
    assert client.post(act(application.pk, "extend"), {"ex-working_days": "0", "ex-reason": "x"}).status_code == 200
    extended = client.post(act(application.pk, "extend"), {"ex-working_days": "3", "ex-reason": "의견 대기"})
    assert extended.status_code == 302
    assert client.post(act(application.pk, "resume")).status_code == 302
    typed = client.post(act(application.pk, "answer"), {"an-answer": "수용합니다 <script>x</script>"})
    assert typed.status_code == 200
    assert "수용합니다 &lt;script&gt;" in typed.content.decode()
    answered = client.post(act(application.pk, "answer"), {"an-decision": "accepted", "an-answer": "수용"})
    assert answered.status_code == 302
    application.refresh_from_db()
    assert application.status == "answered"
    again = client.post(act(application.pk, "start"))
    assert again.status_code == 200
    assert "처리할 수 없습니다" in again.content.decode()


def test_committee_referral_through_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    application = reviewing(cast)
    client = client_for("audit_staff")
    assert client.post(act(application.pk, "refer_committee")).status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.AT_COMMITTEE
    assert "위원회 심의 결과" not in client.get(application.get_absolute_url()).content.decode()
