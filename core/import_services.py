"""The business actions of the bulk importer: upload (and preview), start, cancel."""

from __future__ import annotations

import contextlib
import datetime
import uuid

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, importer
from core.access import Actor
from core.errors import DomainError
from core.import_readers import XLSX
from core.importer import ImportSpec
from core.models import ImportJob

ACTIVE = (ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)
CANCELLABLE = (ImportJob.Status.PREVIEWED, ImportJob.Status.QUEUED, ImportJob.Status.RUNNING)


def _spec_for(actor: Actor, kind: str) -> ImportSpec:
    spec = importer.get_spec(kind)
    if spec is None or not spec.allows(actor):
        raise DomainError(_("이 자료를 가져올 권한이 없습니다."))
    return spec


def _check_job(actor: Actor, job: ImportJob) -> ImportSpec:
    spec = _spec_for(actor, job.kind)
    if job.institution_id != actor.institution_id:
        raise DomainError(_("이 자료를 가져올 권한이 없습니다."))
    return spec


def _check_mode(mode: str) -> str:
    if mode not in ImportJob.Mode.values:
        raise DomainError(_("저장 방식을 골라 주십시오."), field="mode")
    return mode


def _size_label(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def _delete_files(job: ImportJob) -> None:
    if not job.file:
        return
    storage = job.file.storage
    for name in (job.file.name or "", importer.row_cache_name(job), importer.rejected_name(job)):
        with contextlib.suppress(OSError):
            if storage.exists(name):
                storage.delete(name)


def import_upload(*, actor: Actor, kind: str, file: UploadedFile[bytes] | None, mode: str) -> ImportJob:
    """Store an uploaded spreadsheet and check every row without saving (the preview).
    A file that cannot be imported as a whole is refused and not kept."""
    _spec_for(actor, kind)
    _check_mode(mode)
    institution_id = actor.institution_id
    assert institution_id is not None  # _spec_for refuses actors without an institution
    if file is None or not file.size:
        raise DomainError(_("빈 파일입니다. 내용이 있는 파일을 올려 주십시오."), field="file")
    limit = int(settings.IMPORT_MAX_BYTES)
    if file.size > limit:
        raise DomainError(
            _("파일이 너무 큽니다(%(size)s). %(max)s 이하로 나누어 올려 주십시오.")
            % {"size": _size_label(file.size), "max": _size_label(limit)},
            field="file",
        )
    detected = importer.detect_upload(file)
    extension = "xlsx" if detected.kind == XLSX else "csv"
    job = ImportJob(
        institution_id=institution_id,
        kind=kind,
        mode=mode,
        filename=(file.name or f"upload.{extension}")[-255:],
        status=ImportJob.Status.PREVIEWED,
        created_by=actor.user,
    )
    file.seek(0)
    job.file.save(f"{uuid.uuid4().hex}.{extension}", file, save=False)
    job.save()
    try:
        importer.preview(job, actor)
    except BaseException:
        _delete_files(job)
        job.delete()
        raise
    return job


def import_start(*, actor: Actor, job: ImportJob, mode: str | None = None) -> ImportJob:
    """Queue a previewed import; the background task runs it once this transaction commits."""
    from core.tasks_import import run_import

    _check_job(actor, job)
    mode = _check_mode(mode or job.mode)
    if job.status != ImportJob.Status.PREVIEWED:
        raise DomainError(_("이미 시작했거나 끝난 가져오기입니다."))
    if mode == ImportJob.Mode.ALL_OR_NOTHING and job.rejected_rows:
        raise DomainError(
            _(
                "오류가 있는 행이 %(count)s개 있어 '모두 저장하거나 하나도 저장하지 않음' 방식으로는 가져올 수 "
                "없습니다. 오류를 고친 파일을 다시 올리거나 '올바른 행만 저장' 방식을 고르십시오."
            )
            % {"count": f"{job.rejected_rows:,}"},
            field="mode",
        )
    if job.rejected_rows >= job.total_rows:
        raise DomainError(_("저장할 수 있는 행이 없습니다. 오류를 고친 파일을 다시 올려 주십시오."))
    user_id = actor.user.pk if actor.user is not None else None
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
            status=ImportJob.Status.QUEUED, mode=mode, processed_rows=0
        )
        if not updated:
            raise DomainError(_("이미 시작했거나 끝난 가져오기입니다."))
        job.refresh_from_db()
        audit.record(
            actor=actor,
            action="imports.queued",
            target=job,
            target_label=f"{job.kind}: {job.filename}"[:300],
            changes={"kind": job.kind, "mode": mode, "filename": job.filename, "total_rows": job.total_rows},
        )
        job_id = job.pk
        transaction.on_commit(lambda: run_import.enqueue(job_id, user_id))
    return job


def import_cancel(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Cancel an import that has not finished. Rows a running import already saved stay."""
    _check_job(actor, job)
    with transaction.atomic():
        before = job.status
        updated = ImportJob.objects.filter(pk=job.pk, status__in=CANCELLABLE).update(
            status=ImportJob.Status.CANCELLED, finished_at=timezone.now()
        )
        if not updated:
            raise DomainError(_("이미 끝난 가져오기는 취소할 수 없습니다."))
        job.refresh_from_db()
        audit.record(
            actor=actor,
            action="imports.cancelled",
            target=job,
            target_label=f"{job.kind}: {job.filename}"[:300],
            changes={"status": [before, job.status]},
        )
    if before == ImportJob.Status.PREVIEWED:
        importer.discard_upload(job)  # a queued or running job's task does it when it stops
    return job


#: A preview nobody started within this many days is cancelled and its file deleted.
PREVIEW_KEEP_DAYS = 7


def import_expire_previews(*, actor: Actor, now: datetime.datetime | None = None) -> int:
    """Cancel the previews left unstarted for PREVIEW_KEEP_DAYS and delete their files
    (the scheduler runs this; it is idempotent). Returns how many were cancelled."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=PREVIEW_KEEP_DAYS)
    expired = 0
    stale = ImportJob.objects.filter(status=ImportJob.Status.PREVIEWED, created_at__lt=cutoff).order_by("pk")
    for job in stale.iterator(chunk_size=200):
        with transaction.atomic():
            updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED).update(
                status=ImportJob.Status.CANCELLED,
                finished_at=timezone.now(),
                message=_("%(days)s일 동안 시작하지 않아 자동으로 취소했습니다.") % {"days": PREVIEW_KEEP_DAYS},
            )
            if not updated:
                continue
            audit.record(
                actor=actor,
                action="imports.expired",
                target=job,
                institution_id=job.institution_id,
                target_label=f"{job.kind}: {job.filename}"[:300],
                changes={"status": [ImportJob.Status.PREVIEWED, ImportJob.Status.CANCELLED]},
            )
        importer.discard_upload(job)
        expired += 1
    return expired
