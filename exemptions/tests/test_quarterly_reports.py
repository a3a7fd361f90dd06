"""The quarterly report to the higher audit body: every institution gets the report of the
quarter just ended with its deadline, reminders follow, submitting closes it."""

from __future__ import annotations

import datetime
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from core.access import actor_for
from core.deadlines import deadline_for, send_deadline_reminders
from core.errors import DomainError
from core.models import Notification
from exemptions.models import QuarterlyReport
from exemptions.services.reports import KIND, ensure_quarterly_reports, quarterly_report_submit
from exemptions.tests import factories as f
from institutions.models import Institution, Policy
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def _at(day: str):  # type: ignore[no-untyped-def]
    return time_machine.travel(datetime.datetime.fromisoformat(day + "T09:00:00+09:00"))


def test_each_institution_gets_the_report_of_the_quarter_just_ended_with_its_deadline(cast) -> None:  # type: ignore[no-untyped-def]
    with _at("2026-04-01"):
        created = ensure_quarterly_reports()
    assert created == Institution.objects.filter(is_active=True).count()
    report = QuarterlyReport.objects.get(institution=cast.district)
    assert (report.year, report.quarter) == (2026, 1)
    deadline = deadline_for(report, KIND)
    assert deadline is not None
    assert deadline.starts_on == datetime.date(2026, 3, 31)
    assert deadline.due_on == datetime.date(2026, 4, 10)  # 10 calendar days after the quarter


def test_the_due_date_follows_the_policy(cast) -> None:  # type: ignore[no-untyped-def]
    Policy.objects.filter(institution=cast.district).update(exemption_report_days_after_quarter=15)
    with _at("2026-07-02"):
        ensure_quarterly_reports()
    report = QuarterlyReport.objects.get(institution=cast.district, year=2026, quarter=2)
    assert deadline_for(report, KIND).due_on == datetime.date(2026, 7, 15)  # type: ignore[union-attr]


def test_the_fourth_quarter_reports_in_january(cast) -> None:  # type: ignore[no-untyped-def]
    with _at("2027-01-02"):
        ensure_quarterly_reports()
    assert QuarterlyReport.objects.filter(institution=cast.district, year=2026, quarter=4).exists()


def test_a_second_run_creates_nothing_with_one_query(cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with _at("2026-04-01"):
        ensure_quarterly_reports()
        with django_assert_num_queries(1):
            assert ensure_quarterly_reports() == 0


def test_a_thousand_institutions_cost_a_bounded_number_of_queries_each(cast) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    InstitutionFactory.create_batch(200)
    with _at("2026-04-01"), CaptureQueriesContext(connection) as queries:
        created = ensure_quarterly_reports()
    assert created >= 200
    # the reports in one insert; then the shared deadline_open per report (savepoint, lock-check,
    # insert, release): linear and small, once a quarter (ADR 0010)
    assert len(queries) <= 4 * created + 10


def test_the_aa_officer_is_reminded_before_the_due_date(cast) -> None:  # type: ignore[no-untyped-def]
    with _at("2026-04-01"):
        ensure_quarterly_reports()
    with _at("2026-04-08"):
        send_deadline_reminders()
    reminded = Notification.objects.filter(title__contains="면책 분기 보고", institution=cast.district)
    assert set(reminded.values_list("recipient__username", flat=True)) == {"aa_officer"}


def test_submitting_closes_the_deadline_once(cast) -> None:  # type: ignore[no-untyped-def]
    with _at("2026-04-01"):
        ensure_quarterly_reports()
    with _at("2026-04-09"):
        report = quarterly_report_submit(actor=actor_for(cast.aa_officer), year=2026, quarter=1, reference="감사-77")
        with pytest.raises(DomainError, match="이미 제출"):
            quarterly_report_submit(actor=actor_for(cast.aa_officer), year=2026, quarter=1, reference="감사-78")
    deadline = deadline_for(report, KIND)
    assert deadline is not None
    assert deadline.closed_at is not None
    assert not deadline.closed_late


def test_a_quarter_not_yet_ended_cannot_be_submitted(cast) -> None:  # type: ignore[no-untyped-def]
    with _at("2026-05-01"), pytest.raises(DomainError, match="분기가 끝난 뒤"):
        quarterly_report_submit(actor=actor_for(cast.aa_officer), year=2026, quarter=2, reference="x")


def test_submitting_needs_the_reference_and_the_audit_side(cast) -> None:  # type: ignore[no-untyped-def]
    with _at("2026-04-05"):
        with pytest.raises(DomainError) as refused:
            quarterly_report_submit(actor=actor_for(cast.aa_officer), year=2026, quarter=1, reference=" ")
        assert refused.value.field == "reference"
        with pytest.raises(DomainError):
            quarterly_report_submit(actor=actor_for(cast.hr_officer), year=2026, quarter=1, reference="x")


def _decided_in_q1(cast):  # type: ignore[no-untyped-def]
    with _at("2026-02-10"):
        return f.decided(cast, act="분기 보고 대상 행위")


def test_the_quarter_page_lists_the_quarters_decisions(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    case = _decided_in_q1(cast)
    with _at("2026-04-03"):
        page = client_for("aa_officer").get(reverse("exemptions:report", kwargs={"year": 2026, "quarter": 1}))
    assert case.decision_reference in page.content.decode()
    other = client_for("aa_officer").get(reverse("exemptions:report", kwargs={"year": 2026, "quarter": 2}))
    assert case.decision_reference not in other.content.decode()


def test_the_xlsx_holds_one_row_per_decided_case(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    case = _decided_in_q1(cast)
    response = client_for("aa_officer").get(reverse("exemptions:report_xlsx", kwargs={"year": 2026, "quarter": 1}))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "접수번호"
    assert [r[1] for r in rows[1:]] == [case.decision_reference]


def test_the_pdf_is_a_pdf(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    _decided_in_q1(cast)
    response = client_for("aa_officer").get(reverse("exemptions:report_pdf", kwargs={"year": 2026, "quarter": 1}))
    assert response.content.startswith(b"%PDF-")


def test_the_submit_form_shows_errors_and_marks_submitted(client_for, cast) -> None:  # type: ignore[no-untyped-def]
    url = reverse("exemptions:report_submit", kwargs={"year": 2026, "quarter": 1})
    client = client_for("aa_officer")
    with _at("2026-04-05"):
        assert client.post(url, {"reference": ""}).status_code == 400
        assert client.post(url, {"reference": "감사-77"}).status_code == 302
        page = client.get(reverse("exemptions:report", kwargs={"year": 2026, "quarter": 1})).content.decode()
    assert "감사-77" in page
