"""The background tasks of the bulk importer: the check of an upload (enqueued by
core.import_services.import_upload on commit) and the import itself (enqueued by
import_start). The db_worker runs them; tests run them at once with the ImmediateBackend.
They run in the language of the request that queued them: the messages they store on the
job (row errors, outcome) are read by that user."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.tasks import task
from django.utils import translation

if TYPE_CHECKING:
    from core.access import Actor


def _actor(job_id: int, user_id: int | None) -> Actor:
    """The user who uploaded or started the job, or the system acting in its institution
    when that account is gone."""
    from accounts.models import User
    from core.access import Actor, actor_for
    from core.models import ImportJob

    user = User.objects.select_related("person", "institution").filter(pk=user_id).first() if user_id else None
    if user is not None:
        return actor_for(user)
    job = ImportJob.objects.select_related("institution").filter(pk=job_id).first()
    return Actor(user=None, institution=job.institution if job is not None else None)


@task
def preview_import(job_id: int, user_id: int | None = None, language: str | None = None) -> dict[str, object] | None:
    """Check every row of an uploaded job without saving; returns the counts found."""
    from core import importer

    with translation.override(language or settings.LANGUAGE_CODE):
        checked = importer.preview(job_id, _actor(job_id, user_id))
    if checked is None:
        return None
    return {"status": checked.status, "total_rows": checked.total_rows, "rejected_rows": checked.rejected_rows}


@task
def run_import(job_id: int, user_id: int | None = None, language: str | None = None) -> dict[str, object] | None:
    """Import one queued job as the user who started it; returns its outcome."""
    from core import importer

    with translation.override(language or settings.LANGUAGE_CODE):
        done = importer.run(job_id, _actor(job_id, user_id))
    if done is None:
        return None
    return {"status": done.status, "saved_rows": done.saved_rows, "rejected_rows": done.rejected_rows}


@task
def expire_import_previews() -> dict[str, int]:
    """Periodic: cancel previews nobody started and delete their files."""
    from core.access import SYSTEM
    from core.import_services import import_expire_previews

    return {"expired": import_expire_previews(actor=SYSTEM)}
