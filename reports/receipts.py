"""Receipts for public submissions made without an account (reports, recommendations,
applications). Independent of any model: a service stores `digest(code)` and later finds
its record with `lookup(...)`, passing a function from a digest to the record.

    code = new_code()                    # "12345678901234567890" (20 digits from `secrets`)
    display(code)                        # "1234-5678-9012-3456-7890", shown to the person once
    report.receipt_hash = digest(code)   # only an HMAC-SHA256 is stored
    found = lookup(client=client_key(request), text=typed,
                   find=lambda h: Report.objects.filter(receipt_hash=h).first())

The digest is keyed with a key derived from SECRET_KEY, so a copy of the database alone
does not allow guessing codes offline. Lookups are rate limited in the cache (never the
database): per client (a keyed hash of the address, never the address itself) and, across
all clients, per code prefix (a spread-out guessing attack hits the same prefixes). A wrong
code answers exactly like a missing one. When a limit is reached the attempt is audited,
without any client identifier.
"""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core import ratelimit
from core.errors import DomainError

T = TypeVar("T")

DIGITS = 20
GROUP = 4
#: failed lookups one client may make in a window
CLIENT_LIMIT = 10
#: failed lookups for codes sharing a prefix, all clients together, in a window
PREFIX_LIMIT = 50
PREFIX_DIGITS = 4
WINDOW_SECONDS = 15 * 60
AUDIT_ACTION = "receipt.rate_limited"

KEY_SALT = "proactive.receipts.digest"
CLIENT_SALT = "proactive.receipts.client"


class ReceiptLocked(DomainError):
    """Too many failed attempts: the lookup was not even tried."""


def new_code() -> str:
    """A fresh code: DIGITS decimal digits from the operating system's CSPRNG (~66 bits)."""
    return f"{secrets.randbelow(10**DIGITS):0{DIGITS}d}"


def display(code: str) -> str:
    """Grouped for reading and copying: 1234-5678-9012-3456-7890."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(text: str) -> str | None:
    """The digits a person typed (spaces, hyphens and full-width digits allowed), or None
    when it cannot be a code."""
    text = unicodedata.normalize("NFKC", text or "")
    digits = "".join(ch for ch in text if ch not in " -\t\r\n")
    if len(digits) != DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def digest(code: str) -> str:
    """The stored form of a code: HMAC-SHA256 keyed from SECRET_KEY (hex, 64 characters)."""
    return salted_hmac(KEY_SALT, code, secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()


def client_address(request: HttpRequest) -> str:
    """The client's address as the rate limits see it: REMOTE_ADDR, or behind
    TRUSTED_PROXY_HOPS proxies the address the outermost trusted proxy appended to
    X-Forwarded-For (addresses further left are typed by the client and not trusted)."""
    hops = int(getattr(settings, "TRUSTED_PROXY_HOPS", 0) or 0)
    if hops > 0:
        forwarded = [a.strip() for a in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if a.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))


def client_key(request: HttpRequest) -> str:
    """A keyed hash of the client's address, for the rate-limit counter only. The address is
    never stored anywhere; this value lives in the cache for one window."""
    address = client_address(request)
    return salted_hmac(CLIENT_SALT, address, secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()[:32]


def _client_counter(namespace: str, client: str) -> str:
    return f"receipts:{namespace}:c:{client}"


def _prefix_counter(namespace: str, prefix: str) -> str:
    return f"receipts:{namespace}:p:{prefix}"


def _audit_limit(namespace: str, scope: str) -> None:
    from core import audit

    with transaction.atomic():
        audit.record(actor=None, action=AUDIT_ACTION, changes={"service": namespace, "scope": scope})


def is_locked(*, client: str, namespace: str = "default") -> bool:
    return ratelimit.count(_client_counter(namespace, client)) >= CLIENT_LIMIT


def lookup(
    *,
    client: str,
    text: str,
    find: Callable[[str], T | None],
    namespace: str = "default",
) -> T | None:
    """The record whose receipt the person typed, or None - for a malformed, wrong or
    unknown code alike. Raises ReceiptLocked when the client (or the code's prefix) has
    failed too often; the code is then not checked at all."""
    client_counter = _client_counter(namespace, client)
    code = normalise(text)
    prefix_counter = _prefix_counter(namespace, code[:PREFIX_DIGITS]) if code else None
    if ratelimit.count(client_counter) >= CLIENT_LIMIT or (
        prefix_counter is not None and ratelimit.count(prefix_counter) >= PREFIX_LIMIT
    ):
        raise ReceiptLocked(
            _("확인 시도가 너무 많습니다. 잠시 후(15분) 다시 시도해 주십시오."), field="receipt", code="locked"
        )
    found = find(digest(code)) if code else None
    if found is not None:
        return found
    if ratelimit.bump(client_counter, WINDOW_SECONDS) == CLIENT_LIMIT:
        _audit_limit(namespace, "client")
    if prefix_counter is not None and ratelimit.bump(prefix_counter, WINDOW_SECONDS) == PREFIX_LIMIT:
        _audit_limit(namespace, "prefix")
    return None
