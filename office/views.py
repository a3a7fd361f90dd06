from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from core.access import LOGIN, access, get_actor


@access(LOGIN)
def home(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    return render(request, "office/home.html", {"actor": actor})
