"""The case pages: opening forms, the case page's actions and their errors (400, what was
typed kept, nothing saved), the list's filters and its query count."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from core.models import Attachment
from exemptions.models import Criterion, ExemptionCase, Finding, Rebuttal
from exemptions.tests import factories as f

pytestmark = pytest.mark.django_db


def _application(**changes):  # type: ignore[no-untyped-def]
    data = {
        "stage": "audit",
        "act": "도로점용 허가 시 점용료 감면",
        "act_details": "재난 복구 지원",
        "work_item_reference": "",
        "matter_title": "2026년 정기감사",
        "matter_reference": "감사-12",
        "matter_date": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
        "co_officials": "",
    }
    data.update(changes)
    return data


def test_an_official_applies_and_lands_on_the_case(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    item = f.work_item(cast, reference="BLD-1")
    response = client_for("official").post(
        reverse("exemptions:apply"),
        _application(work_item_reference="BLD-1", co_officials=cast.official2.person.employee_number),
    )
    case = ExemptionCase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exemptions:detail", kwargs={"pk": case.pk})
    assert case.work_item == item
    assert case.official_rows.count() == 2


def test_a_late_application_is_refused_next_to_the_date_keeping_what_was_typed(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    late = (timezone.localdate() - datetime.timedelta(days=45)).isoformat()
    response = client_for("official").post(reverse("exemptions:apply"), _application(matter_date=late))
    assert response.status_code == 400
    assert "면책 신청기간이 지났습니다" in response.context["form"].errors["matter_date"][0]
    assert "재난 복구 지원" in response.content.decode()
    assert not ExemptionCase.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"work_item_reference": "NOPE"}, "work_item_reference"),
        ({"co_officials": "X-1, X-2"}, "co_officials"),
        ({"act": ""}, "act"),
        ({"matter_date": "어제"}, "matter_date"),
    ],
)
def test_bad_application_input_is_shown_by_its_field(client_for, cast, changes, field) -> None:  # type: ignore[no-untyped-def]
    response = client_for("official").post(reverse("exemptions:apply"), _application(**changes))
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert not ExemptionCase.objects.exists()


def test_the_audit_unit_opens_a_late_case_on_its_own_initiative(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    data = _application(matter_date="2020-01-01", officials=cast.official.person.employee_number)
    response = client_for("audit_staff").post(reverse("exemptions:open"), data)
    assert response.status_code == 302
    assert ExemptionCase.objects.get().status == ExemptionCase.Status.OPENED


def test_opening_without_officials_is_refused(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    response = client_for("audit_staff").post(reverse("exemptions:open"), _application(officials=" , "))
    assert response.status_code == 400
    assert response.context["form"].errors["officials"]


def test_review_then_findings_then_decision_through_the_pages(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    case = f.opened(cast)
    audit_client = client_for("audit_staff")
    assert audit_client.post(reverse("exemptions:review", kwargs={"pk": case.pk})).status_code == 302
    data = {}
    for code, (answer, evidence) in f.ALL_MET.items():
        data[f"{code}_answer"], data[f"{code}_evidence"] = answer, evidence
    for code in (Criterion.NO_PRIVATE_INTEREST, Criterion.NO_PROCEDURAL_DEFECT):
        data[f"{code}_answer"], data[f"{code}_evidence"] = "unknown", ""
    assert audit_client.post(reverse("exemptions:findings", kwargs={"pk": case.pk}), data).status_code == 302
    decide = reverse("exemptions:decide", kwargs={"pk": case.pk})
    response = client_for("aa_officer").post(decide, {"decision": "full", "reasons": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["reasons"]
    response = client_for("aa_officer").post(decide, {"decision": "full", "reasons": "요건 충족"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.decision == ExemptionCase.Decision.FULL
    pdf = client_for("official").get(reverse("exemptions:decision_pdf", kwargs={"pk": case.pk}))
    assert pdf.content.startswith(b"%PDF-")


def test_a_decision_with_a_missing_finding_is_refused_on_the_page(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    case = f.reviewing(cast)
    response = client_for("aa_officer").post(
        reverse("exemptions:decide", kwargs={"pk": case.pk}), {"decision": "rejection", "reasons": "불인정"}
    )
    assert response.status_code == 400
    assert "다음 판단을 기록해야 결정할 수 있습니다" in response.content.decode()
    assert "불인정" in response.content.decode()


def test_a_finding_without_evidence_is_shown_by_its_field(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    case = f.reviewing(cast)
    data = {f"{c}_answer": "unknown" for c in Criterion.values}
    data["public_interest_answer"] = "yes"
    response = client_for("audit_staff").post(reverse("exemptions:findings", kwargs={"pk": case.pk}), data)
    assert response.status_code == 400
    assert response.context["form"].errors["public_interest_evidence"]
    assert not Finding.objects.filter(case=case, answer="yes").exists()


def test_a_rebuttal_without_reason_is_refused_and_with_one_recorded(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    item = f.work_item(cast)
    p = f.presumption(cast, cast.official.person, item)
    case = f.reviewing(cast, work_item=item)
    url = reverse("exemptions:rebut", kwargs={"pk": case.pk, "presumption_pk": p.pk})
    client = client_for("aa_officer")
    assert client.get(url).status_code == 200
    assert client.post(url, {"reason": ""}).status_code == 400
    assert not Rebuttal.objects.exists()
    assert client.post(url, {"reason": "의견과 다른 방식으로 처리"}).status_code == 302
    assert Rebuttal.objects.get().reason == "의견과 다른 방식으로 처리"


def test_rebutting_a_presumption_not_of_this_case_is_404(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    p = f.presumption(cast, cast.official2.person, f.work_item(cast))
    case = f.reviewing(cast)
    url = reverse("exemptions:rebut", kwargs={"pk": case.pk, "presumption_pk": p.pk})
    assert client_for("aa_officer").get(url).status_code == 404


def test_starting_the_review_twice_shows_the_error_on_the_case(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    case = f.reviewing(cast)
    response = client_for("audit_staff").post(reverse("exemptions:review", kwargs={"pk": case.pk}))
    assert response.status_code == 400
    assert "검토 중" in response.context["action_error"]


def test_the_applicant_withdraws(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    case = f.applied(cast)
    response = client_for("official").post(reverse("exemptions:withdraw", kwargs={"pk": case.pk}), {"reason": "착오"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == ExemptionCase.Status.WITHDRAWN


def test_the_applicant_edits_a_filed_case(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    case = f.applied(cast)
    data = _application(act="고친 행위")
    response = client_for("official").post(reverse("exemptions:edit", kwargs={"pk": case.pk}), data)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.act == "고친 행위"


@pytest.mark.parametrize("url_name", ["apply", "edit"])
def test_a_matter_date_at_the_end_of_the_calendar_is_no_error_page(client_for, cast, url_name) -> None:  # type: ignore[no-untyped-def]
    kwargs = {"pk": f.applied(cast).pk} if url_name == "edit" else {}
    data = _application(matter_date="9999-12-31")
    response = client_for("official").post(reverse(f"exemptions:{url_name}", kwargs=kwargs), data)
    assert response.status_code == 302
    case = ExemptionCase.objects.get(matter_date=datetime.date(9999, 12, 31))
    assert client_for("official").get(case.get_absolute_url()).status_code == 200


def test_evidence_upload_and_a_refused_file(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    case = f.applied(cast)
    url = reverse("exemptions:attach", kwargs={"pk": case.pk})
    client = client_for("official")
    ok = client.post(url, {"file": SimpleUploadedFile("증빙.txt", "현장 확인서".encode())})
    assert ok.status_code == 302
    bad = client.post(url, {"file": SimpleUploadedFile("x.html", b"<html><script></script></html>")})
    assert bad.status_code == 400
    assert "마크업" in bad.content.decode()
    attachment = Attachment.objects.get()
    download = client_for("official").get(reverse("core:attachment_download", kwargs={"pk": attachment.pk}))
    assert download.status_code == 200
    assert (
        client_for("official2").get(reverse("core:attachment_download", kwargs={"pk": attachment.pk})).status_code
        == 404
    )


class TestList:
    def test_filters_by_state_stage_and_decision(self, client_for, cast) -> None:  # type: ignore[no-untyped-def]
        f.applied(cast, act="신청 건")
        f.decided(cast, act="결정 건", decision="rejection")
        client = client_for("audit_staff")
        url = reverse("exemptions:list")
        page = client.get(url, {"status": "decided"}).content.decode()
        assert "결정 건" in page
        assert "신청 건" not in page
        page = client.get(url, {"decision": "rejection"}).content.decode()
        assert "결정 건" in page
        assert "신청 건" not in page
        page = client.get(url, {"stage": "disciplinary"}).content.decode()
        assert "결정 건" not in page

    def test_filters_by_the_quarter_of_the_decision(self, client_for, cast) -> None:  # type: ignore[no-untyped-def]
        case = f.decided(cast, act="이번 분기 결정")
        year, month = case.decided_on.year, case.decided_on.month
        quarter = (month - 1) // 3 + 1
        client = client_for("audit_staff")
        assert (
            "이번 분기 결정"
            in client.get(reverse("exemptions:list"), {"quarter": f"{year}-{quarter}"}).content.decode()
        )

    def test_htmx_gets_only_the_results(self, client_for, cast) -> None:  # type: ignore[no-untyped-def]
        f.applied(cast)
        response = client_for("audit_staff").get(reverse("exemptions:list"), headers={"HX-Request": "true"})
        assert "<html" not in response.content.decode()
        assert "도로점용 허가" in response.content.decode()

    def test_my_list_shows_only_cases_naming_me(self, client_for, cast) -> None:  # type: ignore[no-untyped-def]
        f.opened(cast, officials=[cast.official2.person], act="다른 사람 건")
        f.applied(cast, username="aa_officer", act="책임관 본인 신청")
        page = client_for("aa_officer").get(reverse("exemptions:mine")).content.decode()
        assert "책임관 본인 신청" in page
        assert "다른 사람 건" not in page

    def test_query_count_does_not_grow_with_the_rows(self, client_for, cast, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        client = client_for("audit_staff")
        for n in range(3):
            f.opened(cast, act=f"건 {n}", officials=[cast.official.person, cast.official2.person])
        client.get(reverse("exemptions:list"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("exemptions:list"))
        for n in range(20):
            f.opened(cast, act=f"더 {n}", officials=[cast.official.person, cast.official2.person])
        with django_assert_max_num_queries(len(few)):
            response = client.get(reverse("exemptions:list"))
        assert response.content.decode().count("/office/exemptions/") >= 23

    def test_the_case_page_query_count_does_not_grow_with_presumptions(
        self, client_for, cast, django_assert_max_num_queries
    ) -> None:  # type: ignore[no-untyped-def]
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        item = f.work_item(cast)
        case = f.reviewing(cast, work_item=item, officials=[cast.official.person, cast.official2.person])
        client = client_for("aa_officer")
        url = reverse("exemptions:detail", kwargs={"pk": case.pk})
        f.presumption(cast, cast.official.person, item)
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        for n in range(6):
            f.presumption(cast, cast.official2.person, item, source=f.work_item(cast), reference=f"R-{n}")
        with django_assert_max_num_queries(len(one)):
            client.get(url)
