"""Background tasks of the reports module (run by the task worker, enqueued by the
scheduler)."""

from __future__ import annotations

from django.tasks import task


@task
def erase_expired_reporter_contacts() -> int:
    """Daily: erase identified reporters' names and contacts once the retention period is over."""
    from reports.services import erase_expired_contacts

    return erase_expired_contacts()


@task
def route_new_report(report_id: int) -> int:
    """Tell the audit unit of a new report (enqueued by submit_report in the report's own
    transaction; idempotent: a retry tells nobody twice)."""
    from reports.services import route_new_report as route

    return route(report_id)
