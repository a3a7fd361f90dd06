"""The public online vote of a contest (ADR 0020 §Vote).

    code_row = request_code(contest=c, email="a@b.kr", client=client_key(request))
    # a 6-digit code is e-mailed on commit; the page carries a signed ticket of code_row
    vote = cast_vote(contest=c, code_row=code_row, code="123456", entry=e, client=...)

Nothing typed is stored in clear: the address becomes `email_hash`, an HMAC keyed from
SECRET_KEY of the contest and the address's canonical form (`canonical_email`: no
"+tag", and for Gmail no dots in the local part; so one address has unrelated hashes in two
contests, and kim@x and kim+2@x are one voter), and the code `code_hash`, an HMAC bound to that address hash. The vote
keeps the address hash once per contest (unique), which is how "the same e-mail twice" is
refused. Request and attempt counters live in the cache only, keyed by the hash of the
client's address that reports/receipts.py makes (never stored).
"""

from __future__ import annotations

import hmac
import secrets
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from contests.models import Contest, Entry, Vote, VoteCode
from core import audit, ratelimit
from core.errors import DomainError
from portal.public import PUBLIC_ACTOR, email_on_commit

CODE_DIGITS = 6
CODE_MINUTES = 10
#: wrong codes that burn a code
MAX_ATTEMPTS = 5
#: code requests per client / per address, and wrong codes per client, in a window
CLIENT_REQUESTS = 10
ADDRESS_REQUESTS = 3
CLIENT_ATTEMPTS = 20
WINDOW_SECONDS = 15 * 60
#: the vote page's ticket outlives its code by far: an expired code is refused next to the
#: code field (cast_vote); only a page left open for hours meets an expired ticket
TICKET_MAX_AGE = 6 * CODE_MINUTES * 60
#: mailboxes that ignore dots in the local part (and are one provider)
DOTLESS_DOMAINS = {"gmail.com": "gmail.com", "googlemail.com": "gmail.com"}

VOTER_SALT = "proactive.contests.voter"
CODE_SALT = "proactive.contests.code"
TICKET_SALT = "proactive.contests.vote-ticket"
#: the audit action of one vote (no data; kept out of the contest page's timeline)
VOTE_CAST = "contest.vote_cast"
#: a client reached the limit of wrong codes (audited once per window, no client identifier)
RATE_LIMITED = "contest.vote_rate_limited"


class VoteRefused(DomainError):
    pass


class TicketExpired(VoteRefused):
    """The vote page's ticket is genuine but too old: the voter asks for a new code."""


def normalise_email(text: str) -> str:
    """The address as one person's: NFKC, trimmed, lower case; refused when malformed."""
    address = unicodedata.normalize("NFKC", text or "").strip().lower()
    if not address:
        raise VoteRefused(_("전자우편 주소를 입력해 주십시오."), field="email")
    if len(address) > 254:
        raise VoteRefused(_("전자우편 주소가 너무 깁니다."), field="email")
    try:
        validate_email(address)
    except ValidationError as exc:
        raise VoteRefused(_("올바른 전자우편 주소를 입력해 주십시오."), field="email") from exc
    return address


def canonical_email(address: str) -> str:
    """One mailbox's one form (of a normalised address): the local part loses a "+tag"
    (kim+2@x.kr is kim@x.kr, on every domain), and on Gmail its dots (k.i.m@gmail.com is
    kim@gmail.com; googlemail.com is gmail.com). Only for the hash: mail goes to the
    address as typed."""
    local, at, domain = address.rpartition("@")
    if not at:
        return address
    local = local.split("+", 1)[0] or local
    if domain in DOTLESS_DOMAINS:
        domain = DOTLESS_DOMAINS[domain]
        local = local.replace(".", "") or local
    return f"{local}@{domain}"


