"""The business actions of the bulk importer: upload (its check queued), start, cancel."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core import audit, importer
from core.access import Actor
from core.errors import DomainError
from core.import_readers import XLSX
from core.importer import ImportSpec
from core.models import ImportJob

CANCELLABLE = (
    ImportJob.Status.PREVIEWING,
    ImportJob.Status.PREVIEWED,
    ImportJob.Status.QUEUED,
    ImportJob.Status.RUNNING,
)


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


def import_upload(*, actor: Actor, kind: str, file: UploadedFile[bytes] | None, mode: str) -> ImportJob:
    """Store an uploaded spreadsheet and queue the check of every row (the preview), which
    runs in the background once this transaction commits. What the first rows already show
    (not a spreadsheet, too big, a header without the required columns) is refused here,
    and such a file is not kept."""
    from core.tasks_import import preview_import

    spec = _spec_for(actor, kind)
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
    importer.check_header(spec, file, detected)
    extension = "xlsx" if detected.kind == XLSX else "csv"
    job = ImportJob(
        institution_id=institution_id,
        kind=kind,
        mode=mode,
        filename=(file.name or f"upload.{extension}")[-255:],
        status=ImportJob.Status.PREVIEWING,
        created_by=actor.user,
    )
    file.seek(0)
    job.file.save(f"{uuid.uuid4().hex}.{extension}", file, save=False)
    try:
        with transaction.atomic():
            job.save()
            job_id, user_id, language = job.pk, _user_id(actor), get_language()
            transaction.on_commit(lambda: preview_import.enqueue(job_id, user_id, language))
    except BaseException:
        importer.discard_upload(job)
        raise
    return job


def _user_id(actor: Actor) -> int | None:
    return actor.user.pk if actor.user is not None else None


def import_start(*, actor: Actor, job: ImportJob, mode: str | None = None) -> ImportJob:
    """Queue a previewed import; the background task runs it once this transaction commits."""
    from core.tasks_import import run_import

    _check_job(actor, job)
    mode = _check_mode(mode or job.mode)
    if job.status == ImportJob.Status.PREVIEWING:
        raise DomainError(_("아직 파일을 검사하고 있습니다. 검사가 끝난 뒤에 시작해 주십시오."))
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
    user_id = _user_id(actor)
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
            changes={"kind": job.kind, "mode": mode, "filename": job.filename, "total_rows": job.total_rows},
        )
        job_id, language = job.pk, get_language()
        transaction.on_commit(lambda: run_import.enqueue(job_id, user_id, language))
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
            changes={"status": [before, job.status]},
        )
    if before == ImportJob.Status.PREVIEWED:
        importer.discard_upload(job)  # a job still being checked or run: its task does it when it stops
    return job


#: A preview nobody started within this many days is cancelled and its file deleted (so is a
#: check that never finished: its worker died).
PREVIEW_KEEP_DAYS = 7
UNSTARTED = (ImportJob.Status.PREVIEWING, ImportJob.Status.PREVIEWED)


def import_expire_previews(*, actor: Actor, now: datetime.datetime | None = None) -> int:
    """Cancel the previews left unstarted for PREVIEW_KEEP_DAYS and delete their files
    (the scheduler runs this; it is idempotent). Returns how many were cancelled."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=PREVIEW_KEEP_DAYS)
    expired = 0
    stale = ImportJob.objects.filter(status__in=UNSTARTED, created_at__lt=cutoff).order_by("pk")
    for job in stale.iterator(chunk_size=200):
        with transaction.atomic():
            updated = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
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
                changes={"status": [job.status, ImportJob.Status.CANCELLED]},
            )
        importer.discard_upload(job)
        expired += 1
    return expired
