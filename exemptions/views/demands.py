"""Disciplinary demands: the list and the form (HR officers and the audit side)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from core.access import access, get_actor, roles
from core.errors import DomainError
from exemptions import selectors
from exemptions.forms import DemandForm
from exemptions.services.demands import disciplinary_demand_record
from exemptions.views.common import apply_error

DEMANDS = roles(*selectors.DEMAND_ROLES)
PER_PAGE = 50


@access(DEMANDS)
def demand_list(request: HttpRequest) -> HttpResponse:
    demands = selectors.demands_for(get_actor(request))
    page = Paginator(demands, PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "exemptions/demands.html", {"page_obj": page})


@access(DEMANDS)
def demand_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    if request.method == "POST":
        form = DemandForm(request.POST, actor=actor)
        if form.is_valid():
            try:
                disciplinary_demand_record(actor=actor, **form.service_kwargs())
            except DomainError as error:
                apply_error(form, error)
            else:
                return redirect("exemptions:demands")
        return render(request, "exemptions/demand_form.html", {"form": form}, status=400)
    return render(request, "exemptions/demand_form.html", {"form": DemandForm(actor=actor)})
