"""Personal access tokens for the REST API: issue, revoke, list and authenticate.

A token is `pat_` followed by 43 URL-safe characters (256 random bits). Only its SHA-256
digest is stored, so a copy of the database does not give access to the API; because the
secret is random and long, an unsalted fast digest is enough (docs/adr/0006-api-tokens.md).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, User
from core import audit
from core.access import Actor
from core.errors import DomainError

TOKEN_MARKER = "pat_"  # noqa: S105  (a public marker, not a secret)
#: secrets.token_urlsafe(32) gives 43 characters
TOKEN_RANDOM_LENGTH = 43
PREFIX_LENGTH = 8
MAX_LIFETIME_DAYS = 365
MAX_ACTIVE_TOKENS = 20
#: last_used_at is written at most once per this interval, not on every request
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _new_secret() -> str:
    return TOKEN_MARKER + secrets.token_urlsafe(32)


# --- Selectors ----------------------------------------------------------------------------


def tokens_of(actor: Actor) -> QuerySet[ApiToken]:
    """The actor's own tokens, newest first. Nobody sees another user's tokens."""
    if actor.user is None:
        return ApiToken.objects.none()
    return ApiToken.objects.filter(user=actor.user).order_by("-created_at", "-pk")


def active_tokens_of(actor: Actor, *, now: datetime.datetime | None = None) -> QuerySet[ApiToken]:
    now = now or timezone.now()
    return tokens_of(actor).filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def second_factor_blocks_tokens(user: User) -> bool:
    """True when the user's institution requires 2FA and the user has no confirmed TOTP
    device: the user's tokens are refused until a device is enrolled."""
    from django.conf import settings
    from django_otp.plugins.otp_totp.models import TOTPDevice

    required = bool(settings.STAFF_SUPERUSER_2FA and (user.is_superuser or user.is_staff))
    institution = user.institution
    policy = getattr(institution, "policy", None) if institution is not None else None
    if policy is not None and policy.require_2fa:
        required = True
    if not required:
        return False
    return not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class TokenState:
    ACTIVE = "active"
    REVOKED = "revoked"
    EXPIRED = "expired"


def token_state(token: ApiToken, *, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    if token.revoked_at is not None:
        return TokenState.REVOKED
    if token.expires_at is not None and token.expires_at <= now:
        return TokenState.EXPIRED
    return TokenState.ACTIVE


# --- Services -----------------------------------------------------------------------------


def token_create(*, actor: Actor, name: str, scope: str, expires_in_days: int | None) -> tuple[ApiToken, str]:
    """Issue a token for the actor. Returns the token and its secret; the secret is not
    stored and cannot be shown again."""
    user = actor.user
    if user is None or not user.is_active:
        raise DomainError(_("로그인한 직원만 토큰을 발급할 수 있습니다."))
    name = (name or "").strip()
    if not name:
        raise DomainError(_("토큰 이름을 입력해 주십시오."), field="name")
    if len(name) > 100:
        raise DomainError(_("토큰 이름은 100자 이내로 입력해 주십시오."), field="name")
    if scope not in ApiToken.Scope.values:
        raise DomainError(_("권한 범위를 선택해 주십시오."), field="scope")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_LIFETIME_DAYS:
        raise DomainError(
            _("유효 기간은 1일부터 %(days)d일까지 정할 수 있습니다.") % {"days": MAX_LIFETIME_DAYS},
            field="expires_in_days",
        )
    now = timezone.now()
    with transaction.atomic():
        # Lock the user's row so two concurrent requests cannot pass the checks below together.
        User.objects.select_for_update().filter(pk=user.pk).first()
        active = active_tokens_of(actor, now=now)
        if active.filter(name=name).exists():
            raise DomainError(_("같은 이름의 사용 중인 토큰이 있습니다. 다른 이름을 입력해 주십시오."), field="name")
        if active.count() >= MAX_ACTIVE_TOKENS:
            raise DomainError(
                _("사용 중인 토큰은 %(count)d개까지 둘 수 있습니다. 쓰지 않는 토큰을 폐기해 주십시오.")
                % {"count": MAX_ACTIVE_TOKENS}
            )
        secret = _new_secret()
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[len(TOKEN_MARKER) : len(TOKEN_MARKER) + PREFIX_LENGTH],
            token_hash=digest(secret),
            scope=scope,
            expires_at=now + datetime.timedelta(days=expires_in_days) if expires_in_days is not None else None,
        )
        audit.record(
            actor=actor,
            action="accounts.token_created",
            target=token,
            changes={
                "name": token.name,
                "prefix": token.prefix,
                "scope": token.scope,
                "expires_at": token.expires_at,
            },
        )
    return token, secret


def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Revoke one of the actor's own tokens; it stops working at once."""
    if actor.user is None or token.user_id != actor.user.pk:
        raise DomainError(_("본인의 토큰만 폐기할 수 있습니다."))
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            raise DomainError(_("이미 폐기된 토큰입니다."))
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action="accounts.token_revoked",
            target=locked,
            changes={"revoked_at": locked.revoked_at},
        )
    token.revoked_at = locked.revoked_at
    return token


# --- Authentication -------------------------------------------------------------------------


class TokenRejected(Exception):
    """The presented token does not (or no longer) give access; `message` says why."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = message


def token_authenticate(*, secret: str, now: datetime.datetime | None = None) -> ApiToken:
    """Find the token a request presents and check that it still works. Raises
    TokenRejected otherwise. Records the use at most once a minute."""
    now = now or timezone.now()
    secret = secret.strip()
    if not secret.startswith(TOKEN_MARKER) or len(secret) != len(TOKEN_MARKER) + TOKEN_RANDOM_LENGTH:
        raise TokenRejected(_("유효하지 않은 토큰입니다."))
    token = (
        ApiToken.objects.select_related("user", "user__institution", "user__institution__policy", "user__person")
        .filter(token_hash=digest(secret))
        .first()
    )
    if token is None:
        raise TokenRejected(_("유효하지 않은 토큰입니다."))
    state = token_state(token, now=now)
    if state == TokenState.REVOKED:
        raise TokenRejected(_("폐기된 토큰입니다."))
    if state == TokenState.EXPIRED:
        raise TokenRejected(_("만료된 토큰입니다. 새 토큰을 발급해 주십시오."))
    if not token.user.is_active:
        raise TokenRejected(_("사용이 중지된 계정의 토큰입니다."))
    if second_factor_blocks_tokens(token.user):
        raise TokenRejected(
            _(
                "기관 정책에 따라 2단계 인증을 설정해야 토큰을 사용할 수 있습니다. "
                "업무 화면에서 2단계 인증을 설정해 주십시오."
            )
        )
    _touch(token, now)
    return token


def _touch(token: ApiToken, now: datetime.datetime) -> None:
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_RESOLUTION:
        return
    # Conditional update: concurrent requests in the same minute write once.
    ApiToken.objects.filter(pk=token.pk).filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
    ).update(last_used_at=now)
    token.last_used_at = now
