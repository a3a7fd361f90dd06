"""The actions offered on a case's page: for each, its form and the one service it calls
(pre-consultations, library cases, lessons...). The page shows the actions the workflow allows
the actor now; the module's action view hands the posted form to `run`, which parses it and
calls the service (which checks again).

    ACTIONS = actions_by_name([
        Action("submit", _("검토 요청"), EmptyForm, lambda actor, case, data: services.submit(...)),
        ...
    ])

    def act(request, pk, action):
        case = ...
        chosen = ACTIONS.get(action) or raise Http404
        form, done = run(chosen, actor, case, request, aliases=ALIASES)
        if done:
            return redirect(case)
        return _detail(request, actor, case, failed=(chosen.name, form), status=400)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.functional import Promise

from core.access import Actor
from core.errors import DomainError
from core.forms import add_domain_error


@dataclass(frozen=True)
class Action:
    name: str
    label: str | Promise
    form: type[forms.Form]
    #: (actor, case, the form's cleaned data) -> anything; raises DomainError to refuse
    call: Callable[[Actor, Any, dict[str, Any]], Any]
    #: the KRDS button style: primary, secondary or tertiary
    style: str = "secondary"
    help: str | Promise = ""
    multipart: bool = False
    #: the form's prefix on the page (default: the action's name)
    prefix: str = ""


class EmptyForm(forms.Form):
    """The form of an action that takes no input (its refusal shows above the page)."""


def actions_by_name(actions: Iterable[Action]) -> dict[str, Action]:
    return {a.name: a for a in actions}


def form_for(action: Action, data: Any = None, files: Any = None) -> forms.Form:
    """The action's form, prefixed with its name (several on one page)."""
    return action.form(data, files, prefix=action.prefix or action.name)


def run(
    action: Action,
    actor: Actor,
    case: Any,
    request: HttpRequest,
    *,
    aliases: Mapping[str, str] | None = None,
) -> tuple[forms.Form, bool]:
    """Parse the posted form and call the action's service. Returns the form (with the
    refusal next to its field when refused) and whether the action was done."""
    form = form_for(action, request.POST, request.FILES)
    if not form.is_valid():
        return form, False
    try:
        action.call(actor, case, form.cleaned_data)
    except DomainError as error:
        add_domain_error(form, error, dict(aliases or {}))
        return form, False
    return form, True
