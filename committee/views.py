"""The committee pool pages (ADR 0013): the pool with its health panel, a member's page, and
the secretary's forms (appoint, edit, renew, dismiss, designate the chair)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from committee import selectors, services
from committee.forms import DismissForm, MemberFilterForm, MemberForm, RenewForm
from committee.models import CommitteeMember
from committee.workflow import MEMBER, member_roles
from core import audit
from core.access import Actor, access, get_actor, roles, same_institution
from core.errors import DomainError
from core.forms import add_domain_error
from core.roles import Role
from institutions.models import Person

PER_PAGE = 50
READ = roles(*selectors.POOL_READERS)
MEMBER_READ = roles(*selectors.MEMBER_READERS)
SECRETARY = roles(Role.COMMITTEE_SECRETARY)


def _people(actor: Actor) -> Any:
    return same_institution(actor, Person.objects.all())


def _users(actor: Actor) -> Any:
    return same_institution(actor, User.objects.filter(is_active=True))


def _posted(request: HttpRequest) -> Any:
    """The POST data (bound even when empty: a form of optional fields may be sent blank)."""
    return request.POST if request.method == "POST" else None


def _can_manage(actor: Actor) -> bool:
    return actor.has(Role.COMMITTEE_SECRETARY)


@access(READ)
def pool(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    if actor.institution_id is None:
        raise Http404
    form = MemberFilterForm(request.GET or None, tags=selectors.institution_tags(actor.institution_id))
    page = Paginator(selectors.members_for(actor, form.filters()), PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page_obj": page,
        "health": selectors.pool_health_for(actor.institution_id),
        "can_manage": _can_manage(actor),
        "today": timezone.localdate(),
    }
    template = "committee/pool.html#results" if request.headers.get("HX-Request") else "committee/pool.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@access(roles(Role.COMMITTEE_MEMBER))
def mine(request: HttpRequest) -> HttpResponse:
    """A committee member's own membership."""
    member = selectors.own_membership(get_actor(request))
    if member is None:
        raise Http404
    return redirect("committee:detail", pk=member.pk)


def _detail_page(request: HttpRequest, member: CommitteeMember, *, error: str = "") -> HttpResponse:
    actor = get_actor(request)
    manage = _can_manage(actor) and member.institution_id == actor.institution_id
    context = {
        "member": member,
        "terms": selectors.terms_of(member),
        "entries": audit.timeline(member),
        "can_manage": manage,
        "can_dismiss": bool(MEMBER.allowed(member, member_roles(actor, member))),
        "can_renew": manage and member.status == CommitteeMember.Status.ACTIVE and member.term_ends_on is not None,
        "can_chair": manage and member.in_pool(timezone.localdate()) and not member.is_chair,
        "can_read_pool": actor.has(*selectors.POOL_READERS),
        "policy": selectors.policy_of(member.institution_id),
        "error": error,
    }
    return render(request, "committee/member_detail.html", context, status=400 if error else 200)


@access(MEMBER_READ)
def member_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail_page(request, selectors.member_or_404(get_actor(request), pk))


def _form_page(request: HttpRequest, form: Any, member: CommitteeMember | None, *, status: int) -> HttpResponse:
    return render(request, "committee/member_form.html", {"form": form, "member": member}, status=status)


@access(SECRETARY)
def member_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = MemberForm(_posted(request), initial={"term_starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        kwargs = form.resolve(people=_people(actor), users=_users(actor))
        if kwargs is not None:
            try:
                member = services.member_appoint(actor=actor, **kwargs)
            except DomainError as error:
                add_domain_error(form, error, MemberForm.ALIASES)
            else:
                messages.success(request, _("%(name)s 위원을 위촉했습니다.") % {"name": member.name})
                return redirect("committee:detail", pk=member.pk)
    return _form_page(request, form, None, status=400 if form.is_bound else 200)


@access(SECRETARY)
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    member = selectors.member_or_404(actor, pk)
    form = MemberForm(_posted(request), initial=MemberForm.initial_for(member), editing=True)
    if request.method == "POST" and form.is_valid():
        kwargs = form.resolve(people=_people(actor), users=_users(actor))
        if kwargs is not None:
            try:
                services.member_update(actor=actor, member=member, **kwargs)
            except DomainError as error:
                add_domain_error(form, error, MemberForm.ALIASES)
            else:
                messages.success(request, _("위원 정보를 고쳤습니다."))
                return redirect("committee:detail", pk=member.pk)
    return _form_page(request, form, member, status=400 if form.is_bound else 200)


@access(SECRETARY)
def member_renew(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    member = selectors.member_or_404(actor, pk)
    form = RenewForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.member_renew(actor=actor, member=member, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("연임을 기록했습니다."))
            return redirect("committee:detail", pk=member.pk)
    context = {"form": form, "member": member, "policy": selectors.policy_of(member.institution_id)}
    return render(request, "committee/member_renew.html", context, status=400 if form.is_bound else 200)


@access(SECRETARY)
def member_dismiss(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    member = selectors.member_or_404(actor, pk)
    form = DismissForm(_posted(request), today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        try:
            services.member_dismiss(actor=actor, member=member, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, _("%(name)s 위원을 해촉했습니다.") % {"name": member.name})
            return redirect("committee:detail", pk=member.pk)
    context = {"form": form, "member": member}
    return render(request, "committee/member_dismiss.html", context, status=400 if form.is_bound else 200)


@access(SECRETARY)
@require_POST
def chair_designate(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    member = selectors.member_or_404(actor, pk)
    try:
        services.chair_designate(actor=actor, member=member)
    except DomainError as error:
        return _detail_page(request, selectors.member_or_404(actor, pk), error=str(error.message))
    messages.success(request, _("%(name)s 위원을 위원장으로 지정했습니다.") % {"name": member.name})
    return redirect("committee:detail", pk=member.pk)
