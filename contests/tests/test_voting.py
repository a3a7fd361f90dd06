"""The public vote's integrity: one vote per address, codes that expire, are used once and
burn after five wrong tries, nothing after closing, and no address in clear anywhere."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from contests import services, voting
from contests.models import Contest, Vote, VoteCode
from contests.tests.factories import CLIENT, actor, vote, voting_open
from core.errors import DomainError
from tests.cast import Cast

pytestmark = pytest.mark.django_db

EMAIL = "Citizen.Voter@Example.COM"


def _request(c: Contest, email: str = EMAIL, client: str = CLIENT) -> tuple[VoteCode, str]:
    with TestCase.captureOnCommitCallbacks(execute=True):
        row = voting.request_code(contest=c, email=email, client=client)
    found = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    return row, found.group(1) if found else ""


def test_a_vote_is_counted_once_per_address(cast: Cast) -> None:
    c, entries = voting_open(cast)
    vote(c, entries[0], EMAIL)
    assert Vote.objects.filter(entry=entries[0]).count() == 1
    # asking again is answered like a fresh address, but the mail holds no code ...
    with TestCase.captureOnCommitCallbacks(execute=True):
        row = voting.request_code(contest=c, email="  citizen.voter@example.com ", client=CLIENT)
    notice = mail.outbox[-1]
    assert notice.to == ["citizen.voter@example.com"]
    assert "이미 투표한 기록" in notice.body
    assert not re.search(r"\d{6}", notice.body)
    # ... and a second vote is refused whatever code is tried
    with pytest.raises(DomainError, match="맞지 않습니다"):
        voting.cast_vote(contest=c, code_row=row, code="123456", entry=entries[1], client=CLIENT)
    assert Vote.objects.count() == 1


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("kim@example.com", "kim+2@example.com"),
        ("kim+a@example.com", "KIM+b@Example.com"),
        ("kim.lee@gmail.com", "k.i.m.l.e.e+x@gmail.com"),
        ("kimlee@googlemail.com", "kim.lee@gmail.com"),
    ],
)
def test_tags_and_gmail_dots_do_not_make_a_second_voter(cast: Cast, first: str, again: str) -> None:
    c, entries = voting_open(cast)
    vote(c, entries[0], first)
    assert voting.email_hash(c, voting.normalise_email(again)) == voting.email_hash(c, voting.normalise_email(first))
    row, _code = _request(c, email=again)  # the second form gets a notice, not a code
    assert "이미 투표한 기록" in mail.outbox[-1].body
    assert mail.outbox[-1].to == [again.lower()]  # mail goes to the address as typed
    with pytest.raises(DomainError):
        voting.cast_vote(contest=c, code_row=row, code="000000", entry=entries[1], client=CLIENT)
    assert Vote.objects.count() == 1


def test_dots_count_on_other_domains() -> None:
    assert voting.canonical_email("kim.lee@example.com") == "kim.lee@example.com"
    assert voting.canonical_email("kim.lee+news@example.com") == "kim.lee@example.com"
    assert voting.canonical_email("k.i.m+x@googlemail.com") == "kim@gmail.com"
    assert voting.canonical_email("+only@example.com") == "+only@example.com"


def test_a_ticket_clearly_outlives_its_code() -> None:
    assert voting.TICKET_MAX_AGE >= 3 * voting.CODE_MINUTES * 60


def test_two_codes_for_one_address_still_make_one_vote(cast: Cast) -> None:
    c, entries = voting_open(cast)
    first, first_code = _request(c)
    second, second_code = _request(c)
    with pytest.raises(DomainError, match="만료"):  # the first code stopped working
        voting.cast_vote(contest=c, code_row=first, code=first_code, entry=entries[0], client=CLIENT)
    voting.cast_vote(contest=c, code_row=second, code=second_code, entry=entries[1], client=CLIENT)
    assert Vote.objects.count() == 1


def test_a_used_code_is_refused(cast: Cast) -> None:
    c, entries = voting_open(cast)
    row, code = _request(c)
    voting.cast_vote(contest=c, code_row=row, code=code, entry=entries[0], client=CLIENT)
    with pytest.raises(DomainError, match="이미 사용한"):
        voting.cast_vote(contest=c, code_row=row, code=code, entry=entries[1], client=CLIENT)
    assert Vote.objects.count() == 1


def test_an_expired_code_is_refused(cast: Cast) -> None:
    c, entries = voting_open(cast)
    row, code = _request(c)
    VoteCode.objects.filter(pk=row.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(DomainError, match="만료") as error:
        voting.cast_vote(contest=c, code_row=row, code=code, entry=entries[0], client=CLIENT)
    assert error.value.field == "code"
    assert not Vote.objects.exists()


def test_five_wrong_codes_burn_the_code(cast: Cast) -> None:
    c, entries = voting_open(cast)
    row, code = _request(c)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for left in (4, 3, 2, 1):
        with pytest.raises(DomainError, match=f"{left}번 더"):
            voting.cast_vote(contest=c, code_row=row, code=wrong, entry=entries[0], client=CLIENT)
    with pytest.raises(DomainError, match="너무 많이 틀렸습니다"):
        voting.cast_vote(contest=c, code_row=row, code=wrong, entry=entries[0], client=CLIENT)
    with pytest.raises(DomainError, match="너무 많이 틀렸습니다"):
        voting.cast_vote(contest=c, code_row=row, code=code, entry=entries[0], client=CLIENT)
    assert VoteCode.objects.get(pk=row.pk).attempts == 5
    assert not Vote.objects.exists()


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "１２３４５６"])
def test_malformed_codes_count_as_wrong(cast: Cast, typed: str) -> None:
    c, entries = voting_open(cast)
    row, code = _request(c)
    if typed == "１２３４５６":  # full-width digits of a wrong code are still just wrong
        typed = "".join(chr(ord(d) + 0xFEE0) for d in f"{(int(code) + 1) % 1_000_000:06d}")
    with pytest.raises(DomainError, match="맞지 않습니다"):
        voting.cast_vote(contest=c, code_row=row, code=typed, entry=entries[0], client=CLIENT)


def test_only_finalists_can_be_voted_for(cast: Cast) -> None:
    c, entries = voting_open(cast)
    row, code = _request(c)
    with pytest.raises(DomainError, match="본선 진출작") as error:
        voting.cast_vote(contest=c, code_row=row, code=code, entry=entries[2], client=CLIENT)
    assert error.value.field == "entry"
    assert VoteCode.objects.get(pk=row.pk).used_at is None


def test_votes_after_closing_are_refused(cast: Cast) -> None:
    c, entries = voting_open(cast)
    row, code = _request(c)
    services.contest_act(actor=actor(cast.aa_officer), contest=c, action="close_vote")
    with pytest.raises(DomainError, match="마감"):
        voting.cast_vote(contest=c, code_row=row, code=code, entry=entries[0], client=CLIENT)
    with pytest.raises(DomainError, match="마감"):
        voting.request_code(contest=c, email="late@example.com", client=CLIENT)
    assert not Vote.objects.exists()


def test_votes_after_the_closing_time_are_refused_even_before_the_organiser_closes(cast: Cast) -> None:
    c, entries = voting_open(cast)
    row, code = _request(c)
    Contest.objects.filter(pk=c.pk).update(vote_closes_at=timezone.now() - datetime.timedelta(seconds=1))
    c.refresh_from_db()
    with pytest.raises(DomainError, match="마감"):
        voting.cast_vote(contest=c, code_row=row, code=code, entry=entries[0], client=CLIENT)


def test_code_requests_are_rate_limited_per_address_and_client(cast: Cast) -> None:
    c, _entries = voting_open(cast)
    for _ in range(voting.ADDRESS_REQUESTS):
        _request(c)
    with pytest.raises(DomainError, match="너무 많습니다"):
        voting.request_code(contest=c, email=EMAIL, client="another-client")
    for i in range(voting.CLIENT_REQUESTS - voting.ADDRESS_REQUESTS):
        voting.request_code(contest=c, email=f"v{i}@example.com", client=CLIENT)
    with pytest.raises(DomainError, match="너무 많습니다"):
        voting.request_code(contest=c, email="fresh@example.com", client=CLIENT)


def test_wrong_codes_are_rate_limited_per_client(cast: Cast) -> None:
    c, entries = voting_open(cast)
    for i in range(voting.CLIENT_ATTEMPTS // 4):
        row, code = _request(c, email=f"v{i}@example.com", client=f"other-{i}")
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        for _ in range(4):
            with pytest.raises(DomainError):
                voting.cast_vote(contest=c, code_row=row, code=wrong, entry=entries[0], client=CLIENT)
    row, code = _request(c, email="last@example.com", client="other-last")
    with pytest.raises(DomainError, match="시도가 너무 많습니다"):
        voting.cast_vote(contest=c, code_row=row, code=code, entry=entries[0], client=CLIENT)


@pytest.mark.parametrize("email", ["", "not-an-address", "a@" + "b" * 260 + ".kr", "<script>@x"])
def test_bad_addresses_are_refused_next_to_the_field(cast: Cast, email: str) -> None:
    c, _ = voting_open(cast)
    with pytest.raises(DomainError) as error:
        voting.request_code(contest=c, email=email, client=CLIENT)
    assert error.value.field == "email"
    assert not VoteCode.objects.exists()


def test_no_address_in_clear_anywhere_in_the_database(cast: Cast) -> None:
    c, entries = voting_open(cast)
    vote(c, entries[0], EMAIL)
    _request(c, email="second.voter@example.com")
    needles = [EMAIL.lower(), "citizen.voter", "second.voter", "example.com"]
    found: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                text = " ".join(str(v) for v in row).lower()
                found += [f"{table}: {n}" for n in needles if n in text]
    assert found == []
    # and the audit entry of the vote says nothing about the voter
    from core.models import AuditEntry

    entry = AuditEntry.objects.get(action="contest.vote_cast")
    assert entry.actor_id is None
    assert entry.changes in ({}, None)


def test_one_address_hashes_differently_in_two_contests(cast: Cast) -> None:
    c, _ = voting_open(cast)
    other = Contest.objects.get(pk=c.pk)
    other.pk = c.pk + 1000
    assert voting.email_hash(c, "a@example.com") != voting.email_hash(other, "a@example.com")
    assert voting.email_hash(c, "a@example.com") == voting.email_hash(c, "a@example.com")
