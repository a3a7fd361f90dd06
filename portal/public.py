"""What every public submission without an account shares (reports, recommendations,
applications; ADR 0015, 0017, 0018). The receipt code itself is reports/receipts.py.

    FORMS = SubmissionForms("recommendations")
    token = FORMS.new_token()                  # hidden in the form: one form makes one record
    key = FORMS.key(token)                     # its HMAC, stored unique on the record
    FORMS.remember(key, code)                  # the receipt, in the cache until confirmed saved
    FORMS.pending(token) / FORMS.forget(token)

    TICKETS = Tickets("recommendations.follow-ticket", Recommendation)
    ticket = TICKETS.dumps(rec)                # the follow page's forms carry it, not a session
    rec = TICKETS.loads(request.POST["ticket"])  # Http404 when forged, expired or stale

Public services act as PUBLIC_ACTOR: nothing about the client (address, agent, session)
reaches them, so nothing of it can be stored.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from core import audit, ratelimit
from core.access import Actor
from core.errors import DomainError
from core.notifications import notify, notify_once
from core.numbering import document_reference, next_number
from reports import receipts

logger = logging.getLogger(__name__)

PUBLIC_ACTOR = Actor(user=None, institution=None, public=True)
MAX_TEXT = 10_000
MAX_SHORT = 200
MAX_FILES = 5
TOKEN_MAX_AGE = 60 * 60 * 24
RECEIPT_CACHE_SECONDS = 30 * 60
#: a follow page stays usable this long after the receipt was entered (then: enter it again)
TICKET_MAX_AGE = 3 * 60 * 60
#: submissions one client may make to one service in a window (a cache counter, never stored)
SUBMIT_LIMIT = 20
SUBMIT_WINDOW_SECONDS = 60 * 60


def clean_text(value: str, field: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    """Typed text, stripped; refused when required and empty or longer than `limit`."""
    value = (value or "").strip()
    if "\x00" in value:
        raise DomainError(_("입력할 수 없는 문자가 들어 있습니다."), field=field)
    if required and not value:
        raise DomainError(_("내용을 입력해 주십시오."), field=field)
    if len(value) > limit:
        raise DomainError(_("%(limit)d자 이내로 입력해 주십시오.") % {"limit": limit}, field=field)
    return value


def check_file_count(uploads: Sequence[Any]) -> None:
    if len(uploads) > MAX_FILES:
        raise DomainError(_("파일은 %(n)d개까지 올릴 수 있습니다.") % {"n": MAX_FILES}, field="files")


def plain_int(value: str) -> int | None:
    """A positive id typed as ASCII digits, or None. (`str.isdigit` also accepts "²" and
    other characters `int()` refuses, which would answer 500.)"""
    if not value or len(value) > 18 or not value.isascii() or not value.isdigit():
        return None
    return int(value)


class SubmissionForms:
    """One-time form tokens of a public service and the receipts waiting for confirmation."""

    def __init__(self, namespace: str) -> None:
        self.namespace = namespace
        self.salt = f"{namespace}.form-token"

    def new_token(self) -> str:
        """A one-time token for one form (signed, expires in a day)."""
        return signing.dumps(receipts.new_code() + receipts.new_code(), salt=self.salt)

    def key(self, token: str) -> str:
        """The token's HMAC, stored unique on the record; an expired or forged token is
        refused with a message asking to reload the form."""
        try:
            raw = signing.loads(token, salt=self.salt, max_age=TOKEN_MAX_AGE)
        except signing.BadSignature as exc:
            raise DomainError(
                _("작성 화면이 만료되었습니다. 화면을 새로 고친 뒤 다시 제출해 주십시오."), code="token"
            ) from exc
        return salted_hmac(self.salt, str(raw), secret=settings.SECRET_KEY, algorithm="sha256").hexdigest()

    def _cache_key(self, key: str) -> str:
        return f"{self.namespace}:receipt:{key}"

    def remember(self, key: str, code: str) -> None:
        cache.set(self._cache_key(key), code, RECEIPT_CACHE_SECONDS)

    def reserve_code(self, key: str) -> str:
        """The receipt code of this form, chosen BEFORE the record is written: the first
        request puts a fresh code in the cache and every request of the same form (a double
        click) uses the one there, so whichever answer the browser shows carries it."""
        fresh = receipts.new_code()
        if cache.add(self._cache_key(key), fresh, RECEIPT_CACHE_SECONDS):
            return fresh  # one cache round trip for the first request of a form
        return self.code_for_key(key) or fresh

    def throttle(self, client: str) -> None:
        """Refuse a client's submission beyond SUBMIT_LIMIT in a window (counted in the cache
        under a keyed hash of the address, never stored with anything)."""
        if ratelimit.bump(f"{self.namespace}:submits:{client}", SUBMIT_WINDOW_SECONDS) > SUBMIT_LIMIT:
            raise DomainError(
                _("짧은 시간에 너무 많이 제출했습니다. 한 시간 뒤에 다시 제출해 주십시오."), code="throttled"
            )

    def renew(self, form: Any) -> None:
        """After an expired token: the bound form keeps what was typed and gets a fresh token,
        so the next submission goes through (files must be attached again)."""
        data = form.data.copy()
        data["form_token"] = self.new_token()
        form.data = data

    def code_for_key(self, key: str) -> str | None:
        value = cache.get(self._cache_key(key))
        return str(value) if value else None

    def pending(self, token: str) -> str | None:
        """The code of a record just submitted with this form, until the person confirms it
        is saved (kept in the cache, never in the database)."""
        try:
            key = self.key(token)
        except DomainError:
            return None
        return self.code_for_key(key)

    def forget(self, token: str) -> None:
        with contextlib.suppress(DomainError):
            cache.delete(self._cache_key(self.key(token)))

    def submit[M: models.Model](
        self,
        token: str,
        model: type[M],
        *,
        clean: Callable[[], dict[str, Any]],
        create: Callable[[dict[str, Any]], M],
    ) -> tuple[M, str | None]:
        """One public submission: one form makes one record. Returns the record and its
        receipt code (None when this form was already submitted and its receipt confirmed).

        The token is checked, the values validated by `clean` (raises DomainError; returns
        the record's values), a receipt code reserved, and the record written by
        `create(values)` in a transaction, with the values' `submission_key` and
        `receipt_hash` set (number, audit, files and routing are its part).

        A form already submitted (a retry after a lost answer, a double click, the same
        form posted twice at the same moment) returns the first record, whatever it holds
        now: it is found by its key's unique constraint when the insert fails (its
        transaction rolled back), or looked up when the values are refused; not looked up
        before every new submission (issue 8: one statement less for each new record).
        The cached code comes with it only when it is that record's (the code the first
        answer showed); a code reserved for nothing is dropped from the cache."""
        key = self.key(token)
        try:
            values = clean()
        except DomainError:
            existing = model._default_manager.filter(submission_key=key).first()
            if existing is None:
                raise
            return existing, self._code_of(key, existing)  # already made: its values stand
        code = self.reserve_code(key)
        try:
            with transaction.atomic():
                record = create({**values, "submission_key": key, "receipt_hash": receipts.digest(code)})
        except IntegrityError:
            existing = model._default_manager.filter(submission_key=key).first()
            if existing is None:
                raise
            return existing, self._code_of(key, existing)
        return record, code

    def _code_of(self, key: str, record: Any) -> str | None:
        """The cached code of this form if it is `record`'s; any other code in the cache
        belongs to no record (a retry after the receipt was confirmed reserved it) and is
        forgotten, so no later answer shows it."""
        cached = self.code_for_key(key)
        if cached is not None and receipts.digest(cached) == record.receipt_hash:
            return cached
        if cached is not None:
            cache.delete(self._cache_key(key))
        return None


class Tickets[M: models.Model]:
    """A short-lived signed reference to a record found by its receipt: the record's id and
    part of its receipt hash. The follow pages carry it in their forms instead of a session."""

    def __init__(self, salt: str, model: type[M], *, hash_field: str = "receipt_hash") -> None:
        self.salt = salt
        self.model = model
        self.hash_field = hash_field

    def dumps(self, obj: M) -> str:
        return signing.dumps({"r": obj.pk, "h": getattr(obj, self.hash_field)[:16]}, salt=self.salt)

    def loads(self, value: str) -> M:
        try:
            data = signing.loads(value, salt=self.salt, max_age=TICKET_MAX_AGE)
            obj = self.model._default_manager.select_related("institution").get(pk=int(data["r"]))
        except (signing.BadSignature, ObjectDoesNotExist, KeyError, TypeError, ValueError) as exc:
            raise Http404 from exc
        if getattr(obj, self.hash_field)[:16] != data.get("h"):
            raise Http404
        return obj


def public_number(institution_id: int, *, series: str, prefix: str) -> str:
    """The next reference of a public submission in its institution's yearly series (inside
    the creating transaction)."""
    year = timezone.localdate().year
    number = next_number(institution_id=institution_id, series=series, year=year)
    return document_reference(prefix=prefix, year=year, number=number)


def public_institution(value: str) -> Any:
    """The active institution of a typed id (a public form's `?institution=`), or None."""
    from institutions.models import Institution

    pk = plain_int(value)
    return Institution.objects.filter(pk=pk, is_active=True).first() if pk is not None else None


def email_on_commit(address: str, *, subject: str, body: str) -> None:
    """A content-free e-mail to a person who left an address, sent once the transaction
    commits; a failure is logged without the address and never breaks the handling."""
    if not address:
        return

    def send() -> None:
        try:
            mailers.default.send_messages([EmailMessage(subject=subject, body=body, to=[address])])
        except Exception:
            logger.warning("a public submitter's e-mail could not be sent")

    transaction.on_commit(send)


def unrouted_recipients(institution_id: int) -> list[Any]:
    """Who hears of a public submission nobody can handle: the institution's administrators,
    or, when it has none either, the active superusers — so it is never silently dropped."""
    from accounts.models import User
    from core.notifications import users_with_roles
    from core.roles import Role

    admins = list(users_with_roles(institution_id, Role.ADMIN))
    return admins or list(User.objects.filter(is_active=True, is_superuser=True).order_by("pk"))


class Routable(Protocol):
    """A public submission that waits for a holder of a role at its institution."""

    pk: Any
    unrouted: bool
    institution: Any

    @property
    def institution_id(self) -> int: ...

    def save(self, *, update_fields: Iterable[str]) -> None: ...

    def get_absolute_url(self) -> str: ...


def route_submission(
    record: Routable, *, holders: Sequence[Any], title: str, unrouted_title: str, unrouted_body: str
) -> None:
    """Tell the holders of a public submission (on commit). With none, flag the record
    `unrouted` and tell `unrouted_recipients` instead, so it is never silently dropped; a
    record that finds holders again loses the flag."""

    def on_commit(**message: Any) -> list[Any]:
        transaction.on_commit(lambda: notify(**message))
        return []

    _route(record, holders, tell=on_commit, title=title, unrouted_title=unrouted_title, unrouted_body=unrouted_body)


def route_once(
    record: Routable, *, holders: Sequence[Any], title: str, unrouted_title: str, unrouted_body: str
) -> list[Any]:
    """`route_submission` for a task that may run more than once (issue 8: the routing of a
    new submission leaves the citizen's request): the flag and the notifications are
    written now, in the caller's transaction, and each person is told once
    (core.notifications.notify_once). The caller holds the record's row lock
    (select_for_update), so two runs cannot both find nobody told yet. Returns the
    notifications made."""
    return _route(
        record, holders, tell=notify_once, title=title, unrouted_title=unrouted_title, unrouted_body=unrouted_body
    )


def _route(
    record: Routable,
    holders: Sequence[Any],
    *,
    tell: Callable[..., list[Any]],
    title: str,
    unrouted_title: str,
    unrouted_body: str,
) -> list[Any]:
    """Set the record's `unrouted` flag from `holders`, then `tell` the holders, or with
    none the institution's `unrouted_recipients`."""
    if record.unrouted != (not holders):
        record.unrouted = not holders
        record.save(update_fields=["unrouted"])
    institution = record.institution
    if holders:
        return tell(recipients=list(holders), title=title, url=record.get_absolute_url(), institution=institution)
    return tell(
        recipients=unrouted_recipients(institution.pk),
        title=unrouted_title,
        body=unrouted_body,
        institution=institution,
    )


#: records whose contacts are erased per transaction
ERASE_BATCH = 500


def erase_expired_contacts(
    model: type[models.Model], *, person: str, action: str, today: datetime.date | None = None
) -> int:
    """Erase `<person>_name`, `_email` and `_phone` of the records whose retention period is
    over (`retain_until` before `today`) and set `<person>_erased_at`, in batches. The record,
    its outcome and its timeline stay. Each batch audits, in its own transaction, one entry
    per record holding no personal data (the record as target and the day only)."""
    today = today or timezone.localdate()
    now = timezone.now()
    manager = model._default_manager
    due = manager.filter(retain_until__lt=today, **{f"{person}_erased_at__isnull": True})
    erased = 0
    while True:
        with transaction.atomic():
            batch = list(due.select_for_update().order_by("pk").only("pk", "number", "institution_id")[:ERASE_BATCH])
            if not batch:
                return erased
            manager.filter(pk__in=[record.pk for record in batch]).update(
                **{f"{person}_name": "", f"{person}_email": "", f"{person}_phone": "", f"{person}_erased_at": now}
            )
            for record in batch:
                audit.record(actor=None, action=action, target=record, changes={"before": today.isoformat()})
            erased += len(batch)
