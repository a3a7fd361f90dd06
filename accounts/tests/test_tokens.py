"""Personal access token services: issue, revoke, authenticate."""

from __future__ import annotations

import datetime
import hashlib

import pytest
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import tokens
from accounts.models import ApiToken
from core.access import actor_for
from core.errors import DomainError
from core.models import AuditEntry
from tests.cast import Cast


def create(user, **kwargs):  # type: ignore[no-untyped-def]
    values = {"name": "스크립트", "scope": ApiToken.Scope.READ, "expires_in_days": 90} | kwargs
    return tokens.token_create(actor=actor_for(user), **values)


def test_create_returns_a_long_random_secret_and_stores_only_its_digest(cast: Cast) -> None:
    token, secret = create(cast.official)
    assert secret.startswith("pat_")
    assert len(secret) == 47
    assert token.prefix == secret[4:12]
    assert token.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        rows = cursor.fetchall()
    stored = " ".join(str(value) for row in rows for value in row)
    assert secret not in stored
    assert secret[4:] not in stored
    assert token.prefix in stored


def test_two_tokens_never_share_a_secret(cast: Cast) -> None:
    _, first = create(cast.official, name="a")
    _, second = create(cast.official, name="b")
    assert first != second


def test_create_sets_scope_and_expiry(cast: Cast) -> None:
    before = timezone.now()
    token, _ = create(cast.official, scope=ApiToken.Scope.READ_WRITE, expires_in_days=30)
    assert token.scope == ApiToken.Scope.READ_WRITE
    assert token.can_write
    assert token.expires_at is not None
    assert before + datetime.timedelta(days=30) <= token.expires_at <= timezone.now() + datetime.timedelta(days=30)


def test_create_without_expiry_never_expires(cast: Cast) -> None:
    token, _ = create(cast.official, expires_in_days=None)
    assert token.expires_at is None
    assert tokens.token_state(token, now=timezone.now() + datetime.timedelta(days=3650)) == "active"


