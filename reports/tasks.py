"""Background tasks of the reports module (run by the task worker, enqueued by the
scheduler)."""

from __future__ import annotations

from django.tasks import task


@task
def erase_expired_reporter_contacts() -> int:
    """Daily: erase identified reporters' names and contacts once the retention period is over."""
    from reports.services import erase_expired_contacts

    return erase_expired_contacts()
