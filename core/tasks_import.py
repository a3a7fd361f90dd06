"""The background task of the bulk importer (enqueued by core.import_services.import_start
on commit; the db_worker runs it, tests run it at once with the ImmediateBackend)."""

from __future__ import annotations

from django.tasks import task


@task
def run_import(job_id: int, user_id: int | None = None) -> dict[str, object] | None:
    """Import one queued job as the user who started it; returns its outcome."""
    from accounts.models import User
    from core import importer
    from core.access import Actor, actor_for
    from core.models import ImportJob

    user = User.objects.select_related("person", "institution").filter(pk=user_id).first() if user_id else None
    if user is not None:
        actor = actor_for(user)
    else:
        job = ImportJob.objects.select_related("institution").filter(pk=job_id).first()
        actor = Actor(user=None, institution=job.institution if job is not None else None)
    done = importer.run(job_id, actor)
    if done is None:
        return None
    return {"status": done.status, "saved_rows": done.saved_rows, "rejected_rows": done.rejected_rows}


@task
def expire_import_previews() -> dict[str, int]:
    """Periodic: cancel previews nobody started and delete their files."""
    from core.access import SYSTEM
    from core.import_services import import_expire_previews

    return {"expired": import_expire_previews(actor=SYSTEM)}