def email_hash(contest: Contest, address: str) -> str:
    canonical = canonical_email(address)
    return salted_hmac(
        VOTER_SALT, f"{contest.pk}:{canonical}", secret=settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()


def code_hash(voter: str, code: str) -> str:
    return salted_hmac(CODE_SALT, f"{voter}:{code}", secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def voting_open(contest: Contest, now: object = None) -> bool:
    moment = now or timezone.now()
    return (
        contest.status == Contest.Status.VOTING
        and contest.vote_opens_at is not None
        and contest.vote_closes_at is not None
        and contest.vote_opens_at <= moment < contest.vote_closes_at  # type: ignore[operator]
    )


def _check_open(contest: Contest) -> None:
    if not voting_open(contest):
        if contest.vote_opens_at and timezone.now() < contest.vote_opens_at and contest.status == "voting":
            raise VoteRefused(_("아직 투표 기간이 아닙니다."), code="not_open")
        raise VoteRefused(_("투표가 마감되었습니다."), code="closed")


def request_code(*, contest: Contest, email: str, client: str) -> VoteCode:
    """E-mail a fresh one-time code to a voter (earlier unused codes of the address stop
    working). Refused when the vote is not open or the client or the address asked too
    often. An address that already voted is answered exactly like a fresh one (a row and a
    ticket, counted in the same limits), so the page never tells who voted; its mailbox
    gets a notice instead of a code, and cast_vote refuses a second vote anyway."""
    _check_open(contest)
    address = normalise_email(email)
    voter = email_hash(contest, address)
    client_key = f"contests:{contest.pk}:req:c:{client}"
    address_key = f"contests:{contest.pk}:req:e:{voter}"
    if ratelimit.count(client_key) >= CLIENT_REQUESTS or ratelimit.count(address_key) >= ADDRESS_REQUESTS:
        raise VoteRefused(_("확인 코드 요청이 너무 많습니다. 잠시 후(15분) 다시 시도해 주십시오."), code="locked")
    voted = Vote.objects.filter(contest=contest, voter_hash=voter).exists()
    ratelimit.bump(client_key, WINDOW_SECONDS)
    ratelimit.bump(address_key, WINDOW_SECONDS)
    code = new_code()
    now = timezone.now()
    with transaction.atomic():
        VoteCode.objects.filter(contest=contest, email_hash=voter, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        row = VoteCode.objects.create(
            contest=contest,
            email_hash=voter,
            code_hash=code_hash(voter, code),
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        if voted:
            # the code is never sent: nobody can use this row
            email_on_commit(
                address,
                subject=_("[적극행정 국민코너] 투표 안내"),
                body=_(
                    "'%(title)s' 국민 투표에 이 전자우편 주소로 이미 투표한 기록이 있습니다. "
                    "한 사람이 한 번만 투표할 수 있어 확인 코드를 보내지 않았습니다.\n"
                    "직접 요청하지 않았다면 이 메일을 무시하십시오."
                )
                % {"title": contest.title},
            )
        else:
            email_on_commit(
                address,
                subject=_("[적극행정 국민코너] 투표 확인 코드"),
                body=_(
                    "'%(title)s' 국민 투표의 확인 코드는 %(code)s 입니다.\n"
                    "%(minutes)d분 안에 투표 화면에 입력해 주십시오. 직접 요청하지 않았다면 이 메일을 무시하십시오."
                )
                % {"title": contest.title, "code": code, "minutes": CODE_MINUTES},
            )
    return row


def ticket_for(row: VoteCode) -> str:
    return signing.dumps({"v": row.pk, "c": row.contest_id}, salt=TICKET_SALT)


def code_row_from_ticket(contest: Contest, ticket: str) -> VoteCode:
    """The code's row a vote page's ticket names. A forged ticket, or one of another
    contest, is 404; a genuine one of this contest that is too old raises TicketExpired."""
    try:
        try:
            data = signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
        except signing.SignatureExpired:
            data = signing.loads(ticket, salt=TICKET_SALT)  # genuine, only old
            if int(data["c"]) != contest.pk:
                raise Http404 from None
            raise TicketExpired(
                _("확인 코드가 만료되었습니다. 코드를 다시 받아 주십시오."), code="ticket_expired"
            ) from None
        if int(data["c"]) != contest.pk:
            raise Http404
        return VoteCode.objects.get(pk=int(data["v"]), contest=contest)
    except (signing.BadSignature, ObjectDoesNotExist, KeyError, TypeError, ValueError) as exc:
        raise Http404 from exc


def cast_vote(*, contest: Contest, code_row: VoteCode, code: str, entry: Entry | None, client: str) -> Vote:
    """Count one vote for a finalist, if the code is right, fresh and unused. A wrong code
    counts an attempt; the fifth burns the code."""
    attempts_key = f"contests:{contest.pk}:try:c:{client}"
    if ratelimit.count(attempts_key) >= CLIENT_ATTEMPTS:
        raise VoteRefused(_("확인 시도가 너무 많습니다. 잠시 후(15분) 다시 시도해 주십시오."), code="locked")
    typed = "".join(unicodedata.normalize("NFKC", code or "").split())
    refusal: VoteRefused | None = None
    vote: Vote | None = None
    with transaction.atomic():
        row = VoteCode.objects.select_for_update().get(pk=code_row.pk)
        current = Contest.objects.select_for_update().get(pk=contest.pk)
        _check_open(current)
        now = timezone.now()
        if row.used_at is not None:
            raise VoteRefused(_("이미 사용한 확인 코드입니다. 새 코드를 받아 주십시오."), field="code", code="used")
        if row.attempts >= MAX_ATTEMPTS:
            raise VoteRefused(
                _("확인 코드를 너무 많이 틀렸습니다. 새 코드를 받아 주십시오."), field="code", code="burned"
            )
        if row.expires_at <= now:
            raise VoteRefused(_("확인 코드가 만료되었습니다. 새 코드를 받아 주십시오."), field="code", code="expired")
        if entry is None or entry.contest_id != current.pk or entry.status != Entry.Status.FINALIST:
            raise VoteRefused(_("투표할 본선 진출작을 골라 주십시오."), field="entry")
        right = (
            len(typed) == CODE_DIGITS
            and typed.isascii()
            and typed.isdigit()
            and hmac.compare_digest(code_hash(row.email_hash, typed), row.code_hash)
        )
        if not right:
            row.attempts += 1
            row.save(update_fields=["attempts"])
            if ratelimit.bump(attempts_key, WINDOW_SECONDS) == CLIENT_ATTEMPTS:
                audit.record(actor=PUBLIC_ACTOR, action=RATE_LIMITED, target=current, changes={"scope": "client"})
            left = MAX_ATTEMPTS - row.attempts
            if left > 0:
                message = _("확인 코드가 맞지 않습니다(%(n)d번 더 시도할 수 있습니다).") % {"n": left}
            else:
                message = _("확인 코드를 너무 많이 틀렸습니다. 새 코드를 받아 주십시오.")
            refusal = VoteRefused(message, field="code", code="wrong")
        elif Vote.objects.filter(contest=current, voter_hash=row.email_hash).exists():
            raise VoteRefused(_("이미 투표했습니다. 한 사람이 한 번만 투표할 수 있습니다."), code="voted")
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            try:
                with transaction.atomic():
                    vote = Vote.objects.create(contest=current, entry=entry, voter_hash=row.email_hash)
            except IntegrityError as exc:
                raise VoteRefused(_("이미 투표했습니다. 한 사람이 한 번만 투표할 수 있습니다."), code="voted") from exc
            audit.record(actor=PUBLIC_ACTOR, action=VOTE_CAST, target=current)
    if refusal is not None:
        raise refusal
    assert vote is not None
    return vote
