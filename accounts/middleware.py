"""Two-factor enforcement: staff of an institution whose policy requires 2FA (and anyone
who has enrolled a device) reach no page before verifying a TOTP code."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse

from core.access import View

EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz")


def needs_second_factor(user: object) -> bool:
    from django_otp import user_has_device

    if not getattr(user, "is_authenticated", False) or getattr(user, "is_verified", lambda: False)():
        return False
    if user_has_device(user):
        return True
    if settings.STAFF_SUPERUSER_2FA and (getattr(user, "is_superuser", False) or getattr(user, "is_staff", False)):
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


def second_factor_verified(view: View) -> View:
    """For pages under /accounts/ (which the middleware lets through so people can sign in)
    that must not be usable with a password alone: tokens, password change."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if needs_second_factor(request.user):
            from django_otp import user_has_device

            target = "accounts:otp_verify" if user_has_device(request.user) else "accounts:otp_setup"
            return redirect(f"{reverse(target)}?next={request.get_full_path()}")
        return view(request, *args, **kwargs)

    return wrapped
