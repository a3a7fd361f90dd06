from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.gzip import GZipMiddleware


class SecurityHeadersMiddleware:
    """The security headers Django has no setting for, on every response: Permissions-Policy,
    Cross-Origin-Resource-Policy, and `Cache-Control: private, no-store` on whatever a
    signed-in user (a session or an API token) is shown, unless the view chose its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY)
        user = getattr(request, "user", None)  # none on a static file (WhiteNoise answers first)
        if user is not None and user.is_authenticated and "Cache-Control" not in response.headers:
            response.headers["Cache-Control"] = "private, no-store"
        if getattr(response, "same_for_everyone", False):
            # an asset (a page's own font) whose bytes depend on its URL alone: the session
            # and language middleware's Vary would make shared caches keep one per visitor
            for header in ("Vary", "Content-Language"):
                response.headers.pop(header, None)
        return response


#: what is compressed: the pages, their htmx fragments and the API's JSON; never a download
#: (PDF, XLSX, pictures are compressed already) nor a static file (WhiteNoise serves its own
#: Brotli and gzip copies)
COMPRESSED_TYPES = ("text/html", "application/json")


class CompressPagesMiddleware(GZipMiddleware):
    """gzip for pages and JSON when the client accepts it (a library page: 45 → 8 KB), for
    visitors who are not signed in: the public pages, whose weight counts (issue 8). A
    signed-in user's pages may hold a secret that does not change between responses (a 2FA
    set-up key) beside text an attacker can choose (a `next` address): compressed, such a
    page would leak it to BREACH, so they are sent as they are. Django pads the gzip header
    with a random length and masks the CSRF token in every response (ADR 0002)."""

    def process_response(self, request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        kind = response.get("Content-Type", "").split(";")[0].strip()
        user = getattr(request, "user", None)
        if kind not in COMPRESSED_TYPES or (user is not None and user.is_authenticated):
            return response
        return super().process_response(request, response)
