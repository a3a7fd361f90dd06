"""The request's page: what each side sees and may do; 404 for everyone else; the deadline
with its extension reason for the department; presumptions per official; the PDF."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from consultations import services
from consultations.tests.factories import acted, actor, draft, submitted, under_review, with_opinion
from core.access import actor_for
from register.links import linked_sections
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def url(c: object) -> str:
    return reverse("consultations:detail", kwargs={"pk": c.pk})  # type: ignore[attr-defined]


@pytest.mark.parametrize("username", ["official2", "official_b", "aa_officer_b", "no_role", "admin", "supervisor"])
def test_others_get_404(cast: Cast, client_for, username: str) -> None:  # type: ignore[no-untyped-def]
    c = submitted(cast)
    assert client_for(username).get(url(c)).status_code == 404
    assert client_for(username).get(reverse("consultations:opinion_pdf", kwargs={"pk": c.pk})).status_code == 404


def test_audit_side_does_not_see_an_unsubmitted_draft(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("aa_officer").get(url(draft(cast))).status_code == 404


def test_missing_request_is_404(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("official").get(reverse("consultations:detail", kwargs={"pk": 999999})).status_code == 404


def test_drafter_sees_what_is_missing_and_may_ask_the_head(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = draft(cast, own_review="")
    body = client_for("official").get(url(c)).content.decode()
    assert "부서 자체 검토 의견을 입력해 주십시오." in body
    assert "부서장에게 결재 요청" in body
    assert "결재하고 감사부서에 제출" not in body
    assert reverse("consultations:edit", kwargs={"pk": c.pk}) in body


def test_head_sees_submit(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    body = client_for("dept_head").get(url(draft(cast))).content.decode()
    assert "결재하고 감사부서에 제출" in body


def test_auditor_sees_screening_actions_and_the_deadline(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    body = client_for("aa_officer").get(url(submitted(cast))).content.decode()
    assert "검토 착수(요건 적합)" in body
    assert "반려" in body
    assert "처리기한 연장" in body
    assert "근무일 남음" in body


def test_department_sees_the_extension_and_its_reason(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = under_review(cast)
    services.consultation_extend(actor=actor(cast, "aa_officer"), consultation=c, reason="관계 부처 회신 대기")
    body = client_for("official").get(url(c)).content.decode()
    assert "기한 연장 이력" in body
    assert "관계 부처 회신 대기" in body
    auditor_body = client_for("aa_officer").get(url(c)).content.decode()
    assert f'action="/office/consultations/{c.pk}/act/extend/"' not in auditor_body


def test_late_opinion_is_shown_as_late(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        c = under_review(cast)
    with time_machine.travel(datetime.datetime(2026, 3, 20, 10, tzinfo=datetime.UTC), tick=False):
        services.consultation_issue_opinion(actor=actor(cast, "aa_officer"), consultation=c, opinion="o", reasons="r")
        body = client_for("official").get(url(c)).content.decode()
    assert "기한 후 의견" in body
    assert "기한 후 처리" in body


def test_presumptions_per_official_and_exception_forms_for_the_audit_side(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = acted(cast, outcome="partly")
    body = client_for("official").get(url(c)).content.decode()
    assert "추정되지 않음" in body
    assert "의견을 일부만 이행함" in body
    assert "예외 사유 기록" not in body
    auditor_body = client_for("aa_officer").get(url(c)).content.decode()
    assert "예외 사유 기록" in auditor_body
    assert "종결" in auditor_body


def test_named_official_sees_the_request_without_actions(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = with_opinion(cast, officials=[cast.official.person, cast.official2.person])
    response = client_for("official2").get(url(c))
    assert response.status_code == 200
    assert response.context["actions"] == []


def test_opinion_pdf_for_whoever_sees_the_request(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = with_opinion(cast)
    response = client_for("official").get(reverse("consultations:opinion_pdf", kwargs={"pk": c.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert c.opinion_number in response["Content-Disposition"] or "filename*" in response["Content-Disposition"]


def test_no_pdf_before_the_opinion(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = under_review(cast)
    assert client_for("aa_officer").get(reverse("consultations:opinion_pdf", kwargs={"pk": c.pk})).status_code == 404


def test_register_entry_lists_its_requests_as_the_actor_may_see_them(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    c = submitted(cast, title="등록부 연결 요청")
    [section] = [s for s in linked_sections(c.work_item, actor_for(cast.aa_officer)) if s.key == "consultations"]
    assert [case.title for case in section.cases] == [str(c)]
    [other] = [s for s in linked_sections(c.work_item, actor_for(cast.official2)) if s.key == "consultations"]
    assert other.cases == []
    body = client_for("aa_officer").get(reverse("register:detail", kwargs={"pk": c.work_item_id})).content.decode()
    assert "등록부 연결 요청" in body


def test_detail_query_count_is_bounded(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    c = acted(cast)
    client = client_for("aa_officer")
    client.get(url(c))
    with django_assert_max_num_queries(40):
        assert client.get(url(c)).status_code == 200


def test_detail_query_count_does_not_grow_with_officials_and_files(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PersonFactory

    def queries(c: object) -> int:
        client.get(url(c))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(c)).status_code == 200
        return len(captured)

    client = client_for("aa_officer")
    one = acted(cast)
    people = [cast.official.person, *(PersonFactory(institution=cast.district, unit=cast.building) for _ in range(5))]
    many = acted(cast, officials=people)
    for n in range(4):
        upload = SimpleUploadedFile(f"증빙{n}.pdf", b"%PDF-1.4 evidence", content_type="application/pdf")
        services.consultation_attach(actor=actor(cast, "official"), consultation=many, upload=upload)
    assert queries(many) == queries(one)
