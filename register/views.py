"""The work register's screens: list with filters, export, detail, create and edit."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import audit
from core.access import access, get_actor, roles
from core.errors import DomainError
from core.exporter import xlsx_response
from core.importer import get_spec
from core.keyset import numbered_page_redirect
from institutions.models import Unit
from register import links, selectors, services
from register.forms import WorkItemFilterForm, WorkItemForm
from register.models import WorkItem
from register.permissions import READ_ROLES, WRITE_ROLES, can_write

READ = roles(*READ_ROLES)
WRITE = roles(*WRITE_ROLES)


def _filter_form(request: HttpRequest) -> WorkItemFilterForm:
    actor = get_actor(request)
    return WorkItemFilterForm(request.GET or None, units=selectors.institution_units(actor))


@access(READ)
def work_item_list(request: HttpRequest) -> HttpResponse:
    """The register in pages by cursor (`?cursor=`, ADR 0029). A link of the numbered pages it
    had before (`?page=N`) goes to the first page with the same filters."""
    if (moved := numbered_page_redirect(request)) is not None:
        return moved
    actor = get_actor(request)
    form = _filter_form(request)
    page = selectors.list_page(actor, form.filters(), cursor=request.GET.get("cursor"))
    import_spec = get_spec("register")
    context = {
        "form": form,
        "page_obj": page,
        "can_create": selectors.writable_units(actor).exists(),
        "can_import": import_spec is not None and import_spec.allows(actor),
    }
    template = "register/list.html#results" if request.headers.get("HX-Request") else "register/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


EXPORT_HEADERS = [
    gettext_lazy("관리번호"),
    gettext_lazy("업무명"),
    gettext_lazy("분류"),
    gettext_lazy("담당 부서 코드"),
    gettext_lazy("담당 부서명"),
    gettext_lazy("담당자 직원번호"),
    gettext_lazy("담당자 성명"),
    gettext_lazy("법적 근거"),
    gettext_lazy("상태"),
    gettext_lazy("연도"),
    gettext_lazy("시작일"),
    gettext_lazy("종료일"),
    gettext_lazy("비고"),
]


@access(READ)
def work_item_export(request: HttpRequest) -> HttpResponseBase:
    """The filtered register as XLSX: every matching entry, streamed (the columns are the
    import template's, so a corrected export can be imported into another institution)."""
    actor = get_actor(request)
    items = selectors.work_items_for(actor, _filter_form(request).filters())
    categories = dict(WorkItem.Category.choices)
    statuses = dict(WorkItem.Status.choices)
    rows = (
        [
            reference,
            title,
            categories.get(category, category),
            unit_code,
            unit_name,
            person_number or "",
            person_name or "",
            legal_basis,
            statuses.get(status, status),
            year,
            starts_on,
            ends_on,
            notes,
        ]
        for (
            reference,
            title,
            category,
            unit_code,
            unit_name,
            person_number,
            person_name,
            legal_basis,
            status,
            year,
            starts_on,
            ends_on,
            notes,
        ) in items.values_list(
            "reference",
            "title",
            "category",
            "unit__code",
            "unit__name",
            "responsible__employee_number",
            "responsible__name",
            "legal_basis",
            "status",
            "year",
            "starts_on",
            "ends_on",
            "notes",
        ).iterator(chunk_size=2000)
    )
    filename = _("업무등록부-%(date)s.xlsx") % {"date": timezone.localdate().isoformat()}
    return xlsx_response(
        filename,
        EXPORT_HEADERS,
        rows,
        sheet_title=_("업무 등록부"),
        widths=[16, 40, 12, 14, 18, 14, 12, 30, 10, 8, 12, 12, 30],
    )


@access(READ)
def work_item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    item = selectors.work_item_or_404(actor, pk)
    context = {
        "item": item,
        "entries": audit.timeline(item),
        "sections": links.linked_sections(item, actor),
        "can_edit": can_write(actor, item.unit_id),
    }
    return render(request, "register/detail.html", context)


def _render_form(request: HttpRequest, form: WorkItemForm, item: WorkItem | None, status: int = 200) -> HttpResponse:
    return render(request, "register/form.html", {"form": form, "item": item}, status=status)


def _apply_error(form: WorkItemForm, error: DomainError) -> None:
    field = "responsible_number" if error.field == "responsible" else error.field
    form.add_error(field if field in form.fields else None, str(error.message))


@access(WRITE)
def work_item_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    units = selectors.writable_units(actor)
    if request.method == "POST":
        form = WorkItemForm(request.POST, actor=actor, units=units)
        if form.is_valid():
            try:
                item = services.work_item_create(actor=actor, **form.service_kwargs())
            except DomainError as error:
                _apply_error(form, error)
            else:
                return redirect("register:detail", pk=item.pk)
        return _render_form(request, form, None, status=400)
    initial: dict[str, Any] = {"year": timezone.localdate().year}
    if actor.unit_id is not None and units.filter(pk=actor.unit_id).exists():
        initial["unit"] = actor.unit_id
    return _render_form(request, WorkItemForm(initial=initial, actor=actor, units=units), None)


@access(WRITE)
def work_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    item = selectors.work_item_or_404(actor, pk)
    if not can_write(actor, item.unit_id):
        raise Http404
    units = selectors.writable_units(actor) | Unit.objects.filter(pk=item.unit_id)
    if request.method == "POST":
        form = WorkItemForm(request.POST, actor=actor, units=units.distinct())
        if form.is_valid():
            try:
                services.work_item_update(actor=actor, item=item, **form.service_kwargs())
            except DomainError as error:
                _apply_error(form, error)
            else:
                return redirect("register:detail", pk=item.pk)
        return _render_form(request, form, item, status=400)
    form = WorkItemForm(initial=WorkItemForm.initial_for(item), actor=actor, units=units.distinct())
    return _render_form(request, form, item)
