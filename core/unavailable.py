"""The answer when the database is out of reach for a moment (a restart or fail-over of
PostgreSQL, a long write holding SQLite): 503 with Retry-After and a page that says what
happened to what was sent, instead of the generic error page (issue 9, ADR 0028).

Installed as the project's handler500: Django calls it inside the `except` of the failed
request, so the exception is at hand."""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader
from django.views.defaults import server_error as django_server_error

RETRY_AFTER_SECONDS = 5


def is_unavailable(error: BaseException | None) -> bool:
    """A database that cannot be reached or is busy (not a programming error such as a
    missing table, which SQLite also reports as OperationalError)."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    text = str(error).lower()
    return "no such" not in text and "syntax" not in text


def server_error(request: HttpRequest) -> HttpResponse:
    if is_unavailable(sys.exc_info()[1]):
        response = HttpResponseServerError(loader.get_template("503.html").render())
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return django_server_error(request)