def test_create_is_audited_without_the_secret(cast: Cast) -> None:
    token, secret = create(cast.official)
    entry = AuditEntry.objects.get(action="accounts.token_created")
    assert entry.actor == cast.official
    assert entry.institution == cast.district
    assert entry.target_id == str(token.pk)
    assert entry.changes["prefix"] == token.prefix
    assert secret not in str(entry.changes)
    assert token.token_hash not in str(entry.changes)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "가" * 101}, "name"),
        ({"scope": "admin"}, "scope"),
        ({"expires_in_days": 0}, "expires_in_days"),
        ({"expires_in_days": 366}, "expires_in_days"),
        ({"expires_in_days": -1}, "expires_in_days"),
    ],
)
def test_create_refuses_bad_input_and_saves_nothing(cast: Cast, kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as caught:
        create(cast.official, **kwargs)
    assert caught.value.field == field
    assert not ApiToken.objects.exists()
    assert not AuditEntry.objects.filter(action="accounts.token_created").exists()


def test_create_refuses_a_second_active_token_with_the_same_name(cast: Cast) -> None:
    first, _ = create(cast.official, name="연계")
    with pytest.raises(DomainError, match="같은 이름"):
        create(cast.official, name=" 연계 ")
    tokens.token_revoke(actor=actor_for(cast.official), token=first)
    create(cast.official, name="연계")  # a revoked token frees its name
    create(cast.official_b, name="연계")  # names are per user


def test_create_limits_the_number_of_active_tokens(cast: Cast) -> None:
    for n in range(tokens.MAX_ACTIVE_TOKENS):
        create(cast.official, name=f"t{n}")
    with pytest.raises(DomainError, match="까지"):
        create(cast.official, name="one too many")


def test_inactive_or_anonymous_actor_cannot_create(cast: Cast) -> None:
    cast.official.is_active = False
    with pytest.raises(DomainError):
        create(cast.official)
    with pytest.raises(DomainError):
        tokens.token_create(actor=actor_for(None), name="x", scope="read", expires_in_days=1)


def test_revoke_stops_the_token_and_is_audited(cast: Cast) -> None:
    token, secret = create(cast.official)
    tokens.token_revoke(actor=actor_for(cast.official), token=token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert tokens.token_state(token) == "revoked"
    assert AuditEntry.objects.filter(action="accounts.token_revoked", target_id=str(token.pk)).exists()
    with pytest.raises(tokens.TokenRejected):
        tokens.token_authenticate(secret=secret)


def test_revoke_twice_is_refused(cast: Cast) -> None:
    token, _ = create(cast.official)
    tokens.token_revoke(actor=actor_for(cast.official), token=token)
    with pytest.raises(DomainError, match="이미 폐기"):
        tokens.token_revoke(actor=actor_for(cast.official), token=token)


def test_nobody_revokes_another_users_token(cast: Cast) -> None:
    token, secret = create(cast.official)
    with pytest.raises(DomainError):
        tokens.token_revoke(actor=actor_for(cast.admin), token=token)
    token.refresh_from_db()
    assert token.revoked_at is None
    assert tokens.token_authenticate(secret=secret) == token


def test_selector_lists_only_the_actors_tokens(cast: Cast) -> None:
    mine, _ = create(cast.official)
    create(cast.official2)
    assert list(tokens.tokens_of(actor_for(cast.official))) == [mine]
    assert not tokens.tokens_of(actor_for(None)).exists()


def test_authenticate_finds_the_token(cast: Cast) -> None:
    token, secret = create(cast.official)
    assert tokens.token_authenticate(secret=secret) == token
    assert tokens.token_authenticate(secret=f"  {secret} ") == token


@pytest.mark.parametrize("secret", ["", "pat_", "pat_short", "x" * 47, "pat_" + "a" * 43, "PAT_" + "a" * 43])
def test_authenticate_refuses_unknown_or_malformed_secrets(db: None, secret: str) -> None:
    with pytest.raises(tokens.TokenRejected, match="유효하지 않은"):
        tokens.token_authenticate(secret=secret)


def test_authenticate_refuses_an_expired_token(cast: Cast) -> None:
    token, secret = create(cast.official, expires_in_days=1)
    assert token.expires_at is not None
    tokens.token_authenticate(secret=secret, now=token.expires_at - datetime.timedelta(seconds=1))
    with pytest.raises(tokens.TokenRejected, match="만료"):
        tokens.token_authenticate(secret=secret, now=token.expires_at)


def test_authenticate_refuses_the_token_of_an_inactive_user(cast: Cast) -> None:
    _, secret = create(cast.official)
    cast.official.is_active = False
    cast.official.save()
    with pytest.raises(tokens.TokenRejected, match="중지"):
        tokens.token_authenticate(secret=secret)


def test_2fa_policy_blocks_tokens_until_a_device_is_confirmed(cast: Cast) -> None:
    _, secret = create(cast.official)
    policy = cast.district.policy
    policy.require_2fa = True
    policy.save()
    cast.official.refresh_from_db()
    assert tokens.second_factor_blocks_tokens(cast.official)
    with pytest.raises(tokens.TokenRejected, match="2단계 인증"):
        tokens.token_authenticate(secret=secret)
    TOTPDevice.objects.create(user=cast.official, name="default", confirmed=True)
    assert not tokens.second_factor_blocks_tokens(cast.official)
    tokens.token_authenticate(secret=secret)


def test_user_without_institution_is_not_blocked_by_any_policy(cast: Cast) -> None:
    cast.official.institution = None
    cast.official.save()
    assert not tokens.second_factor_blocks_tokens(cast.official)


def test_last_use_is_written_at_most_once_a_minute(cast: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    token, secret = create(cast.official)
    start = timezone.now()
    tokens.token_authenticate(secret=secret, now=start)
    token.refresh_from_db()
    assert token.last_used_at == start
    with django_assert_num_queries(1):  # the lookup only, no write
        tokens.token_authenticate(secret=secret, now=start + datetime.timedelta(seconds=59))
    token.refresh_from_db()
    assert token.last_used_at == start
    later = start + datetime.timedelta(minutes=1)
    with django_assert_num_queries(2):
        tokens.token_authenticate(secret=secret, now=later)
    token.refresh_from_db()
    assert token.last_used_at == later


def test_authenticate_with_a_2fa_policy_costs_one_more_query(cast: Cast, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    _, secret = create(cast.official)
    cast.district.policy.require_2fa = True
    cast.district.policy.save()
    TOTPDevice.objects.create(user=cast.official, name="default", confirmed=True)
    now = timezone.now()
    tokens.token_authenticate(secret=secret, now=now)
    with django_assert_num_queries(2):
        tokens.token_authenticate(secret=secret, now=now)
