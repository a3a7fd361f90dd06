"""The shared screens of the bulk importer: upload, preview, progress, report, downloads.

The door of every view is LOGIN; each then resolves the import kind (or the job) through
core.import_selectors, which answers 404 unless the actor holds one of that spec's roles in
the job's institution. A kind's roles are declared once, on its ImportSpec.
"""

from __future__ import annotations

from pathlib import PurePath

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import import_services, importer
from core.access import LOGIN, Actor, access, get_actor
from core.errors import DomainError
from core.exporter import Sheet, xlsx_response
from core.import_forms import StartForm, UploadForm
from core.import_selectors import import_job_or_404, recent_jobs, spec_or_404
from core.importer import ImportSpec
from core.models import ImportJob

#: The page polls its progress partial while the job is in one of these.
ACTIVE = {ImportJob.Status.PREVIEWING, ImportJob.Status.QUEUED, ImportJob.Status.RUNNING}


def _list_url(spec: ImportSpec, actor: Actor) -> str:
    if not spec.list_url:
        return ""
    try:
        return spec.list_url(actor) if callable(spec.list_url) else reverse(spec.list_url)
    except NoReverseMatch:
        return ""


def _add_error(form: UploadForm | StartForm, error: DomainError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


@access(LOGIN)
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    actor = get_actor(request)
    spec = spec_or_404(actor, kind)
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                job = import_services.import_upload(
                    actor=actor, kind=kind, file=form.cleaned_data["file"], mode=form.cleaned_data["mode"]
                )
            except DomainError as error:
                _add_error(form, error)
            else:
                return redirect("imports:job", pk=job.pk)
        status = 400
    else:
        form = UploadForm()
    context = {
        "spec": spec,
        "form": form,
        "jobs": recent_jobs(actor, kind),
        "columns": spec.columns,
        "list_url": _list_url(spec, actor),
    }
    return render(request, "imports/upload.html", context, status=status)


def _job_context(job: ImportJob, spec: ImportSpec, actor: Actor) -> dict[str, object]:
    stored_errors = [e for e in job.errors if isinstance(e, dict)]
    return {
        "job": job,
        "spec": spec,
        "is_active": job.status in ACTIVE,
        "is_finished": job.status in {ImportJob.Status.DONE, ImportJob.Status.FAILED, ImportJob.Status.CANCELLED},
        "row_errors": [e for e in stored_errors if e.get("row") is not None],
        "more_errors": next((e for e in stored_errors if e.get("more")), None),
        "valid_rows": max(job.total_rows - job.rejected_rows, 0),
        "has_rejected_file": job.status != ImportJob.Status.PREVIEWED and importer.has_rejected_file(job),
        "list_url": _list_url(spec, actor),
    }


@access(LOGIN)
def job_page(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    job = import_job_or_404(actor, pk)
    spec = spec_or_404(actor, job.kind)
    context = _job_context(job, spec, actor)
    if job.status == ImportJob.Status.PREVIEWED:
        context["sample"] = importer.sample(job)
        context["start_form"] = StartForm(initial={"mode": job.mode})
    return render(request, "imports/job.html", context)


@access(LOGIN)
def progress(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    job = import_job_or_404(actor, pk)
    spec = spec_or_404(actor, job.kind)
    if job.status == ImportJob.Status.PREVIEWED:
        # The check is done: the whole page changes (row errors, sample, start form), so
        # htmx loads it again instead of swapping the partial.
        url = reverse("imports:job", kwargs={"pk": job.pk})
        if request.headers.get("HX-Request"):
            return HttpResponse(headers={"HX-Redirect": url})
        return redirect(url)
    return render(request, "imports/job.html#progress", _job_context(job, spec, actor))


@access(LOGIN)
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    job = import_job_or_404(actor, pk)
    spec = spec_or_404(actor, job.kind)
    form = StartForm(request.POST)
    if form.is_valid():
        try:
            import_services.import_start(actor=actor, job=job, mode=form.cleaned_data["mode"])
        except DomainError as error:
            _add_error(form, error)
        else:
            return redirect("imports:job", pk=job.pk)
    job.refresh_from_db()
    context = _job_context(job, spec, actor)
    if job.status == ImportJob.Status.PREVIEWED:
        context["sample"] = importer.sample(job)
    context["start_form"] = form
    return render(request, "imports/job.html", context, status=400)


@access(LOGIN)
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    job = import_job_or_404(actor, pk)
    spec_or_404(actor, job.kind)
    try:
        import_services.import_cancel(actor=actor, job=job)
    except DomainError as error:
        from django.contrib import messages

        messages.error(request, str(error.message))
    return redirect("imports:job", pk=job.pk)


@access(LOGIN)
def rejected(request: HttpRequest, pk: int) -> HttpResponseBase:
    actor = get_actor(request)
    job = import_job_or_404(actor, pk)
    spec_or_404(actor, job.kind)
    if job.status == ImportJob.Status.PREVIEWED or not importer.has_rejected_file(job):
        from django.http import Http404

        raise Http404
    stem = PurePath(job.filename).stem or job.kind
    handle = job.file.storage.open(importer.rejected_name(job), "rb")
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=_("%(name)s-오류행.xlsx") % {"name": stem},
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@access(LOGIN)
def template(request: HttpRequest, kind: str) -> HttpResponseBase:
    spec = spec_or_404(get_actor(request), kind)
    return template_response(spec)


def template_response(spec: ImportSpec) -> HttpResponseBase:
    """The empty spreadsheet to fill in: the header row, and a guide sheet."""
    guide = [
        [
            column.label,
            _("필수") if column.required else _("선택"),
            str(column.help) or column.parser.describe(),
            ", ".join(column.other_headers),
        ]
        for column in spec.columns
    ]
    return xlsx_response(
        _("%(label)s 서식.xlsx") % {"label": spec.label},
        [column.label for column in spec.columns],
        [],
        sheet_title=str(spec.label),
        extra_sheets=[
            Sheet(
                headers=[_("열 이름"), _("필수 여부"), _("적는 법"), _("함께 쓸 수 있는 열 이름")],
                rows=guide,
                title=_("작성 안내"),
                widths=[22, 12, 60, 40],
                wrap=True,
            )
        ],
    )
