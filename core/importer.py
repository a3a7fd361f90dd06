"""The bulk importer: XLSX/CSV files into any model, driven by a declared spec.

A module declares what it imports once, as an `ImportSpec` (columns with the header labels
accepted in Korean and English, a parser per column, the key that identifies a record, and
`build` turning a row's values into unsaved model instances) and registers it with
`register_spec`. The shared screens (core/import_views.py), the background task
(core/tasks_import.py) and the template download then work for it unchanged.

The upload itself refuses at once what its first rows show (format, size, header: see
`check_header`), then two background passes go over the file:
- `preview(job_id)`, queued by the upload, validates every row without saving: each cell's
  parser, the references resolved in bulk (one query per reference column per batch),
  duplicate keys within the file and against the database, the spec's own cross-field
  checks. Errors are stored per row with the row number and column name (the first
  `ERROR_LIMIT`, and how many more).
- `run(job_id)` validates again (the database may have changed since) and saves: in VALID_ROWS
  mode every valid row, batch by batch with bulk_create; in ALL_OR_NOTHING mode nothing at
  all if any row fails, otherwise everything in one transaction. It reports progress after
  each batch, writes a spreadsheet of the rejected rows with their errors, and records ONE
  audit entry for the import with its counts.
See docs/adr/0003-bulk-import.md.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.access import Actor
from core.import_readers import XLSX, Detected, ImportRefused, RowCacheWriter, detect
from core.import_specs import (
    ColumnSpec,
    ImportContext,
    ImportSpec,
    RowErrors,
    get_spec,
    normalise_header,
    register_spec,
    specs,
    specs_for,
    unregister_spec,
)
from core.import_validation import (
    PassResult,
    RejectedRows,
    Row,
    Source,
    analyse,
    check_header,
    find_header,
    rejected_name,
    row_cache_name,
    storage_of,
    unknown_columns_warning,
)
from core.models import ImportJob

__all__ = [
    "ColumnSpec",
    "ImportContext",
    "ImportSpec",
    "RowErrors",
    "check_header",
    "discard_upload",
    "get_spec",
    "has_rejected_file",
    "normalise_header",
    "preview",
    "register_spec",
    "rejected_name",
    "row_cache_name",
    "run",
    "sample",
    "specs",
    "specs_for",
    "unregister_spec",
]

logger = logging.getLogger(__name__)

SAMPLE_ROWS = 20


# --- Preview -------------------------------------------------------------------------------------


def context_for(job: ImportJob, actor: Actor) -> ImportContext:
    return ImportContext(actor=actor, institution_id=job.institution_id, job=job)


def preview(job_id: int, actor: Actor) -> ImportJob | None:
    """Validate every row of a job's file without saving (called by the background task);
    store the errors and counts and mark the job PREVIEWED. Never raises for a bad file: the
    job ends FAILED with the reason and its file is deleted. A job cancelled meanwhile stops
    at the next batch."""
    job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PREVIEWING).first()
    if job is None:
        job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.CANCELLED).first()
        if job is not None:  # cancelled before the check began
            discard_upload(job)
        return None
    context = context_for(job, actor)
    cache: RowCacheWriter | None = None

    def checked(result: PassResult) -> None:
        if _is_cancelled(job):
            raise _Cancelled
        _progress(job, result.total)

    try:
        spec = _spec_of(job)
        source = Source.for_job(job, use_cache=False)
        cache = RowCacheWriter() if source.detected.kind == XLSX else None
        result, _rejected = analyse(spec, context, source, cache=cache, after_batch=checked)
        if cache is not None:
            cache.save(storage_of(job), row_cache_name(job))
    except _Cancelled:
        discard_upload(job)
        return None
    except ImportRefused as exc:
        _refuse(job, str(exc.message))
        job.refresh_from_db()
        return job
    except Exception:
        logger.exception("import job %s could not be checked", job.pk)
        _refuse(job, _("예기치 못한 오류로 파일을 검사하지 못했습니다. 관리자에게 알려 주십시오."))
        raise
    finally:
        if cache is not None:
            cache.discard()
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWING).update(
        status=ImportJob.Status.PREVIEWED,
        total_rows=result.total,
        rejected_rows=result.log.rejected_rows,
        saved_rows=0,
        processed_rows=0,
        errors=result.log.as_json(),
        message=" ".join(filter(None, [unknown_columns_warning(result.header), *context.warnings])),
    )
    if not updated:  # cancelled after the last batch
        discard_upload(job)
        return None
    job.refresh_from_db()
    return job


def _refuse(job: ImportJob, message: str) -> None:
    """End a check that found the file unusable as a whole; nothing was saved, so the
    file goes at once."""
    ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWING).update(
        status=ImportJob.Status.FAILED, message=message, processed_rows=0, finished_at=timezone.now()
    )
    discard_upload(job)


@dataclass(frozen=True)
class SampleRow:
    number: int
    cells: list[str]
    has_error: bool


@dataclass(frozen=True)
class Sample:
    columns: list[str]
    rows: list[SampleRow]


def sample(job: ImportJob, limit: int = SAMPLE_ROWS) -> Sample:
    """The first rows of the file as read (for the preview page)."""
    spec = _spec_of(job)
    try:
        source = Source.for_job(job)
        rows = source.rows()
        header, after = find_header(spec, rows)
    except (ImportRefused, OSError):  # the file is gone (cancelled, expired) or unreadable
        return Sample([], [])
    present = header.present(spec)
    bad = {e.get("row") for e in job.errors if isinstance(e, dict)}

    def data() -> Iterator[tuple[int, list[str]]]:
        yield from after
        yield from rows

    picked = []
    for number, cells in islice(data(), limit):
        values = header.pick(cells)
        picked.append(SampleRow(number, [values.get(c.key, "") for c in present], number in bad))
    close = getattr(rows, "close", None)
    if close is not None:
        close()  # release the file now rather than when the generator is collected
    return Sample([header.labels[c.key] for c in present], picked)


# --- Run ---------------------------------------------------------------------------------------


class _Cancelled(Exception):
    pass


class _ChangedMeanwhile(Exception):
    pass


def _spec_of(job: ImportJob) -> ImportSpec:
    spec = get_spec(job.kind)
    if spec is None:
        raise ImportRefused(_("알 수 없는 가져오기 종류입니다: %(kind)s") % {"kind": job.kind})
    return spec


def _is_cancelled(job: ImportJob) -> bool:
    return ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CANCELLED).exists()


def _bulk_save(spec: ImportSpec, rows: list[Row]) -> None:
    """Save a batch; when the database refuses it (a record added meanwhile), save row by row
    and reject only the rows it refuses."""
    manager = spec.model._default_manager
    try:
        with transaction.atomic():
            manager.bulk_create([i for r in rows for i in r.instances])
    except IntegrityError:
        for row in rows:
            for instance in row.instances:
                instance.pk = None
                instance._state.adding = True
            try:
                with transaction.atomic():
                    manager.bulk_create(row.instances)
            except IntegrityError:
                row.errors.append(("", _("저장하는 사이에 같은 자료가 등록되어 저장하지 못했습니다.")))


def run(job_id: int, actor: Actor) -> ImportJob | None:
    """Import a queued job (called by the background task). Never raises for a bad file:
    the job ends FAILED with the reason."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, processed_rows=0, saved_rows=0, message=""
    )
    if not claimed:
        job = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.CANCELLED).first()
        if job is not None:  # cancelled while queued: nothing to do but clean up
            discard_upload(job)
        return None
    job = ImportJob.objects.get(pk=job_id)
    context = context_for(job, actor)
    try:
        spec = _spec_of(job)
        if job.mode == ImportJob.Mode.ALL_OR_NOTHING:
            _run_all_or_nothing(job, spec, context)
        else:
            _run_valid_rows(job, spec, context)
    except ImportRefused as exc:
        _fail(job, context, str(exc.message))
    except Exception:
        logger.exception("import job %s failed", job.pk)
        _fail(job, context, _("예기치 못한 오류로 가져오기를 마치지 못했습니다. 관리자에게 알려 주십시오."))
        raise
    finally:
        discard_upload(job)
    job.refresh_from_db()
    return job


