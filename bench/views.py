"""The baselines of the report submission measure: a bare Django view that writes one row,
and the submission's floor.

Mounted at /bench/ only when the settings' BENCH_VIEWS is on (the benchmark's server);
they go through the same middleware as every page (sessions, CSRF, CSP, security), so the
difference to the real form is the form, the service and the page.
"""

from __future__ import annotations

import secrets
from types import SimpleNamespace

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from core.access import PUBLIC, access
from core.errors import DomainError
from portal.forms import ReceiptConfirmForm
from portal.public import SubmissionForms
from reports import receipts

TABLE = "bench_row"

#: the statements of the report form's post: one read, then its writes in one transaction
#: (reports/tests/test_query_counts.py lists them; bench/tests checks the number agrees)
FORM_STATEMENTS = 8

#: the floor's cache writes go under a namespace of their own (never the real form's)
FLOOR = SubmissionForms("bench.floor")


def create_table() -> None:
    """The baseline's table (not a model: it exists only in benchmark databases)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, body text NOT NULL)")
        else:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY AUTOINCREMENT, body text NOT NULL)"
            )


def _insert(cursor: object, body: str) -> int:
    cursor.execute(f"INSERT INTO {TABLE} (body) VALUES (%s) RETURNING id", [body])  # type: ignore[attr-defined]  # noqa: S608
    (row_id,) = cursor.fetchone()  # type: ignore[attr-defined]
    return int(row_id)


@access(PUBLIC)
@require_POST
def write_one_row(request: HttpRequest) -> HttpResponse:
    """Insert the posted body as one row and answer its id."""
    with transaction.atomic(), connection.cursor() as cursor:
        row_id = _insert(cursor, request.POST.get("body", ""))
    return HttpResponse(str(row_id), content_type="text/plain")


@access(PUBLIC)
@require_POST
def write_like_the_form(request: HttpRequest) -> HttpResponse:
    """The floor of the report form: the least its current statement plan costs (one round
    trip per statement), with nothing else. The client's submissions counted and a receipt code reserved in the
    cache (as the form does), as many statements as the form sends, raw (one read, then
    one-row inserts of the posted text, in one transaction), and the same receipt page.
    No validation, no model, no audit hashing: not a report, a bound for the ratio."""
    try:
        FLOOR.throttle(receipts.client_key(request))
    except DomainError:  # the form shows its page again with the error; here a plain refusal
        return HttpResponse(status=429)
    code = FLOOR.reserve_code(secrets.token_hex(16))
    body = request.POST.get("body", "")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {TABLE} WHERE id = %s", [0])  # noqa: S608
        cursor.fetchall()
        for _ in range(FORM_STATEMENTS - 1):
            row_id = _insert(cursor, body)
    from reports.portal_views import PAGES

    confirm = ReceiptConfirmForm(initial={"form_token": secrets.token_urlsafe(60)})
    return PAGES.receipt_page(request, SimpleNamespace(number=str(row_id)), code, confirm)
