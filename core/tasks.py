"""Background tasks of the shared mechanisms (Django tasks; run by the db_worker).

Tasks are module-level functions so that the worker can import them by path. Each is
idempotent: running it twice does no harm, which is what lets the scheduler enqueue
them on a timer without coordination.
"""

from __future__ import annotations

from django.tasks import task


@task
def send_notification_emails(notification_ids: list[int]) -> dict[str, int]:
    """E-mail the given notifications that are still pending."""
    from core.notifications import deliver_emails

    return deliver_emails(notification_ids)


@task
def send_stale_notification_emails() -> dict[str, int]:
    """Periodic sweep: e-mail notifications whose own task never ran (a worker outage)."""
    from core.notifications import deliver_emails, stale_pending_ids

    return deliver_emails(stale_pending_ids())


@task
def send_deadline_reminders() -> dict[str, int]:
    """Periodic: remind of deadlines that are near, and report those that have passed."""
    from core.deadlines import send_deadline_reminders as run

    result = run()
    return {"reminded": result.reminded, "overdue": result.overdue, "unregistered": result.skipped_unregistered}
