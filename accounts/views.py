"""Sign-in, sign-out, passwords and TOTP two-factor authentication."""

from __future__ import annotations

import base64
import io
import math

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import OtpTokenForm
from accounts.middleware import second_factor_verified
from accounts.models import User
from core import audit
from core.access import LOGIN, PUBLIC, access, get_actor

login = access(PUBLIC)(
    auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)
)
logout = access(PUBLIC)(auth_views.LogoutView.as_view())
password_change = access(LOGIN)(
    second_factor_verified(
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/form_page.html",
            success_url=reverse_lazy("accounts:password_change_done"),
            extra_context={"title": gettext_lazy("비밀번호 변경")},
        )
    )
)
password_change_done = access(LOGIN)(
    second_factor_verified(
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/message_page.html",
            extra_context={"title": gettext_lazy("비밀번호 변경"), "message": gettext_lazy("비밀번호를 변경했습니다.")},
        )
    )
)
password_reset = access(PUBLIC)(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/form_page.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        success_url=reverse_lazy("accounts:password_reset_done"),
        extra_context={"title": gettext_lazy("비밀번호 재설정")},
    )
)
password_reset_done = access(PUBLIC)(
    auth_views.PasswordResetDoneView.as_view(
        template_name="accounts/message_page.html",
        extra_context={
            "title": gettext_lazy("비밀번호 재설정"),
            "message": gettext_lazy("등록된 주소라면 재설정 안내 메일을 보냈습니다. 메일함을 확인해 주십시오."),
        },
    )
)
password_reset_confirm = access(PUBLIC)(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/form_page.html",
        success_url=reverse_lazy("accounts:password_reset_complete"),
        extra_context={"title": gettext_lazy("새 비밀번호 설정")},
    )
)
password_reset_complete = access(PUBLIC)(
    auth_views.PasswordResetCompleteView.as_view(
        template_name="accounts/message_page.html",
        extra_context={
            "title": gettext_lazy("비밀번호 재설정"),
            "message": gettext_lazy("새 비밀번호로 로그인해 주십시오."),
        },
    )
)


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return str(reverse_lazy("office:home"))


def _qr_data_uri(config_url: str) -> str:
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


#: wrong codes in a row after which the account's audit log says so (someone may hold the password)
OTP_FAILURES_AUDITED = 5


def _throttled_seconds(devices: list[TOTPDevice]) -> int:
    """django-otp doubles the wait after each wrong code (1, 2, 4 ... seconds) and refuses
    even the right code meanwhile: the seconds until one of the devices accepts a code again
    (0 when one does now)."""
    waits = []
    for device in devices:
        allowed, data = device.verify_is_allowed()
        if allowed:
            return 0
        locked_until = (data or {}).get("locked_until")
        waits.append(math.ceil((locked_until - timezone.now()).total_seconds()) if locked_until else 1)
    return max(1, min(waits)) if waits else 0


def _wait_message(seconds: int) -> str:
    return _("인증 코드를 여러 번 틀렸습니다. %(seconds)d초 뒤에 다시 입력해 주십시오.") % {"seconds": seconds}


@access(LOGIN)
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP authenticator: show the QR code and secret, confirm with one code."""
    user = request.user
    # A user who already has a confirmed device proves it; a password alone never enrols
    # another authenticator on such an account.
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect(f"{reverse('accounts:otp_verify')}?next={_safe_next(request)}")
    with transaction.atomic():
        User.objects.select_for_update().filter(username=user.get_username()).first()  # one enrolment at a time
        device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="default", confirmed=False)
    form = OtpTokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        wait = _throttled_seconds([device])
        if wait:
            form.add_error("token", _wait_message(wait))
            status = 429
        elif device.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
                audit.record(actor=get_actor(request), action="accounts.otp_enrolled", target=device.user)
            otp_login(request, device)
            messages.success(request, _("2단계 인증을 설정했습니다."))
            return redirect(_safe_next(request))
        else:
            form.add_error("token", _("인증 코드가 맞지 않습니다. 앱에 표시된 최신 코드를 입력해 주십시오."))
    secret = base64.b32encode(device.bin_key).decode()
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr": _qr_data_uri(device.config_url), "secret": secret, "next": _safe_next(request)},
        status=status,
    )


@access(LOGIN)
def otp_verify(request: HttpRequest) -> HttpResponse:
    form = OtpTokenForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        devices = list(TOTPDevice.objects.filter(user=request.user, confirmed=True))
        wait = _throttled_seconds(devices)
        if wait:
            form.add_error("token", _wait_message(wait))
            status = 429
        else:
            for device in devices:
                if device.verify_token(form.cleaned_data["token"]):
                    otp_login(request, device)
                    return redirect(_safe_next(request))
            form.add_error("token", _("인증 코드가 맞지 않습니다."))
            actor = get_actor(request)
            if actor.user is not None and any(d.throttling_failure_count == OTP_FAILURES_AUDITED for d in devices):
                with transaction.atomic():
                    audit.record(
                        actor=actor,
                        action="accounts.otp_failures",
                        target=actor.user,
                        changes={"failures": OTP_FAILURES_AUDITED},
                    )
    context = {"form": form, "next": _safe_next(request)}
    return render(request, "accounts/otp_verify.html", context, status=status)
