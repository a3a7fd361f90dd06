"""Brute force: the staff login locks an account name after AXES_FAILURE_LIMIT failures (the
right password is refused too) until the cool-off has passed; wrong TOTP codes make the next
try wait twice as long; receipt and vote-code guessing from one client (or spread over many)
is rate limited with a Korean message and a 429; every limit hit is audited once, with
nothing about the client."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator

import pytest
import time_machine
from axes.models import AccessAttempt, AccessLog
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.lockout import LOCKED_OUT
from accounts.views import OTP_FAILURES_AUDITED
from contests import voting
from contests.models import Contest, Entry, Vote, VoteCode
from contests.tests.factories import voting_open
from core.audit import verify_all
from core.models import AuditEntry
from reports import receipts
from reports.tests.factories import submit
from tests.cast import PASSWORD, Cast

ADDRESS = "203.0.113.45"
AGENT = "BruteForcer/1.0 (agent-marker-7731)"
START = datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _axes_and_empty_cache(settings) -> Iterator[None]:  # type: ignore[no-untyped-def]
    settings.AXES_ENABLED = True  # the root conftest turns it off for every other test
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def _login(client: Client, username: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _fail(client: Client, username: str, times: int) -> None:
    for _ in range(times):
        response = _login(client, username, "wrong-password-0")
        assert response.status_code in {200, 429}


def _signed_in(client: Client) -> bool:
    return client.get(reverse("office:home")).status_code == 200


# --- Staff login ---------------------------------------------------------------------------


def test_failures_below_the_limit_leave_the_account_open(cast: Cast) -> None:
    client = Client()
    _fail(client, "official", django_settings.AXES_FAILURE_LIMIT - 1)
    assert _login(client, "official", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_the_limit_th_failure_locks_and_the_right_password_is_refused(cast: Cast) -> None:
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT)
    _fail(client, "official", django_settings.AXES_FAILURE_LIMIT - 1)
    locking = _login(client, "official", "wrong-password-0")
    assert locking.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in locking.templates]
    page = locking.content.decode()
    assert "로그인이 잠시 제한되었습니다" in page
    assert "30분" in page
    refused = _login(client, "official", PASSWORD)
    assert refused.status_code == 429
    assert "로그인이 잠시 제한되었습니다" in refused.content.decode()
    assert not _signed_in(client)
    # the lockout is per account name: another address or browser is refused as well
    elsewhere = Client(REMOTE_ADDR="198.51.100.9")
    assert _login(elsewhere, "official", PASSWORD).status_code == 429
    assert not _signed_in(elsewhere)
    # and another account from the same client is not affected
    assert _login(client, "official2", PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off_and_each_attempt_restarts_it(
    cast: Cast, clock: time_machine.Coordinates
) -> None:
    client = Client()
    _fail(client, "official", django_settings.AXES_FAILURE_LIMIT)
    clock.shift(datetime.timedelta(minutes=29))
    assert _login(client, "official", PASSWORD).status_code == 429  # still locked, and restarted
    clock.shift(datetime.timedelta(minutes=29))
    assert _login(client, "official", PASSWORD).status_code == 429
    clock.shift(datetime.timedelta(minutes=31))
    assert _login(client, "official", PASSWORD).status_code == 302
    assert _signed_in(client)


def test_a_success_resets_the_count(cast: Cast) -> None:
    client = Client()
    limit = django_settings.AXES_FAILURE_LIMIT
    _fail(client, "official", limit - 1)
    assert _login(client, "official", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="official").exists()
    client.post(reverse("accounts:logout"))
    _fail(client, "official", limit - 1)  # would lock if the earlier failures still counted
    assert _login(client, "official", PASSWORD).status_code == 302


def test_lockout_is_audited_once_on_the_account_institution_without_client_details(cast: Cast) -> None:
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT, HTTP_ACCEPT="text/html;marker-accept")
    limit = django_settings.AXES_FAILURE_LIMIT
    _fail(client, "official", limit + 3)  # further failures while locked are not audited again
    _login(client, "official", PASSWORD)
    entry = AuditEntry.objects.get(action=LOCKED_OUT)
    assert entry.target_id == str(cast.official.pk)
    assert entry.institution_id == cast.district.pk
    assert entry.actor_id is None
    assert entry.changes == {"failures": limit, "cooloff_minutes": 30}
    assert ADDRESS not in str(entry.__dict__)
    assert AGENT not in str(entry.__dict__)
    verify_all()


def test_axes_keeps_no_address_agent_or_password(cast: Cast) -> None:
    """ADR 0004: the lockout is per account name, so axes' rows keep no address, browser or
    Accept header; the password and the CSRF token are masked; successful logins are not logged."""
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT, HTTP_ACCEPT="text/html;marker-accept")
    _login(client, "official", "secret-guess-9876")
    _login(client, "official", "secret-guess-9876")
    attempt = AccessAttempt.objects.get(username="official")
    assert attempt.failures_since_start == 2
    assert attempt.ip_address is None
    assert attempt.user_agent == ""
    assert attempt.http_accept == ""
    stored = str(attempt.__dict__)
    for secret in (ADDRESS, AGENT, "marker-accept", "secret-guess-9876"):
        assert secret not in stored
    _login(client, "official2", PASSWORD)
    assert not AccessLog.objects.exists()


def test_an_unknown_account_name_is_locked_but_not_audited(cast: Cast) -> None:
    client = Client()
    _fail(client, "no-such-person", django_settings.AXES_FAILURE_LIMIT)
    assert _login(client, "no-such-person", "x").status_code == 429
    assert not AuditEntry.objects.filter(action=LOCKED_OUT).exists()


# --- The second factor (django-otp's throttling; accounts/views.py) ---------------------------


def _totp(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _verify(client: Client, token: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("accounts:otp_verify") + "?next=/office/", {"token": token})


def test_wrong_totp_codes_make_the_next_wait_longer_and_are_audited(
    cast: Cast, clock: time_machine.Coordinates
) -> None:
    device = TOTPDevice.objects.create(user=cast.official, name="default", confirmed=True)
    client = Client()
    assert _login(client, "official", PASSWORD).status_code == 302
    wait = 1
    for n in range(1, OTP_FAILURES_AUDITED + 1):
        wrong = _verify(client, f"{(int(_totp(device)) + 1) % 1_000_000:06d}")
        assert wrong.status_code == 200
        assert "인증 코드가 맞지 않습니다" in wrong.content.decode()
        # the right code right away is refused, with the wait in Korean and a 429
        throttled = _verify(client, _totp(device))
        assert throttled.status_code == 429
        assert f"인증 코드를 여러 번 틀렸습니다. {wait}초 뒤에 다시 입력해 주십시오." in throttled.content.decode()
        assert not _signed_in(client)
        assert AuditEntry.objects.filter(action="accounts.otp_failures").count() == (n == OTP_FAILURES_AUDITED)
        clock.shift(wait)
        wait *= 2
    entry = AuditEntry.objects.get(action="accounts.otp_failures")
    assert entry.target_id == str(cast.official.pk)
    assert entry.changes == {"failures": OTP_FAILURES_AUDITED}
    assert _verify(client, _totp(device)).status_code == 302
    assert _signed_in(client)
    device.refresh_from_db()
    assert device.throttling_failure_count == 0


def test_a_used_totp_code_cannot_be_replayed(cast: Cast, clock: time_machine.Coordinates) -> None:
    device = TOTPDevice.objects.create(user=cast.official, name="default", confirmed=True)
    first, second = Client(), Client()
    for client in (first, second):
        _login(client, "official", PASSWORD)
    code = _totp(device)
    assert _verify(first, code).status_code == 302
    assert _verify(second, code).status_code == 200  # the same code, seen once already
    assert not _signed_in(second)


# --- Receipts of public submissions (reports/receipts.py through portal:follow) ----------------


def _follow(client: Client, code: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("portal:follow"), {"receipt": code})


def test_receipt_guessing_from_one_client_is_limited_then_expires(cast: Cast, clock: time_machine.Coordinates) -> None:
    _report, code = submit(cast.district)
    client = Client(REMOTE_ADDR=ADDRESS)
    for i in range(receipts.CLIENT_LIMIT):
        response = _follow(client, f"5{i:019d}")
        assert response.status_code == 200
        assert "접수증 번호를 확인할 수 없습니다" in response.content.decode()
    limited = _follow(client, code)  # the right code, refused while limited
    assert limited.status_code == 429
    assert "확인 시도가 너무 많습니다. 잠시 후(15분) 다시 시도해 주십시오." in limited.content.decode()
    assert "신고 내용" not in limited.content.decode()
    entry = AuditEntry.objects.get(action=receipts.AUDIT_ACTION)
    assert entry.changes == {"service": "portal", "scope": "client"}
    assert ADDRESS not in str(entry.__dict__)
    assert receipts.client_key(client.get("/").wsgi_request) not in str(entry.__dict__)
    # another client is not limited
    assert "신고 내용" in _follow(Client(REMOTE_ADDR="198.51.100.1"), code).content.decode()
    clock.shift(datetime.timedelta(minutes=14))
    assert _follow(client, code).status_code == 429
    clock.shift(datetime.timedelta(minutes=2))
    opened = _follow(client, code)
    assert opened.status_code == 200
    assert "신고 내용" in opened.content.decode()


def test_receipt_guessing_spread_over_many_clients_on_one_prefix_is_limited(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(receipts, "PREFIX_LIMIT", 6)
    _report, code = submit(cast.district)
    prefix = code[: receipts.PREFIX_DIGITS]
    guesses = [prefix + f"{i:016d}" for i in range(20) if prefix + f"{i:016d}" != code][:6]
    for n, guess in enumerate(guesses):
        assert _follow(Client(REMOTE_ADDR=f"198.51.100.{n + 10}"), guess).status_code == 200
    fresh = Client(REMOTE_ADDR="192.0.2.200")
    limited = _follow(fresh, code)  # a new client, the right code: refused on its prefix
    assert limited.status_code == 429
    assert "확인 시도가 너무 많습니다" in limited.content.decode()
    assert AuditEntry.objects.filter(action=receipts.AUDIT_ACTION, changes__scope="prefix").count() == 1
    cache.clear()  # the counters live in the cache only
    assert "신고 내용" in _follow(fresh, code).content.decode()


# --- Vote codes of the public contest vote (contests/voting.py) --------------------------------


def _ask_code(client: Client, contest: Contest, email: str, capture) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with capture(execute=True):
        response = client.post(reverse("portal_contests:request_code", kwargs={"pk": contest.pk}), {"email": email})
    assert response.status_code == 200, response.content.decode()
    ticket = response.context["form"].initial["ticket"]
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)  # type: ignore[union-attr]
    return ticket, code


def _vote(client: Client, contest: Contest, ticket: str, entry: Entry, code: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("portal_contests:vote", kwargs={"pk": contest.pk}), {"ticket": ticket, "entry": entry.pk, "code": code}
    )


def _other(code: str, n: int = 1) -> str:
    return f"{(int(code) + n) % 1_000_000:06d}"


def test_vote_code_guessing_from_one_client_is_limited_audited_and_expires(
    cast: Cast, clock: time_machine.Coordinates, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    contest, entries = voting_open(cast)
    client = Client(REMOTE_ADDR=ADDRESS, HTTP_USER_AGENT=AGENT)
    per_code = voting.MAX_ATTEMPTS - 1  # stay below burning any one code
    rounds = -(-voting.CLIENT_ATTEMPTS // per_code)
    for r in range(rounds):
        # codes requested from elsewhere, guessed from this client
        ticket, code = _ask_code(
            Client(REMOTE_ADDR=f"198.51.100.{r + 1}"), contest, f"v{r}@example.com", django_capture_on_commit_callbacks
        )
        for n in range(per_code):
            response = _vote(client, contest, ticket, entries[0], _other(code, n + 1))
            if r * per_code + n < voting.CLIENT_ATTEMPTS:
                assert response.status_code == 400
                assert "확인 코드가 맞지 않습니다" in response.content.decode()
            else:
                assert response.status_code == 429
    ticket, code = _ask_code(
        Client(REMOTE_ADDR="198.51.100.99"), contest, "last@example.com", django_capture_on_commit_callbacks
    )
    limited = _vote(client, contest, ticket, entries[0], code)  # the right code, refused while limited
    assert limited.status_code == 429
    assert "확인 시도가 너무 많습니다. 잠시 후(15분) 다시 시도해 주십시오." in limited.content.decode()
    assert not Vote.objects.filter(contest=contest).exists()
    entry = AuditEntry.objects.get(action=voting.RATE_LIMITED)
    assert entry.target_id == str(contest.pk)
    assert entry.changes == {"scope": "client"}
    assert ADDRESS not in str(entry.__dict__)
    assert AGENT not in str(entry.__dict__)
    clock.shift(datetime.timedelta(minutes=voting.WINDOW_SECONDS // 60 + 1))
    ticket, code = _ask_code(
        Client(REMOTE_ADDR="198.51.100.98"), contest, "later@example.com", django_capture_on_commit_callbacks
    )
    assert _vote(client, contest, ticket, entries[0], code).status_code == 302


def test_vote_code_guessing_spread_over_many_clients_burns_the_code(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    contest, entries = voting_open(cast)
    ticket, code = _ask_code(Client(), contest, "target@example.com", django_capture_on_commit_callbacks)
    for n in range(voting.MAX_ATTEMPTS):
        response = _vote(Client(REMOTE_ADDR=f"198.51.100.{n + 1}"), contest, ticket, entries[0], _other(code, n + 1))
        assert response.status_code == 400
    burned = _vote(Client(REMOTE_ADDR="192.0.2.77"), contest, ticket, entries[0], code)
    assert burned.status_code == 400
    assert "확인 코드를 너무 많이 틀렸습니다. 새 코드를 받아 주십시오." in burned.content.decode()
    row = VoteCode.objects.get()
    assert row.attempts == voting.MAX_ATTEMPTS
    assert row.used_at is None


def test_code_requests_over_the_limit_answer_429(cast: Cast) -> None:
    contest, _entries = voting_open(cast)
    client = Client(REMOTE_ADDR=ADDRESS)
    url = reverse("portal_contests:request_code", kwargs={"pk": contest.pk})
    for i in range(voting.CLIENT_REQUESTS):
        assert client.post(url, {"email": f"r{i}@example.com"}).status_code == 200
    limited = client.post(url, {"email": "one-more@example.com"})
    assert limited.status_code == 429
    assert "확인 코드 요청이 너무 많습니다" in limited.content.decode()
    assert VoteCode.objects.count() == voting.CLIENT_REQUESTS  # the refused request made no code
