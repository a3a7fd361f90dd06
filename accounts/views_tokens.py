"""Office pages for personal API access tokens: list mine, create one, revoke one."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import tokens
from accounts.middleware import second_factor_verified
from accounts.models import ApiToken
from core.access import LOGIN, access, get_actor, get_visible_or_404
from core.errors import DomainError

PAGE_SIZE = 50

EXPIRY_CHOICES = [
    ("7", gettext_lazy("7일")),
    ("30", gettext_lazy("30일")),
    ("90", gettext_lazy("90일")),
    ("180", gettext_lazy("180일")),
    ("365", gettext_lazy("1년")),
    ("", gettext_lazy("만료 없음(권장하지 않음)")),
]


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("토큰 이름"),
        max_length=100,
        help_text=gettext_lazy("어디에 쓰는 토큰인지 알아볼 수 있게 적어 주십시오. 예: 통계 연계 스크립트"),
        widget=forms.TextInput(attrs={"class": "krds-input", "autocomplete": "off"}),
    )
    scope = forms.ChoiceField(
        label=gettext_lazy("권한 범위"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        help_text=gettext_lazy(
            "자료를 조회만 한다면 읽기 전용을 고르십시오. 읽기 전용 토큰은 자료를 바꿀 수 없습니다."
        ),
        widget=forms.RadioSelect,
    )
    expires_in_days = forms.TypedChoiceField(
        label=gettext_lazy("유효 기간"),
        choices=EXPIRY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        initial="90",
        help_text=gettext_lazy("기간이 지나면 토큰은 더 이상 작동하지 않습니다. 최대 1년입니다."),
        widget=forms.Select(attrs={"class": "krds-form-select"}),
    )


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@access(LOGIN)
@second_factor_verified
def token_list(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    page = Paginator(tokens.tokens_of(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(token, tokens.token_state(token, now=now)) for token in page.object_list]
    return render(
        request,
        "accounts/tokens.html",
        {
            "page": page,
            "rows": rows,
            "max_active": tokens.MAX_ACTIVE_TOKENS,
        },
    )


@access(LOGIN)
@second_factor_verified
def token_create(request: HttpRequest) -> HttpResponse:
    actor = get_actor(request)
    form = TokenCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = tokens.token_create(
                actor=actor,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            # Shown once, in this response only; never stored, never cached.
            return _no_store(render(request, "accounts/tokens_created.html", {"token": token, "secret": secret}))
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/tokens_create.html", {"form": form}, status=status)


@access(LOGIN)
@second_factor_verified
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    actor = get_actor(request)
    token = get_visible_or_404(tokens.tokens_of(actor), pk=pk)
    error = ""
    if request.method == "POST":
        try:
            tokens.token_revoke(actor=actor, token=token)
        except DomainError as exc:
            error = str(exc.message)
        else:
            messages.success(request, _("토큰 ‘%(name)s’을(를) 폐기했습니다.") % {"name": token.name})
            return redirect("accounts:tokens")
    return render(
        request,
        "accounts/tokens_revoke.html",
        {"token": token, "state": tokens.token_state(token), "error": error},
        status=400 if error else 200,
    )