def _fail(job: ImportJob, context: ImportContext, message: str) -> None:
    """End a run that could not finish; the audit entry keeps what was saved before."""
    job.refresh_from_db()
    with transaction.atomic():
        _audit(
            job,
            context,
            total=job.total_rows,
            saved=job.saved_rows,
            rejected=job.rejected_rows,
            outcome="failed",
        )
        _finish(job, context, status=ImportJob.Status.FAILED, message=message)


def _progress(job: ImportJob, rows: int) -> None:
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=rows)


def _run_valid_rows(job: ImportJob, spec: ImportSpec, context: ImportContext) -> None:
    def save(rows: list[Row]) -> None:
        if _is_cancelled(job):
            raise _Cancelled
        _bulk_save(spec, rows)

    def after_batch(result: PassResult) -> None:
        ImportJob.objects.filter(pk=job.pk).update(
            processed_rows=result.total, saved_rows=result.saved, rejected_rows=result.log.rejected_rows
        )

    try:
        result, rejected_rows = analyse(
            spec, context, Source.for_job(job), save=save, after_batch=after_batch, collect_rejected=True
        )
    except _Cancelled:
        job.refresh_from_db()
        with transaction.atomic():
            if spec.finish is not None:
                spec.finish(context)
            _audit(
                job,
                context,
                total=job.total_rows,
                saved=job.saved_rows,
                rejected=job.rejected_rows,
                outcome="cancelled",
            )
        _finish(
            job,
            context,
            status=ImportJob.Status.CANCELLED,
            message=_("가져오기를 취소했습니다. 취소 전에 %(saved)s행을 저장했습니다.")
            % {"saved": f"{job.saved_rows:,}"},
        )
        return
    _store_rejected(job, rejected_rows)
    with transaction.atomic():
        if spec.finish is not None:
            spec.finish(context)
        _audit(job, context, total=result.total, saved=result.saved, rejected=result.log.rejected_rows, outcome="done")
        _finish(job, context, status=ImportJob.Status.DONE, result=result, message=_done_message(result, context))


