"""Query counts of the report pages that test_office_views.py does not measure: the transfer
records, sent and received, each naming both institutions (more rows must not mean more
queries), and the statements of the citizen's report form post (issue 8)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from core.access import actor_for
from reports import services
from reports.tests.factories import submit
from tests.cast import Cast
from tests.factories import InstitutionFactory
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db


def _transfers(cast: Cast, count: int) -> None:
    for n in range(count):
        to = cast.other if n % 2 else InstitutionFactory(parent=cast.city)
        report, _code = submit(cast.district)
        services.transfer(actor=actor_for(cast.aa_officer), report=report, to_institution=to, reason=f"소관 {n}")
    report, _code = submit(cast.other)  # and one received from 다온구
    services.transfer(actor=actor_for(cast.aa_officer_b), report=report, to_institution=cast.district, reason="소관")


def test_the_transfer_records(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    _transfers(cast, 1)
    assert_flat(client, reverse("reports:transfers"), lambda: _transfers(cast, 6))
    assert client.get(reverse("reports:transfers")).context["page_obj"].paginator.count == 9


# --- The citizen's report form (issue 8) ------------------------------------------------------

#: what one new report costs: the institution with its policy (the form), the gap-free
#: number, the report (with its due date), the audit entry and its chain head, the deadline,
#: and the one task that tells the audit unit later (reports/tests/test_routing.py).
#: No look-up of the form's key first (its unique constraint answers a retry), no session,
#: no recipients, no notification rows, no second write of the due date.
SUBMISSION_STATEMENTS = [
    "SELECT institutions_institution",
    "INSERT core_numbersequence",
    "INSERT reports_report",
    "INSERT core_auditchain",
    "INSERT core_auditentry",
    "UPDATE core_auditchain",
    "INSERT core_deadline",
    "INSERT django_tasks_database_dbtaskresult",
]
_TABLE = re.compile(r'\b(?:FROM|INTO|UPDATE)\s+"?(\w+)', re.IGNORECASE)


def _shape(sql: str) -> str:
    """The statement's verb and its first table ("INSERT reports_report")."""
    verb = sql.split(None, 1)[0].upper()
    match = _TABLE.search(sql)
    return f"{verb} {match.group(1)}" if match else verb


def test_the_report_form_post(cast: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    """The anonymous report form's POST, CSRF checked and the task kept in the database as
    in production: every statement it sends, by kind and table (savepoints aside)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from portal.tests.public_helpers import code_of, token_of
    from reports.models import Report

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("portal_reports:new"), {"institution": cast.district.pk})
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)  # type: ignore[union-attr]
    data = {
        "csrfmiddlewaretoken": csrf,
        "form_token": token_of(page),
        "institution": cast.district.pk,
        "kind": "neglect",
        "what": "민원 서류를 현장 확인 없이 반려했습니다.",
        "anonymous": "1",
    }
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(reverse("portal_reports:new"), data)
    assert response.status_code == 200
    assert code_of(response)
    statements = [str(q["sql"]) for q in ctx.captured_queries if "SAVEPOINT" not in str(q["sql"]).upper()]
    assert [_shape(sql) for sql in statements] == SUBMISSION_STATEMENTS, "\n".join(statements)
    report = Report.objects.get()
    assert report.due_on == services.deadline_of(report).due_on  # type: ignore[union-attr]
    # the same form again (a retry after a lost answer): the first report, no second one
    again = client.post(reverse("portal_reports:new"), data)
    assert code_of(again) == code_of(response)
    assert Report.objects.count() == 1
