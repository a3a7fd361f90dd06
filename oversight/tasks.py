"""Background tasks of the oversight app (run by the db_worker)."""

from __future__ import annotations

from django.tasks import task


@task
def build_check_report(report_id: int) -> str:
    """Write a periodic check report's PDF and XLSX (progress on the report row)."""
    from oversight.services import build

    return str(build(report_id).status)


@task
def fail_stale_check_reports() -> int:
    """Periodic: end as failed the reports whose worker vanished (see services.fail_stale)."""
    from oversight.services import fail_stale

    return fail_stale()
