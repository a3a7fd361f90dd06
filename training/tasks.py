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


@task
def refresh_compliance(institution_id: int) -> int:
    """Count the institution's compliance tallies again after a change (ADR 0030)."""
    from training.tallies import refresh_stale

    return refresh_stale(institution_id)


@task
def reconcile_compliance() -> int:
    """Daily: every institution's compliance of this year counted again (ADR 0030)."""
    from training.tallies import reconcile

    return reconcile()
