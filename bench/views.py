"""The baseline of the report submission measure: a bare Django view that writes one row.

Mounted at /bench/ only when the settings' BENCH_VIEWS is on (the benchmark's server);
it goes through the same middleware as every page (sessions, CSRF, CSP, security), so the
difference to the real form is the form, the service and the page.
"""

from __future__ import annotations

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from core.access import PUBLIC, access

TABLE = "bench_row"


def create_table() -> None:
    """The baseline's table (not a model: it exists only in benchmark databases)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, body text NOT NULL)")
        else:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} (id integer PRIMARY KEY AUTOINCREMENT, body text NOT NULL)"
            )


@access(PUBLIC)
@require_POST
def write_one_row(request: HttpRequest) -> HttpResponse:
    """Insert the posted body as one row and answer its id."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {TABLE} (body) VALUES (%s) RETURNING id", [request.POST.get("body", "")])  # noqa: S608
        (row_id,) = cursor.fetchone()
    return HttpResponse(str(row_id), content_type="text/plain")
