"""The oversight pages: who may open them, what they show, bad input, and the check
report from request to download."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditEntry
from oversight import documents, indicators
from oversight.indicators import Source
from oversight.models import CheckReport
from oversight.tests.conftest import make_deadline
from tests.cast import Cast

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 8, 3, 1, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _august() -> object:
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def deadlines(cast: Cast) -> None:
    make_deadline(cast.district, datetime.date(2026, 4, 1), datetime.date(2026, 4, 3))
    make_deadline(cast.district, datetime.date(2026, 5, 1), datetime.date(2026, 5, 11), closed=True)
    make_deadline(cast.district, datetime.date(2026, 3, 31), datetime.date(2026, 4, 7))
    make_deadline(cast.other, datetime.date(2026, 5, 5), datetime.date(2026, 5, 6))
    make_deadline(cast.other, datetime.date(2026, 5, 6), datetime.date(2026, 5, 7))


# --- The institution's dashboard ----------------------------------------------------------------


@pytest.mark.parametrize("user", ["head", "aa_officer"])
def test_head_and_officer_see_their_figures_with_links_to_the_rows(
    client_for, test_source: Source, deadlines: None, user: str
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(user).get(reverse("oversight:dashboard"), {"period": "2026-Q2"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "시험 분야" in html
    assert "2026년 2분기" in html
    assert reverse("oversight:drill", kwargs={"key": "test.started"}) + "?period=2026-Q2" in html
    figures = {f.measure.key: f for s in response.context["sections"] for f in s.figures}
    assert figures["test.started"].value == 2  # not the other district's, not 31 March
    assert figures["test.started"].previous == 1  # the first quarter's one
    assert figures["test.days"].value == 6.0


@pytest.mark.parametrize("user", ["official", "dept_head", "hr_officer", "supervisor", "admin", "secretary"])
def test_other_roles_do_not_find_the_dashboard(client_for, user: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(user).get(reverse("oversight:dashboard")).status_code == 404


def test_anonymous_is_sent_to_log_in(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(reverse("oversight:dashboard"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("period", ["2026-Q9", "next year", "1999", "2026-H3"])
def test_an_unknown_period_is_an_error_on_the_form_not_a_crash(client_for, period: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for("head").get(reverse("oversight:dashboard"), {"period": period})
    assert response.status_code == 400
    assert "목록에 있는 기간을 골라 주십시오" in response.content.decode()


def test_the_dashboard_defaults_to_this_year(client_for, test_source: Source) -> None:  # type: ignore[no-untyped-def]
    response = client_for("head").get(reverse("oversight:dashboard"))
    assert response.status_code == 200
    assert response.context["period"].key == "2026"


def test_the_dashboards_queries_do_not_grow_with_rows(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, test_source: Source, django_assert_max_num_queries
) -> None:
    client = client_for("head")
    client.get(reverse("oversight:dashboard"))  # warm the session and content types
    # and count the period's training tallies (a fixed number of queries, training/tests/test_tallies.py)
    client.get(reverse("oversight:dashboard"), {"period": "2026-Q2"})
    bound = 2 * len(indicators._sources) + 14
    with django_assert_max_num_queries(bound):
        assert client.get(reverse("oversight:dashboard"), {"period": "2026-Q2"}).status_code == 200
    for day in range(1, 25):
        make_deadline(cast.district, datetime.date(2026, 4, day), datetime.date(2026, 5, day))
    with django_assert_max_num_queries(bound):
        assert client.get(reverse("oversight:dashboard"), {"period": "2026-Q2"}).status_code == 200


# --- Drill-down -----------------------------------------------------------------------------------


def test_the_drill_down_lists_exactly_the_rows_behind_the_number(  # type: ignore[no-untyped-def]
    client_for, test_source: Source, deadlines: None
) -> None:
    response = client_for("aa_officer").get(
        reverse("oversight:drill", kwargs={"key": "test.open"}), {"period": "2026-Q2"}
    )
    assert response.status_code == 200
    assert [r.state for r in response.context["rows"]] == ["열림"]
    assert response.context["page_obj"].paginator.count == 1


def test_the_drill_down_is_the_officers_and_heads_only(  # type: ignore[no-untyped-def]
    client_for, test_source: Source
) -> None:
    url = reverse("oversight:drill", kwargs={"key": "test.started"})
    for user in ("official", "supervisor", "dept_head"):
        assert client_for(user).get(url).status_code == 404
    assert client_for("head").get(reverse("oversight:drill", kwargs={"key": "no.such"})).status_code == 404


def test_another_districts_officer_sees_only_their_own_rows(  # type: ignore[no-untyped-def]
    client_for, test_source: Source, deadlines: None
) -> None:
    response = client_for("aa_officer_b").get(
        reverse("oversight:drill", kwargs={"key": "test.started"}), {"period": "2026-Q2"}
    )
    assert response.status_code == 200
    assert response.context["page_obj"].paginator.count == 2
    assert all(r.title.startswith("시험 건") for r in response.context["rows"])


# --- The supervising body's comparison ---------------------------------------------------------------


def test_the_supervisor_compares_the_institutions_below_sorted_by_a_figure(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, test_source: Source, deadlines: None
) -> None:
    make_deadline(cast.district, datetime.date(2026, 6, 2), datetime.date(2026, 6, 9))  # 새솔구 3, 다온구 2
    client = client_for("supervisor")
    url = reverse("oversight:comparison")
    query = {"period": "2026-Q2", "section": "test", "sort": "test.started"}
    response = client.get(url, {**query, "order": "asc"})
    assert response.status_code == 200
    assert [(r.institution.name, r.values[0]) for r in response.context["rows"]] == [("다온구", 2), ("새솔구", 3)]
    html = response.content.decode()
    assert "한빛광역시" not in html.split("<tbody>")[1].split("</tbody>")[0]
    assert reverse("oversight:drill", kwargs={"key": "test.started"}) not in html  # no way into the cases
    assert 'aria-sort="ascending"' in html
    response = client.get(url, {**query, "order": "desc"})
    assert [r.institution.name for r in response.context["rows"]] == ["새솔구", "다온구"]
    by_name = client.get(url, {"period": "2026-Q2", "section": "test"})
    assert [r.institution.name for r in by_name.context["rows"]] == ["다온구", "새솔구"]


def test_the_supervisor_cannot_open_a_case_list(client_for, test_source: Source) -> None:  # type: ignore[no-untyped-def]
    url = reverse("oversight:drill", kwargs={"key": "test.started"})
    assert client_for("supervisor").get(url, {"period": "2026-Q2"}).status_code == 404


@pytest.mark.parametrize("user", ["head", "aa_officer", "aa_officer_b", "official"])
def test_only_a_supervising_body_compares(client_for, user: str) -> None:  # type: ignore[no-untyped-def]
    assert client_for(user).get(reverse("oversight:comparison")).status_code == 404


def test_an_unknown_section_is_a_form_error(client_for, test_source: Source) -> None:  # type: ignore[no-untyped-def]
    response = client_for("supervisor").get(reverse("oversight:comparison"), {"section": "<script>"})
    assert response.status_code == 400
    assert "목록에 있는 분야를 골라 주십시오" in response.content.decode()


def test_the_comparisons_queries_do_not_grow_with_institutions(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, test_source: Source, django_assert_max_num_queries
) -> None:
    from tests.factories import InstitutionFactory

    client = client_for("supervisor")
    url = reverse("oversight:comparison")
    client.get(url, {"section": "test"})
    with django_assert_max_num_queries(20) as before:
        client.get(url, {"section": "test"})
    for n in range(12):
        InstitutionFactory(code=f"X{n}", parent=cast.city)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert len(client.get(url, {"section": "test"}).context["rows"]) == 14


# --- Check reports -----------------------------------------------------------------------------------


def request_report(client, period: str = "2026-Q2", scope: str = "institution"):  # type: ignore[no-untyped-def]
    return client.post(reverse("oversight:reports"), {"period": period, "scope": scope})


def test_a_report_is_built_in_the_background_and_downloads_as_pdf_and_xlsx(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, test_source: Source, deadlines: None, django_capture_on_commit_callbacks
) -> None:
    client = client_for("aa_officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = request_report(client)
    report = CheckReport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("oversight:report", kwargs={"pk": report.pk})
    report.refresh_from_db()
    assert report.status == CheckReport.Status.DONE
    assert report.percent == 100
    assert AuditEntry.objects.filter(action="check_report.requested", target_id=str(report.pk)).exists()
    assert AuditEntry.objects.filter(action="check_report.finish", target_id=str(report.pk)).exists()

    page = client.get(reverse("oversight:report", kwargs={"pk": report.pk}))
    assert "PDF 내려받기" in page.content.decode()
    pdf = client.get(reverse("oversight:report_file", kwargs={"pk": report.pk, "fmt": "pdf"}))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    xlsx = client.get(reverse("oversight:report_file", kwargs={"pk": report.pk, "fmt": "xlsx"}))
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    sheet = book["시험 분야"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("지표", "2026년 2분기", "2026년 1분기")
    assert rows[1][:3] == ("시작한 기한", 2, 1)
    assert client.get(reverse("oversight:report_file", kwargs={"pk": report.pk, "fmt": "doc"})).status_code == 404

    archive = client.get(reverse("oversight:reports"))
    assert list(archive.context["page_obj"]) == [report]


def test_a_supervisor_report_compares_the_institutions_below(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, test_source: Source, deadlines: None, django_capture_on_commit_callbacks
) -> None:
    client = client_for("supervisor")
    with django_capture_on_commit_callbacks(execute=True):
        request_report(client, "2026-H1", "subordinates")
    report = CheckReport.objects.get()
    assert report.status == CheckReport.Status.DONE
    assert report.institutions_count == 2
    xlsx = client.get(reverse("oversight:report_file", kwargs={"pk": report.pk, "fmt": "xlsx"}))
    rows = list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))["시험 분야"].iter_rows(values_only=True))
    assert rows[0][:2] == ("기관", "시작한 기한")
    assert {r[0]: r[1] for r in rows[1:]} == {"새솔구": 3, "다온구": 2}


def test_reports_are_not_shared_between_institutions(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, test_source: Source, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request_report(client_for("head"))
    report = CheckReport.objects.get()
    for user in ("aa_officer_b", "supervisor"):
        client = client_for(user)
        for name, kwargs in [
            ("oversight:report", {"pk": report.pk}),
            ("oversight:report_progress", {"pk": report.pk}),
            ("oversight:report_file", {"pk": report.pk, "fmt": "pdf"}),
        ]:
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 404
    for user in ("official", "dept_head", "hr_officer"):
        assert client_for(user).get(reverse("oversight:reports")).status_code == 404
        assert client_for(user).get(reverse("oversight:report", kwargs={"pk": report.pk})).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"period": "2026-Q7", "scope": "institution"}, "목록에 있는 기간"),
        ({"period": "2026", "scope": "subordinates"}, "올바르게 선택해 주세요"),
        ({"period": "", "scope": "institution"}, "필수 항목"),
    ],
)
def test_a_bad_request_keeps_the_form_and_says_why(client_for, data: dict[str, str], message: str) -> None:  # type: ignore[no-untyped-def]
    response = client_for("head").post(reverse("oversight:reports"), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not CheckReport.objects.exists()


def test_a_period_that_has_not_started_is_refused(client_for) -> None:  # type: ignore[no-untyped-def]
    response = request_report(client_for("head"), "2026-Q4")
    assert response.status_code == 400
    assert "아직 시작하지 않은 기간" in response.content.decode()


def test_too_many_waiting_reports_are_refused(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("head")
    for _ in range(3):
        assert request_report(client).status_code == 302  # on_commit not run: they stay queued
    response = request_report(client)
    assert response.status_code == 400
    assert "이미 3건" in response.content.decode()
    progress = client.get(reverse("oversight:report_progress", kwargs={"pk": CheckReport.objects.first().pk}))
    assert 'hx-trigger="every 1s"' in progress.content.decode()


def test_a_failure_ends_in_a_failed_report_with_its_error(  # type: ignore[no-untyped-def]
    client_for, test_source: Source, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    def boom(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("font missing")

    monkeypatch.setattr(documents, "pdf", boom)
    client = client_for("head")
    with django_capture_on_commit_callbacks(execute=True):
        request_report(client)
    report = CheckReport.objects.get()
    assert report.status == CheckReport.Status.FAILED
    assert "font missing" in report.error
    assert not report.pdf
    page = client.get(reverse("oversight:report", kwargs={"pk": report.pk}))
    assert "보고서를 만들지 못했습니다" in page.content.decode()
    assert "font missing" not in page.content.decode()  # the technical error is for the logs
    assert client.get(reverse("oversight:report_file", kwargs={"pk": report.pk, "fmt": "pdf"})).status_code == 404


def test_a_missing_plan_is_flagged_on_both_dashboards(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from plans.tests import factories as f

    f.approved_plan(cast, year=2026)  # 새솔구 has one; 다온구 has none, and 28 February has passed
    own = client_for("aa_officer_b").get(reverse("oversight:dashboard"), {"period": "2026"})
    assert "2026년 승인된 실행계획 없음" in own.content.decode()
    district = client_for("aa_officer").get(reverse("oversight:dashboard"), {"period": "2026"})
    assert "승인된 실행계획 없음" not in district.content.decode()
    page = client_for("supervisor").get(reverse("oversight:comparison"), {"period": "2026"})
    flags = {r.institution.name: r.flags for r in page.context["rows"]}
    assert flags == {"다온구": ["2026년 승인된 실행계획 없음(승인 기한 지남)"], "새솔구": []}
    assert "주의가 필요한 기관이 1곳" in page.content.decode()


def test_the_comparison_shows_each_institutions_confirmed_grade(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from plans.tests import evaluation_factories as ef

    evaluation = ef.confirmed(cast, effort=90, results=80)  # 2025's plan of 새솔구: 85 → 우수
    assert evaluation.plan.year == 2025
    page = client_for("supervisor").get(reverse("oversight:comparison"), {"period": "2025", "section": "consultations"})
    grades = {r.institution.name: r.grade for r in page.context["rows"]}
    assert grades == {"다온구": "", "새솔구": "우수"}
    assert "2025년 평가 등급" in page.content.decode()
    plans_section = client_for("supervisor").get(
        reverse("oversight:comparison"), {"period": "2025", "section": "plans"}
    )
    assert "2025년 평가 등급" not in plans_section.content.decode()  # the section has the grade itself


def test_a_report_whose_worker_vanished_fails_and_stops_blocking(client_for) -> None:  # type: ignore[no-untyped-def]
    from oversight.services import fail_stale

    client = client_for("head")
    for _ in range(3):
        request_report(client)  # on_commit not run: they stay queued, as if no worker took them
    assert request_report(client).status_code == 400
    with time_machine.travel(NOW + datetime.timedelta(minutes=31), tick=False):
        assert fail_stale() == 3
        assert request_report(client).status_code == 302
    assert CheckReport.objects.filter(status=CheckReport.Status.FAILED).count() == 3
    assert AuditEntry.objects.filter(action="check_report.fail").count() == 3


def test_each_scope_is_read_only_by_those_who_may_ask_for_it(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from core.access import actor_for
    from core.roles import Role
    from oversight.period import Period
    from oversight.services import request_report as ask
    from tests.cast import make_user
    from tests.factories import UnitFactory

    q2 = Period.parse("2026-Q2")
    district_report = ask(actor=actor_for(cast.users["head"]), period=q2, scope="institution")
    comparison = ask(actor=actor_for(cast.users["supervisor"]), period=q2, scope="subordinates")
    city_head = make_user("city_head", cast.city, UnitFactory(institution=cast.city, code="GOV"), Role.HEAD)
    city_report = ask(actor=actor_for(city_head), period=q2, scope="institution")

    supervisor = client_for("supervisor")
    assert supervisor.get(reverse("oversight:report", kwargs={"pk": comparison.pk})).status_code == 200
    assert supervisor.get(reverse("oversight:report", kwargs={"pk": district_report.pk})).status_code == 404
    assert supervisor.get(reverse("oversight:report", kwargs={"pk": city_report.pk})).status_code == 404
    head = Client()
    head.force_login(city_head)
    assert head.get(reverse("oversight:report", kwargs={"pk": city_report.pk})).status_code == 200
    assert head.get(reverse("oversight:report", kwargs={"pk": comparison.pk})).status_code == 404


def test_figures_that_need_attention_are_listed_first(client_for, test_source: Source, deadlines: None) -> None:  # type: ignore[no-untyped-def]
    response = client_for("head").get(reverse("oversight:dashboard"), {"period": "2026-Q2"})
    warned = [(section.key, f.measure.key, f.value) for section, f in response.context["warnings"]]
    assert ("test", "test.open", 1) in warned
    assert all(f.measure.warn and f.value > 0 for _, f in response.context["warnings"])
    quiet = client_for("head").get(reverse("oversight:dashboard"), {"period": "2025-Q1"})
    assert quiet.context["warnings"] == []
    assert "기한을 넘긴 건이 없습니다" in quiet.content.decode()


def test_the_report_archives_queries_do_not_grow_with_reports(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for("head")
    request_report(client)
    client.get(reverse("oversight:reports"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("oversight:reports"))
    for _ in range(5):
        CheckReport.objects.filter(status=CheckReport.Status.QUEUED).update(status=CheckReport.Status.DONE)
        request_report(client)
    with CaptureQueriesContext(connection) as six:
        response = client.get(reverse("oversight:reports"))
    assert len(response.context["page_obj"]) == 6
    assert len(six.captured_queries) == len(one.captured_queries)


# --- Links behind the figures that are not counts (training compliance, the evaluation grade) ------


def _figures(response) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {f.measure.key: f for s in response.context["sections"] for f in s.figures}


@pytest.mark.parametrize("user", ["head", "aa_officer"])
def test_the_compliance_figures_link_to_the_training_pages_that_open(client_for, user: str) -> None:  # type: ignore[no-untyped-def]
    client = client_for(user)
    response = client.get(reverse("oversight:dashboard"), {"period": "2026-Q2"})
    figures = _figures(response)
    compliance = reverse("training:compliance") + "?year=2026"
    pending = reverse("training:noncompliant") + "?year=2026"
    assert figures["training.staff"].link == compliance
    assert figures["training.compliant"].link == compliance
    assert figures["training.compliance"].link == pending
    html = response.content.decode()
    assert f'href="{pending}"' in html
    assert "(미이수자 명단 보기)" in html  # the link says where it leads
    for url in (compliance, pending):
        page = client.get(url)
        assert page.status_code == 200
        assert page.context["year"] == 2026


def test_a_link_appears_only_for_a_viewer_the_target_page_admits(client_for) -> None:  # type: ignore[no-untyped-def]
    """The completion records are the training managers' (the AA officer's, not the head's)."""
    records = reverse("training:completions") + "?year=2026"
    officer = _figures(client_for("aa_officer").get(reverse("oversight:dashboard"), {"period": "2026"}))
    assert officer["training.people"].link == records
    assert client_for("aa_officer").get(records).status_code == 200
    head = client_for("head").get(reverse("oversight:dashboard"), {"period": "2026"})
    assert _figures(head)["training.people"].link == ""
    assert records not in head.content.decode()
    assert client_for("head").get(records).status_code == 404
    quarter = _figures(client_for("aa_officer").get(reverse("oversight:dashboard"), {"period": "2026-Q2"}))
    assert quarter["training.people"].link == ""  # the records filter by year, not by quarter


