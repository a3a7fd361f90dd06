"""Background tasks of the training module (run by the task worker; the monthly reminder is
enqueued by the scheduler)."""

from __future__ import annotations

from django.tasks import task


@task
def deliver_reminders(run_id: int) -> int:
    """Send the notifications of a large reminder run (idempotent: a finished run is skipped)."""
    from training.reminders import deliver

    run = deliver(run_id)
    return run.people if run is not None else 0


@task
def send_monthly_reminders() -> int:
    """Daily: each institution running a mandatory course gets its monthly reminders once a month."""
    from training.reminders import send_monthly_reminders as run

    return run()
