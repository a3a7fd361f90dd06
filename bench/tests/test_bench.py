"""The benchmark's own parts: the baseline view, the results table, the percentile."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.urls import clear_url_caches, include, path

from bench import views
from bench.report import Row, markdown, p95, write
from config import urls as project_urls

pytestmark = pytest.mark.django_db


#: the project with the benchmark's view mounted, as BENCH_VIEWS does
urlpatterns = [path("bench/", include("bench.urls")), *project_urls.urlpatterns]


@pytest.fixture
def bench_urls():  # type: ignore[no-untyped-def]
    with override_settings(ROOT_URLCONF=__name__):
        clear_url_caches()
        yield
    clear_url_caches()


def test_the_baseline_view_writes_one_row_per_post_and_keeps_csrf(bench_urls) -> None:  # type: ignore[no-untyped-def]
    views.create_table()
    client = Client(enforce_csrf_checks=True)
    assert client.post("/bench/write/", {"body": "x"}).status_code == 403  # CSRF stays on, as for the form
    client = Client()
    answer = client.post("/bench/write/", {"body": "한 줄"})
    assert answer.status_code == 200
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT body FROM {views.TABLE} WHERE id = %s", [int(answer.content)])  # noqa: S608
        assert cursor.fetchone() == ("한 줄",)
    assert client.get("/bench/write/").status_code == 405


def test_the_floor_sends_as_many_statements_as_the_form_and_answers_its_receipt_page(bench_urls) -> None:  # type: ignore[no-untyped-def]
    from django.test.utils import CaptureQueriesContext

    from reports.tests.test_query_counts import SUBMISSION_STATEMENTS

    assert len(SUBMISSION_STATEMENTS) == views.FORM_STATEMENTS
    views.create_table()
    assert Client(enforce_csrf_checks=True).post("/bench/floor/", {"body": "x"}).status_code == 403
    client = Client()
    with CaptureQueriesContext(connection) as ctx:
        answer = client.post("/bench/floor/", {"body": "한 줄"})
    assert answer.status_code == 200
    assert 'data-testid="receipt-code"' in answer.content.decode()
    statements = [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"].upper()]
    assert len(statements) == views.FORM_STATEMENTS
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {views.TABLE} WHERE body = %s", ["한 줄"])  # noqa: S608
        assert cursor.fetchone() == (views.FORM_STATEMENTS - 1,)
    assert client.get("/bench/floor/").status_code == 405


def test_the_floor_refuses_a_throttled_client_without_an_error(bench_urls, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from portal import public

    views.create_table()
    monkeypatch.setattr(public, "SUBMIT_LIMIT", 0)
    assert Client().post("/bench/floor/", {"body": "x"}).status_code == 429


def test_the_baseline_views_are_not_mounted_outside_the_benchmark(client: Client) -> None:
    assert client.post("/bench/write/", {"body": "x"}).status_code == 404
    assert client.post("/bench/floor/", {"body": "x"}).status_code == 404


def test_p95_is_the_nearest_rank() -> None:
    assert p95([float(n) for n in range(1, 101)]) == 95
    assert p95([float(n) for n in range(1, 21)]) == 19
    assert p95([7.0]) == 7


def test_results_are_written_as_markdown_and_json(tmp_path: Path) -> None:
    rows = [
        Row("case list (p95)", "raw SQL", 12.5, 6.0, "ms", 12.5 / 6.0, "< 50 ms and ≤ 2×", False),
        Row("throughput", "bare view", 300.0, 500.0, "req/s", 0.6, "≥ 0.5×", True),
        Row("smoke only", "—", 1.0, None, "s", None, "< 30 s", None),
    ]
    meta = {
        "size": "small",
        "stamp": "20261206T000000",
        "started": "2026-12-06T00:00:00+00:00",
        "machine": "2 CPUs",
        "database": "PostgreSQL 15.2",
        "server": "gunicorn",
        "data": "50 institutions",
    }
    md, js = write(rows, meta, tmp_path)
    text = md.read_text()
    assert "| case list (p95) | raw SQL | 12.5 ms | 6.0 ms | 2.08× | < 50 ms and ≤ 2× | **no** |" in text
    assert "| throughput | bare view | 300 req/s | 500 req/s | 0.60× | ≥ 0.5× | yes |" in text
    assert "| smoke only | — | 1.0 s | — | — | < 30 s | — |" in text
    assert json.loads(js.read_text())["rows"][0]["ratio"] == pytest.approx(12.5 / 6.0)
    assert (tmp_path / "latest-small.md").read_text() == text
    assert markdown(rows, meta) == text


def test_an_absolute_row_has_no_baseline_and_shows_as_such() -> None:
    row = Row.absolute("page weight", 611.0, "KB", "< 150 KB", ok=False, detail={"path": "/"})
    assert (row.baseline, row.base, row.ratio, row.ok) == ("— (an absolute target)", None, None, False)
    meta = {"size": "s", "started": "t", "machine": "m", "database": "d", "server": "g", "data": "x"}
    assert "| page weight | — (an absolute target) | 611 KB | — | — | < 150 KB | **no** |" in markdown([row], meta)