def _run_all_or_nothing(job: ImportJob, spec: ImportSpec, context: ImportContext) -> None:
    # Pass 1 checks every row without saving; the progress bar shows it as the first half.
    def checked(result: PassResult) -> None:
        if _is_cancelled(job):
            raise _Cancelled
        _progress(job, result.total // 2)

    try:
        first, rejected_rows = analyse(spec, context, Source.for_job(job), after_batch=checked, collect_rejected=True)
    except _Cancelled:
        with transaction.atomic():
            _audit(job, context, total=job.total_rows, saved=0, rejected=0, outcome="cancelled")
        _finish(
            job,
            context,
            status=ImportJob.Status.CANCELLED,
            message=_("가져오기를 취소했습니다. 아무것도 저장하지 않았습니다."),
        )
        return
    if first.log.rejected_rows:
        _store_rejected(job, rejected_rows)
        first.saved = 0
        with transaction.atomic():
            _audit(job, context, total=first.total, saved=0, rejected=first.log.rejected_rows, outcome="failed")
            _finish(
                job,
                context,
                status=ImportJob.Status.FAILED,
                result=first,
                message=_(
                    "오류가 있는 행이 %(rejected)s개 있어 아무것도 저장하지 않았습니다. "
                    "오류를 고친 뒤 다시 올려 주십시오."
                )
                % {"rejected": f"{first.log.rejected_rows:,}"},
            )
        return
    ImportJob.objects.filter(pk=job.pk).update(
        message=_("모든 행을 확인했습니다. 한 번에 저장하는 중입니다."), processed_rows=first.total // 2
    )

    # Pass 2 validates again and saves everything in one transaction; any row that fails now
    # (the database changed since pass 1) rolls the whole import back.
    def save(rows: list[Row]) -> None:
        spec.model._default_manager.bulk_create([i for r in rows for i in r.instances])

    def strict(result: PassResult) -> None:
        if result.log.rejected_rows:
            raise _ChangedMeanwhile

    fresh = ImportContext(actor=context.actor, institution_id=context.institution_id, job=job)
    try:
        with transaction.atomic():
            second, _unused = analyse(spec, fresh, Source.for_job(job), save=save, after_batch=strict)
            if spec.finish is not None:
                spec.finish(fresh)
            _audit(job, fresh, total=second.total, saved=second.saved, rejected=0, outcome="done")
            _finish(job, fresh, status=ImportJob.Status.DONE, result=second, message=_done_message(second, fresh))
    except (_ChangedMeanwhile, IntegrityError):
        with transaction.atomic():
            _audit(job, context, total=first.total, saved=0, rejected=0, outcome="failed")
        _finish(
            job,
            context,
            status=ImportJob.Status.FAILED,
            message=_(
                "확인한 뒤 저장하는 사이에 같은 자료가 등록되어 아무것도 저장하지 않았습니다. 다시 시도해 주십시오."
            ),
        )


def _done_message(result: PassResult, context: ImportContext) -> str:
    parts = [_("%(saved)s행을 저장했습니다.") % {"saved": f"{result.saved:,}"}]
    if result.log.rejected_rows:
        parts.append(
            _(
                "오류가 있는 %(rejected)s행은 저장하지 않았습니다. "
                "오류 행 파일을 내려받아 고친 뒤 다시 올릴 수 있습니다."
            )
            % {"rejected": f"{result.log.rejected_rows:,}"}
        )
    warning = unknown_columns_warning(result.header)
    return " ".join(filter(None, [*parts, warning, *context.warnings]))


def _store_rejected(job: ImportJob, rejected_rows: RejectedRows | None) -> None:
    storage = storage_of(job)
    name = rejected_name(job)
    if rejected_rows is not None:
        rejected_rows.save(storage, name)
    elif storage.exists(name):
        storage.delete(name)


def discard_upload(job: ImportJob) -> None:
    """Delete the uploaded file and the row cache once they are no longer needed (the run
    has ended, or the import was abandoned): the rows may hold personal data. The
    rejected-rows spreadsheet stays for the report."""
    storage = storage_of(job)
    for name in (row_cache_name(job), job.file.name or ""):
        with contextlib.suppress(OSError):
            if name and storage.exists(name):
                storage.delete(name)


def has_rejected_file(job: ImportJob) -> bool:
    return bool(job.file) and storage_of(job).exists(rejected_name(job))


def _audit(job: ImportJob, context: ImportContext, *, total: int, saved: int, rejected: int, outcome: str) -> None:
    audit.record(
        actor=context.actor,
        action="imports.finished",
        target=job,
        institution_id=job.institution_id,
        changes={
            "kind": job.kind,
            "mode": job.mode,
            "filename": job.filename,
            "outcome": outcome,
            "total_rows": total,
            "saved_rows": saved,
            "rejected_rows": rejected,
        },
    )


def _finish(
    job: ImportJob,
    context: ImportContext,
    *,
    status: str,
    message: str,
    result: PassResult | None = None,
) -> None:
    fields: dict[str, Any] = {"message": message, "finished_at": timezone.now()}
    if result is not None:
        fields.update(
            total_rows=result.total,
            processed_rows=result.total,
            saved_rows=result.saved,
            rejected_rows=result.log.rejected_rows,
            errors=result.log.as_json(),
        )
    # A cancellation that arrived meanwhile stays a cancellation.
    updated = (
        ImportJob.objects.filter(pk=job.pk).exclude(status=ImportJob.Status.CANCELLED).update(status=status, **fields)
    )
    if not updated:
        ImportJob.objects.filter(pk=job.pk).update(**fields)


def detect_upload(fileobj: Any) -> Detected:
    """Check an uploaded file's content before it is stored (never its name)."""
    return detect(fileobj)
