"""The progress pages: the officer's overview, a unit's reports, one report with its forms,
the evidence download; the forbidden cases of every view, bad input and query counts."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.access import actor_for
from core.models import Attachment
from plans import services_progress as services
from plans.models import Plan, PlanTask, ProgressReport
from plans.tests import factories as f
from plans.tests.conftest import TODAY
from plans.wiring_progress import register
from tests.cast import Cast

S = ProgressReport.Status


@pytest.fixture(autouse=True)
def _registered() -> None:
    register()


@pytest.fixture
def plan(cast: Cast) -> Plan:
    return f.approved_plan(cast)


def pdf(name: str = "evidence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")


def report_for(plan: Plan, title: str, period: int) -> ProgressReport:
    return ProgressReport.objects.select_related("plan", "line", "owner_unit").get(
        plan=plan, line__title=title, period=period
    )


def submit_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {"su-percent": "55", "su-narrative": "상반기 상담 60건"}
    data.update(overrides)
    return data


def filed(cast: Cast, report: ProgressReport) -> ProgressReport:
    return services.submit(actor=actor_for(cast.users["dept_head"]), report=report, percent=40, narrative="실적")


# --- The overview -------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["aa_officer", "head"])
def test_overview_shows_every_report_with_period_counts(cast: Cast, client_for, plan: Plan, name: str) -> None:  # type: ignore[no-untyped-def]
    page = client_for(name).get(reverse("plans:progress"))
    assert page.status_code == 200
    assert page.context["page_obj"].paginator.count == 8
    by_period = {s.period: s for s in page.context["summary"]}
    assert by_period[1].overdue == 2
    assert by_period[3].due == 2
    assert "기한 경과" in page.content.decode()


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"period": "1"}, 2),
        ({"status": "overdue"}, 2),
        ({"status": "submitted"}, 0),
        ({"status": "due"}, 8),
        ({"period": "3", "status": "due"}, 2),
        ({"year": "2026", "period": "4"}, 2),
    ],
)
def test_overview_filters(cast: Cast, client_for, plan: Plan, query: dict[str, str], count: int) -> None:  # type: ignore[no-untyped-def]
    page = client_for("aa_officer").get(reverse("plans:progress"), query)
    assert page.status_code == 200
    assert page.context["page_obj"].paginator.count == count


def test_overview_filters_by_unit_and_late(cast: Cast, client_for, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    assert client.get(reverse("plans:progress"), {"unit": cast.planning.pk}).context["page_obj"].paginator.count == 2
    filed(cast, report_for(plan, "핵심 과제 1", 1))
    page = client.get(reverse("plans:progress"), {"status": "late"})
    assert page.context["page_obj"].paginator.count == 1
    assert "기한 후 제출" in page.content.decode()


@pytest.mark.parametrize("bad", ["²", "-1", "9" * 30, "abc", "<script>"])
def test_overview_bad_filters_never_fail(cast: Cast, client_for, plan: Plan, bad: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    for key in ("year", "period", "status", "unit", "page"):
        page = client.get(reverse("plans:progress"), {key: bad})
        assert page.status_code == 200
        assert "<script>" not in page.content.decode()


def test_overview_of_another_institution_is_empty(cast: Cast, client_for, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    page = client_for("aa_officer_b").get(reverse("plans:progress"))
    assert page.status_code == 200
    assert page.context["page_obj"].paginator.count == 0


@pytest.mark.parametrize("name", ["dept_head", "official", "supervisor", "no_role", "hr_officer"])
def test_overview_forbidden(cast: Cast, client_for, plan: Plan, name: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(name).get(reverse("plans:progress")).status_code == 404


def test_overview_needs_sign_in(client, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("plans:progress")).status_code == 302


# --- A unit's reports ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "count"), [("dept_head", 6), ("official", 6), ("official2", 2), ("official_b", 0)])
def test_mine_lists_the_units_reports(cast: Cast, client_for, plan: Plan, name: str, count: int) -> None:  # type: ignore[no-untyped-def]
    page = client_for(name).get(reverse("plans:progress_mine"))
    assert page.status_code == 200
    assert page.context["page_obj"].paginator.count == count


def test_mine_shows_due_first_and_overdue_count(cast: Cast, client_for, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    filed(cast, report_for(plan, "핵심 과제 1", 2))
    page = client_for("dept_head").get(reverse("plans:progress_mine"))
    rows = list(page.context["rows"])
    assert [r.status for r in rows][-1] == S.SUBMITTED
    assert page.context["n_overdue"] == 2
    assert "기한이 지난 보고가 2건 있습니다." in page.content.decode()
    done = client_for("dept_head").get(reverse("plans:progress_mine"), {"status": "submitted"})
    assert done.context["page_obj"].paginator.count == 1


@pytest.mark.parametrize("name", ["head", "supervisor", "no_role"])
def test_mine_forbidden(cast: Cast, client_for, plan: Plan, name: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(name).get(reverse("plans:progress_mine")).status_code == 404


def test_mine_needs_sign_in(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("plans:progress_mine")).status_code == 302


# --- One report ---------------------------------------------------------------------------


def test_owner_sees_the_submit_form_officer_does_not(cast: Cast, client_for, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    report = report_for(plan, "핵심 과제 1", 1)
    page = client_for("dept_head").get(report.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("plans:report_submit", args=[report.pk]) in html
    assert "기한 경과" in html
    officer = client_for("aa_officer").get(report.get_absolute_url()).content.decode()
    assert reverse("plans:report_submit", args=[report.pk]) not in officer
    assert reverse("plans:report_review", args=[report.pk]) not in officer


@pytest.mark.parametrize("name", ["official2", "aa_officer_b", "official_b", "supervisor", "no_role", "hr_officer"])
def test_detail_forbidden(cast: Cast, client_for, plan: Plan, name: str) -> None:  # type: ignore[no-untyped-def]
    report = report_for(plan, "핵심 과제 1", 1)
    assert client_for(name).get(report.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("raw", ["²", "-1", "9" * 30, "abc"])
def test_detail_bad_ids(cast: Cast, client_for, raw: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for("aa_officer").get(f"/office/plans/progress/{raw}/").status_code == 404


def test_detail_needs_sign_in(client, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    assert client.get(report_for(plan, "핵심 과제 1", 1).get_absolute_url()).status_code == 302


def test_submit_with_evidence_then_download(cast: Cast, client_for, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    report = report_for(plan, "핵심 과제 1", 2)
    client = client_for("dept_head")
    response = client.post(
        reverse("plans:report_submit", args=[report.pk]),
        submit_data(**{"su-narrative": "<script>alert(1)</script> 실적", "su-attachments": [pdf()]}),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == S.SUBMITTED
    assert report.narrative == "<script>alert(1)</script> 실적"
    page = client.get(report.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    attachment = Attachment.objects.get(object_id=report.pk, purpose=services.EVIDENCE)
    url = reverse("plans:report_evidence", args=[report.pk, attachment.pk])
    assert url in page
    download = client.get(url)
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert client_for("aa_officer").get(url).status_code == 200
    for name in ("official2", "aa_officer_b", "supervisor"):
        assert client_for(name).get(url).status_code == 404
    other = report_for(plan, "핵심 과제 1", 3)
    assert client.get(reverse("plans:report_evidence", args=[other.pk, attachment.pk])).status_code == 404


@pytest.mark.parametrize(
    ("percent", "narrative", "field", "message"),
    [
        ("101", "실적", "percent", "0에서 100 사이"),
        ("-1", "실적", "percent", "0에서 100 사이"),
        ("x", "실적", "percent", "0에서 100 사이"),
        ("", "실적", "percent", "추진율을 입력해"),
        ("50", "", "narrative", "추진 실적을 입력해"),
        ("50", "가" * 10_001, "narrative", "10000"),
    ],
)
def test_submit_bad_input_keeps_what_was_typed(  # type: ignore[no-untyped-def]  # noqa: PLR0917
    cast: Cast, client_for, plan: Plan, percent: str, narrative: str, field: str, message: str
) -> None:
    report = report_for(plan, "핵심 과제 1", 2)
    page = client_for("dept_head").post(
        reverse("plans:report_submit", args=[report.pk]), {"su-percent": percent, "su-narrative": narrative}
    )
    assert page.status_code == 400
    form = page.context["forms"]["submit"]
    assert field in form.errors
    assert message in " ".join(form.errors[field]).replace(",", "")
    if narrative and len(narrative) < 100:
        assert narrative in page.content.decode()
    report.refresh_from_db()
    assert report.status == S.DUE


def test_submit_six_files_refused_next_to_the_field(cast: Cast, client_for, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    report = report_for(plan, "핵심 과제 1", 2)
    page = client_for("dept_head").post(
        reverse("plans:report_submit", args=[report.pk]),
        submit_data(**{"su-attachments": [pdf(f"{n}.pdf") for n in range(6)]}),
    )
    assert page.status_code == 400
    assert "attachments" in page.context["forms"]["submit"].errors


def test_submit_for_another_units_task_is_refused(cast: Cast, client_for, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    report = report_for(plan, "핵심 과제 1", 2)
    assert (
        client_for("official2").post(reverse("plans:report_submit", args=[report.pk]), submit_data()).status_code == 404
    )
    # the officer sees the report (and has the official role) but does not own it
    page = client_for("aa_officer").post(reverse("plans:report_submit", args=[report.pk]), submit_data())
    assert page.status_code == 400
    report.refresh_from_db()
    assert report.status == S.DUE


@pytest.mark.parametrize("name", ["head", "aa_officer_b", "supervisor", "no_role"])
def test_submit_forbidden(cast: Cast, client_for, plan: Plan, name: str) -> None:  # type: ignore[no-untyped-def]
    report = report_for(plan, "핵심 과제 1", 2)
    assert client_for(name).post(reverse("plans:report_submit", args=[report.pk]), submit_data()).status_code == 404
    report.refresh_from_db()
    assert report.status == S.DUE


def test_late_submission_is_marked_on_the_page(cast: Cast, client_for, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    report = report_for(plan, "핵심 과제 1", 1)
    client = client_for("dept_head")
    assert client.post(reverse("plans:report_submit", args=[report.pk]), submit_data()).status_code == 302
    report.refresh_from_db()
    assert report.late
    assert "기한 후 제출" in client.get(report.get_absolute_url()).content.decode()


def test_officer_returns_then_reviews(cast: Cast, client_for, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    report = filed(cast, report_for(plan, "핵심 과제 1", 2))
    client = client_for("aa_officer")
    page = client.get(report.get_absolute_url()).content.decode()
    assert reverse("plans:report_review", args=[report.pk]) in page
    empty = client.post(reverse("plans:report_return", args=[report.pk]), {"rt-comment": ""})
    assert empty.status_code == 400
    assert "comment" in empty.context["forms"]["return"].errors
    assert client.post(reverse("plans:report_return", args=[report.pk]), {"rt-comment": "수치 보완"}).status_code == 302
    report.refresh_from_db()
    assert report.status == S.DUE
    assert report.review_comment == "수치 보완"
    wrong_state = client.post(reverse("plans:report_review", args=[report.pk]), {"rv-comment": ""})
    assert wrong_state.status_code == 400
    filed(cast, report)
    assert client.post(reverse("plans:report_review", args=[report.pk]), {"rv-comment": "확인"}).status_code == 302
    report.refresh_from_db()
    assert report.status == S.REVIEWED
    timeline = client.get(report.get_absolute_url()).content.decode()
    assert "추진 실적 보완 요구" in timeline
    assert "추진 실적 검토" in timeline


@pytest.mark.parametrize("name", ["dept_head", "head", "aa_officer_b", "official"])
@pytest.mark.parametrize("action", ["plans:report_review", "plans:report_return"])
def test_review_and_return_forbidden(cast: Cast, client_for, plan: Plan, name: str, action: str) -> None:  # type: ignore[no-untyped-def]
    report = filed(cast, report_for(plan, "핵심 과제 1", 2))
    data = {"rv-comment": "x", "rt-comment": "x"}
    assert client_for(name).post(reverse(action, args=[report.pk]), data).status_code == 404
    report.refresh_from_db()
    assert report.status == S.SUBMITTED


@pytest.mark.parametrize("action", ["plans:report_submit", "plans:report_review", "plans:report_return"])
def test_actions_are_post_only(cast: Cast, client_for, plan: Plan, action: str) -> None:  # type: ignore[no-untyped-def]
    report = report_for(plan, "핵심 과제 1", 2)
    assert client_for("aa_officer").get(reverse(action, args=[report.pk])).status_code == 405


# --- Query counts -------------------------------------------------------------------------


def _more_reports(cast: Cast, plan: Plan, n: int) -> None:
    assert plan.current is not None
    for index in range(n):
        task = PlanTask.objects.create(
            version=plan.current,
            area="culture",
            title=f"추가 과제 {index}",
            owner_unit=cast.building,
            indicator="지표",
            target="목표",
            quarters="1234",
        )
        for period in (1, 2, 3, 4):
            ProgressReport.objects.create(
                plan=plan,
                line=task,
                period=period,
                owner_unit=cast.building,
                due_on=services.due_date(plan.year, period),
                status=S.SUBMITTED if index % 2 else S.DUE,
            )


@pytest.mark.parametrize(("url_name", "user"), [("plans:progress", "aa_officer"), ("plans:progress_mine", "dept_head")])
def test_list_query_counts_do_not_grow(  # type: ignore[no-untyped-def]  # noqa: PLR0917
    cast: Cast, client_for, plan: Plan, django_assert_max_num_queries, url_name: str, user: str
) -> None:
    client = client_for(user)
    client.get(reverse(url_name))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse(url_name))
    n = len(few.captured_queries)
    _more_reports(cast, plan, 10)
    with django_assert_max_num_queries(n):
        page = client.get(reverse(url_name))
    assert page.context["page_obj"].paginator.num_pages == 2


def test_detail_query_count_is_bounded(cast: Cast, client_for, plan: Plan, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    report = report_for(plan, "핵심 과제 1", 2)
    services.submit(
        actor=actor_for(cast.users["dept_head"]),
        report=report,
        percent=10,
        narrative="x",
        uploads=[pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")],
    )
    with django_assert_max_num_queries(35):
        assert client_for("aa_officer").get(report.get_absolute_url()).status_code == 200
    assert TODAY.year == plan.year


def test_return_comment_bad_input(cast: Cast, client_for, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    report = filed(cast, report_for(plan, "핵심 과제 1", 2))
    client = client_for("aa_officer")
    huge = client.post(reverse("plans:report_return", args=[report.pk]), {"rt-comment": "가" * 10_001})
    assert huge.status_code == 400
    assert "comment" in huge.context["forms"]["return"].errors
    nul = client.post(reverse("plans:report_return", args=[report.pk]), {"rt-comment": "보완\x00"})
    assert nul.status_code == 400
    review_huge = client.post(reverse("plans:report_review", args=[report.pk]), {"rv-comment": "가" * 10_001})
    assert review_huge.status_code == 400
    report.refresh_from_db()
    assert report.status == S.SUBMITTED
    html = "<b onmouseover=alert(1)>보완</b>"
    assert client.post(reverse("plans:report_return", args=[report.pk]), {"rt-comment": html}).status_code == 302
    page = client_for("dept_head").get(report.get_absolute_url()).content.decode()
    assert html not in page
    assert "&lt;b onmouseover=alert(1)&gt;보완&lt;/b&gt;" in page


def test_menu_and_start_page(cast: Cast, client_for, plan: Plan) -> None:  # type: ignore[no-untyped-def]
    from office.navigation import items_for

    def names(user: str) -> set[str]:
        return {link.url_name for link in items_for(actor_for(cast.users[user]))}

    assert {"plans:progress", "plans:progress_mine"} <= names("aa_officer")
    assert "plans:progress" in names("head")
    assert "plans:progress_mine" not in names("head")
    assert "plans:progress_mine" in names("dept_head")
    assert "plans:progress" not in names("dept_head")
    assert not {"plans:progress", "plans:progress_mine"} & names("supervisor")
    home = client_for("dept_head").get(reverse("office:home")).content.decode()
    assert "1분기 추진 실적 제출: 핵심 과제 1" in home
    assert "핵심 과제 2" not in client_for("dept_head").get(reverse("office:home")).content.decode()