def test_a_past_year_links_only_when_the_training_pages_offer_it(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from training.tests import factories as tf

    client = client_for("aa_officer")
    quiet = _figures(client.get(reverse("oversight:dashboard"), {"period": "2025"}))
    assert quiet["training.compliance"].link == ""  # no completions in 2025: the pages do not offer it
    course = tf.course(cast, title="적극행정 이해와 실천", hours="2")
    tf.complete(cast, tf.person_of(cast, "official"), course, datetime.date(2025, 5, 2))
    figures = _figures(client.get(reverse("oversight:dashboard"), {"period": "2025"}))
    pending = reverse("training:noncompliant") + "?year=2025"
    assert figures["training.compliance"].link == pending
    page = client.get(pending)
    assert page.status_code == 200
    assert page.context["year"] == 2025
    assert not page.context["form"].errors


@pytest.mark.parametrize("user", ["head", "aa_officer"])
def test_the_grade_and_score_link_to_the_year_end_evaluation(cast: Cast, client_for, user: str) -> None:  # type: ignore[no-untyped-def]
    from plans.tests import evaluation_factories as ef

    evaluation = ef.confirmed(cast, effort=90, results=80)  # 2025's plan of 새솔구
    client = client_for(user)
    figures = _figures(client.get(reverse("oversight:dashboard"), {"period": "2025"}))
    page = reverse("plans:evaluation", kwargs={"pk": evaluation.plan_id})
    assert figures["plans.grade"].value == "우수"
    assert figures["plans.grade"].link == page
    assert figures["plans.score"].link == page
    opened = client.get(page)
    assert opened.status_code == 200
    assert opened.context["evaluation"] == evaluation
    # no grade, no link (and no query for one)
    assert _figures(client.get(reverse("oversight:dashboard"), {"period": "2026"}))["plans.grade"].link == ""


def test_the_supervising_body_gets_no_link_into_an_institutions_pages(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    from core.access import actor_for
    from oversight import selectors
    from oversight.period import Period
    from plans.tests import evaluation_factories as ef

    ef.confirmed(cast, effort=90, results=80)
    client = client_for("supervisor")
    for section in ("training", "plans", "consultations"):
        html = client.get(reverse("oversight:comparison"), {"period": "2025", "section": section}).content.decode()
        main = html.split("<main")[1].split("</main>")[0]
        assert "/office/training/" not in main
        assert "/office/plans/" not in main
    supervisor = actor_for(cast.users["supervisor"])
    figures = [f for s in selectors.dashboard(cast.district.pk, Period(2025), viewer=supervisor) for f in s.figures]
    assert {f.measure.key for f in figures} >= {"plans.grade", "training.compliance"}
    assert all(f.link == "" for f in figures)  # not the viewer's institution
    neighbour = actor_for(cast.users["aa_officer_b"])  # may open such pages, of its own district only
    figures = [f for s in selectors.dashboard(cast.district.pk, Period(2025), viewer=neighbour) for f in s.figures]
    assert all(f.link == "" for f in figures)
    officer = actor_for(cast.users["aa_officer"])
    links = {
        f.measure.key: f.link
        for s in selectors.dashboard(cast.district.pk, Period(2025), viewer=officer)
        for f in s.figures
    }
    assert links["plans.grade"]  # the same figures do link for the district's own officer
    assert not selectors.may_open(supervisor, links["plans.grade"])
    assert not selectors.may_open(supervisor, reverse("training:compliance"))
    assert selectors.may_open(officer, reverse("training:compliance"))
    assert not selectors.may_open(officer, "/no/such/page/")


# --- Another supervising body ---------------------------------------------------------------------


def test_a_second_supervising_body_cannot_compare_the_firsts_districts(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, test_source: Source, deadlines: None, django_capture_on_commit_callbacks
) -> None:
    from core.roles import Role
    from institutions.models import Institution
    from tests.cast import make_user
    from tests.factories import InstitutionFactory, UnitFactory

    province = InstitutionFactory(code="SEA", name="바다도", kind=Institution.Kind.PROVINCE)
    county = InstitutionFactory(code="SEA-1", name="물결군", parent=province)
    make_deadline(county, datetime.date(2026, 5, 4), datetime.date(2026, 5, 11))
    second = make_user("supervisor_sea", province, UnitFactory(institution=province, code="AUD"), Role.SUPERVISOR)
    client = Client()
    client.force_login(second)
    response = client.get(reverse("oversight:comparison"), {"period": "2026-Q2", "section": "test"})
    assert response.status_code == 200
    assert [(r.institution.name, r.values[0]) for r in response.context["rows"]] == [("물결군", 1)]
    body = response.content.decode().split("<tbody>")[1].split("</tbody>")[0]
    for name in ("새솔구", "다온구", "한빛광역시"):
        assert name not in body
    # sorting and paging keep to its own institutions
    sorted_ = client.get(
        reverse("oversight:comparison"), {"period": "2026-Q2", "section": "test", "sort": "test.started"}
    )
    assert [r.institution.name for r in sorted_.context["rows"]] == ["물결군"]
    # its comparison report too
    with django_capture_on_commit_callbacks(execute=True):
        request_report(client, "2026-Q2", "subordinates")
    report = CheckReport.objects.get()
    assert report.institutions_count == 1
    xlsx = client.get(reverse("oversight:report_file", kwargs={"pk": report.pk, "fmt": "xlsx"}))
    rows = list(load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))["시험 분야"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["물결군"]
    # and the first body's report is not its to read
    with django_capture_on_commit_callbacks(execute=True):
        request_report(client_for("supervisor"), "2026-Q2", "subordinates")
    first = CheckReport.objects.exclude(pk=report.pk).get()
    assert client.get(reverse("oversight:report", kwargs={"pk": first.pk})).status_code == 404


# --- The comparison's empty table -------------------------------------------------------------------


@pytest.mark.parametrize(("section", "grade_column"), [("consultations", True), ("plans", False)])
def test_the_empty_comparison_row_spans_exactly_the_columns(  # type: ignore[no-untyped-def]
    client_for, monkeypatch, section: str, grade_column: bool
) -> None:
    import re

    from institutions.models import Institution
    from oversight import selectors

    monkeypatch.setattr(selectors, "compared_institutions", lambda actor: Institution.objects.none())
    response = client_for("supervisor").get(reverse("oversight:comparison"), {"period": "2026", "section": section})
    assert response.status_code == 200
    assert response.context["show_grade"] is grade_column
    html = response.content.decode()
    head = html.split("<thead>")[1].split("</thead>")[0]
    columns = head.count("<th ")
    assert columns == len(response.context["measures"]) + 2 + grade_column
    assert re.search(r'<td colspan="(\d+)">', html.split("<tbody>")[1])[1] == str(columns)


# --- The check report's warnings -------------------------------------------------------------------------


def _capture_pdf_html(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    from django.template.loader import render_to_string

    pages: list[str] = []

    def fake(template: str, context: dict[str, object], **kwargs: object) -> bytes:
        pages.append(render_to_string(template, context))
        return b"%PDF-1.4 test\n"

    monkeypatch.setattr(documents, "render_pdf", fake)
    return pages


def test_the_check_report_carries_the_missing_plan_flags(  # type: ignore[no-untyped-def]
    cast: Cast, client_for, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    from plans.tests import factories as pf

    pf.approved_plan(cast, year=2026)  # 새솔구 has one; 다온구 has none, and 28 February has passed
    flag = "2026년 승인된 실행계획 없음(승인 기한 지남)"
    pages = _capture_pdf_html(monkeypatch)

    supervisor = client_for("supervisor")
    with django_capture_on_commit_callbacks(execute=True):
        request_report(supervisor, "2026", "subordinates")
    report = CheckReport.objects.get()
    assert report.status == CheckReport.Status.DONE
    book = load_workbook(
        io.BytesIO(
            b"".join(
                supervisor.get(
                    reverse("oversight:report_file", kwargs={"pk": report.pk, "fmt": "xlsx"})
                ).streaming_content
            )
        )
    )
    assert list(book["주의"].iter_rows(values_only=True)) == [("기관", "주의할 사항"), ("다온구", flag)]
    overview = dict(r[:2] for r in book["개요"].iter_rows(values_only=True))
    assert overview["주의가 필요한 기관 수"] == 1
    flags_table = pages[-1].split('id="flags"')[1].split("</table>")[0]
    assert "다온구" in flags_table
    assert flag in flags_table
    assert "새솔구" not in flags_table

    # The flagged district's own report says so; the district with its plan has nothing to flag.
    for user, expected in (("aa_officer_b", [("다온구", flag)]), ("aa_officer", [])):
        client = client_for(user)
        with django_capture_on_commit_callbacks(execute=True):
            request_report(client, "2026", "institution")
        own = CheckReport.objects.latest("pk")
        book = load_workbook(
            io.BytesIO(
                b"".join(
                    client.get(reverse("oversight:report_file", kwargs={"pk": own.pk, "fmt": "xlsx"})).streaming_content
                )
            )
        )
        assert list(book["주의"].iter_rows(values_only=True))[1:] == expected
        assert (flag in pages[-1]) is bool(expected)
    assert "주의할 사항이 없습니다." in pages[-1]


def test_the_dashboards_report_link_preselects_its_period(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("head")
    dashboard = client.get(reverse("oversight:dashboard"), {"period": "2026-Q2"}).content.decode()
    link = reverse("oversight:reports") + "?period=2026-Q2"
    assert f'href="{link}"' in dashboard
    assert client.get(link).context["form"]["period"].value() == "2026-Q2"
    assert client.get(reverse("oversight:reports"), {"period": "2031"}).context["form"]["period"].value() == "2026"
