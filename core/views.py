from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.access import PUBLIC, access


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "errors/csrf.html",
        {"message": _("보안 확인(CSRF)이 만료되었습니다. 페이지를 새로 고친 뒤 다시 시도해 주십시오.")},
        status=403,
    )


@access(PUBLIC)
def healthz(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
