"""Two-factor enforcement: staff of an institution whose policy requires 2FA (and anyone
who has enrolled a device) reach no page before verifying a TOTP code."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz")


def needs_second_factor(user: object) -> bool:
    from django_otp import user_has_device

    if not getattr(user, "is_authenticated", False) or getattr(user, "is_verified", lambda: False)():
        return False
    if user_has_device(user):
        return True
    institution = getattr(user, "institution", None)
    policy = getattr(institution, "policy", None) if institution is not None else None
    return bool(policy is not None and policy.require_2fa)


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if not path.startswith(EXEMPT_PREFIXES) and needs_second_factor(request.user):
            from django_otp import user_has_device

            target = "accounts:otp_verify" if user_has_device(request.user) else "accounts:otp_setup"
            if path.startswith("/api/"):
                return HttpResponse(status=401)
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return self.get_response(request)
