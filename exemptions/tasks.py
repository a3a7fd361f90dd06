"""Background tasks of the exemption module (run by the task worker, enqueued by the
scheduler)."""

from __future__ import annotations

from django.tasks import task


@task
def ensure_quarterly_reports() -> int:
    """Daily: every institution has the report of the quarter just ended, with its deadline."""
    from exemptions.services.reports import ensure_quarterly_reports as run

    return run()
