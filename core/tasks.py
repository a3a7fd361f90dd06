"""Background tasks of the shared mechanisms (Django tasks; run by the db_worker).

Tasks are module-level functions so that the worker can import them by path. Each is
idempotent: running it twice does no harm, which is what lets the scheduler enqueue
them on a timer without coordination.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.tasks import task


def enqueue_in_transaction(task: Any, *args: Any) -> None:
    """Enqueue `task(*args)` so that it exists exactly when the current transaction commits.
    The database backend (django-tasks-db, production) writes the task's row in the
    transaction: an outbox, gone with a rollback and kept with the commit whatever happens
    to the process next. Any other backend gets it on commit, so it never runs before the
    rows it reads are committed: a queue outside the database (Redis), and the immediate
    backend of the tests (which then runs it where production's worker would: after the
    commit)."""
    from django_tasks_db.backend import DatabaseBackend

    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args)
    else:
        transaction.on_commit(lambda: task.enqueue(*args))


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
