"""The library's office pages: the list (my cases / the review queue / all), a case's page
with its actions and pictures, the case form. Thin: parse a form, call one service,
redirect or re-render with errors (ADR 0016)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from core import audit
from core.access import Actor, access, get_actor, get_visible_or_404, roles, same_institution
from core.actions import Action, EmptyForm, actions_by_name
from core.actions import run as run_action
from core.errors import DomainError
from core.keyset import numbered_page_redirect
from core.models import Attachment
from institutions.models import Unit
from library import selectors, services
from library.forms import ALIASES, CaseForm, FilterForm, ImageForm, ReasonForm, add_domain_error
from library.models import BestPractice
from library.permissions import LIST_ROLES, REVIEW_ROLES, WRITE_ROLES
from library.workflow import AUTHOR, EDITABLE, LIBRARY, case_roles, is_reviewer, is_writer

READ = roles(*LIST_ROLES)
WRITE = roles(*WRITE_ROLES)
REVIEW = roles(*REVIEW_ROLES)


ACTIONS: dict[str, Action] = actions_by_name(
    [
        Action(
            "submit",
            _("검토 요청"),
            EmptyForm,
            lambda actor, c, d: services.case_submit(actor=actor, case=c),
            style="primary",
            help=_("검토자(적극행정 책임관 또는 인사 담당자)가 승인하면 국민코너에 공개됩니다."),
        ),
        Action(
            "withdraw", _("검토 요청 취소"), EmptyForm, lambda actor, c, d: services.case_withdraw(actor=actor, case=c)
        ),
        Action(
            "publish",
            _("승인하고 공개"),
            EmptyForm,
            lambda actor, c, d: services.case_publish(actor=actor, case=c),
            style="primary",
            help=_("승인하면 누구나 국민코너의 우수사례에서 볼 수 있습니다."),
        ),
        Action(
            "return",
            _("보완 요청(작성자에게 돌려보냄)"),
            ReasonForm,
            lambda actor, c, d: services.case_return(actor=actor, case=c, reason=d["reason"]),
            help=_("사유는 작성자에게 보입니다."),
        ),
        Action(
            "unpublish",
            _("공개 중단"),
            ReasonForm,
            lambda actor, c, d: services.case_unpublish(actor=actor, case=c, reason=d["reason"]),
            style="tertiary",
            help=_("국민코너에서 내리고 작성자에게 돌려보냅니다. 사유는 작성자에게 보입니다."),
        ),
    ]
)


# --- Lists ----------------------------------------------------------------------------


def _scopes(actor: Actor) -> list[str]:
    scopes = []
    if is_writer(actor):
        scopes.append(selectors.SCOPE_MINE)
    if is_reviewer(actor):
        scopes.append(selectors.SCOPE_QUEUE)
    scopes.append(selectors.SCOPE_ALL)
    return scopes


def _list(request: HttpRequest, *, default_scope: str | None = None) -> HttpResponse:
    """The list in pages by cursor (`?cursor=`, ADR 0029), every scope. A link of the
    numbered pages it had before (`?page=N`) goes to the first page with the same filters."""
    if (moved := numbered_page_redirect(request)) is not None:
        return moved
    actor = get_actor(request)
    scopes = _scopes(actor)
    form = FilterForm(request.GET or None, scopes=scopes, default_scope=default_scope or scopes[0])
    filters = form.filters()
    page = selectors.list_page(actor, filters, cursor=request.GET.get("cursor"))
    context = {
        "form": form,
        "page_obj": page,
        "scope": filters.scope,
        "can_create": is_writer(actor),
        "list_url": request.path,
    }
    template = "library/list.html#results" if request.headers.get("HX-Request") else "library/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@access(READ)
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    return _list(request)


@access(REVIEW)
@require_GET
def case_queue(request: HttpRequest) -> HttpResponse:
    return _list(request, default_scope=selectors.SCOPE_QUEUE)


# --- The form -------------------------------------------------------------------------


def _units(actor: Actor) -> QuerySet[Unit]:
    return same_institution(actor, Unit.objects.filter(is_active=True)).order_by("code")


def _render_form(request: HttpRequest, form: CaseForm, case: BestPractice | None, status: int = 200) -> HttpResponse:
    return render(request, "library/form.html", {"form": form, "case": case}, status=status)


@access(WRITE)
def case_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    units = _units(actor)
    if request.method == "POST":
        form = CaseForm(request.POST, actor=actor, units=units)
        if form.is_valid():
            try:
                case = services.case_create(actor=actor, **form.service_kwargs())
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(case)
        return _render_form(request, form, None, status=400)
    initial: dict[str, Any] = {}
    if actor.unit_id is not None:
        initial["unit"] = actor.unit_id
    if actor.user is not None and actor.user.person is not None:
        initial["officials_numbers"] = actor.user.person.employee_number
    return _render_form(request, CaseForm(initial=initial, actor=actor, units=units), None)


@access(WRITE)
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.case_or_404(actor, pk)
    if AUTHOR not in case_roles(actor, case) or case.status not in EDITABLE:
        raise Http404
    units = _units(actor)
    if request.method == "POST":
        form = CaseForm(request.POST, actor=actor, units=units)
        if form.is_valid():
            try:
                services.case_update(actor=actor, case=case, **form.service_kwargs())
            except DomainError as error:
                add_domain_error(form, error)
            else:
                return redirect(case)
        return _render_form(request, form, case, status=400)
    return _render_form(request, CaseForm(initial=CaseForm.initial_for(case), actor=actor, units=units), case)


# --- The case's page ------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    actor: Actor,
    case: BestPractice,
    *,
    failed: tuple[str, forms.Form] | None = None,
    image_form: ImageForm | None = None,
    status: int = 200,
) -> HttpResponse:
    case_role_set = case_roles(actor, case)
    allowed = {t.action for t in LIBRARY.allowed(case, case_role_set)}
    offered = []
    for name, action in ACTIONS.items():
        if name not in allowed:
            continue
        is_failed = failed is not None and failed[0] == name
        form = failed[1] if failed is not None and is_failed else action.form(prefix=name)
        offered.append({"action": action, "form": form, "open": is_failed})
    refused: list[str] = []
    if failed is not None and not any(item["open"] for item in offered):
        refused = [str(e) for errors in failed[1].errors.values() for e in errors]
    can_edit = AUTHOR in case_role_set and case.status in EDITABLE
    context = {
        "case": case,
        "officials": case.officials.select_related("unit").order_by("name"),
        "images": services.images_of(case),
        "actions": offered,
        "refused": refused,
        "can_edit": can_edit,
        "missing": LIBRARY.transition("submit").guards[0](case) if can_edit else None,
        "image_form": image_form or (ImageForm() if can_edit else None),
        "entries": audit.timeline(case),
    }
    return render(request, "library/detail.html", context, status=status)


@access(READ)
@require_GET
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    return _detail(request, actor, selectors.case_or_404(actor, pk))


@access(READ)
@require_POST
def case_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.case_or_404(actor, pk)
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise Http404
    form, done = run_action(chosen, actor, case, request, aliases=ALIASES)
    if done:
        return redirect(case)
    case = selectors.case_or_404(actor, pk)
    return _detail(request, actor, case, failed=(chosen.name, form), status=400)


@access(WRITE)
@require_POST
def image_add(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.case_or_404(actor, pk)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.case_add_image(actor=actor, case=case, upload=form.cleaned_data["file"])
        except DomainError as error:
            form.add_error("file", str(error.message))
        else:
            return redirect(case)
    return _detail(request, actor, case, image_form=form, status=400)


@access(WRITE)
@require_POST
def image_remove(request: HttpRequest, pk: int, image_pk: int) -> HttpResponse:
    actor = get_actor(request)
    case = selectors.case_or_404(actor, pk)
    image = get_visible_or_404(Attachment.objects.filter(pk__in=[i.pk for i in services.images_of(case)]), pk=image_pk)
    try:
        services.case_remove_image(actor=actor, case=case, attachment=image)
    except DomainError as error:
        return _detail(request, actor, case, failed=("", _error_form(error)), status=400)
    return redirect(case)


def _error_form(error: DomainError) -> forms.Form:
    form = EmptyForm(data={})
    form.is_valid()
    form.add_error(None, str(error.message))
    return form
