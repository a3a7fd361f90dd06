"""In-app notifications (the bell) and the e-mails sent from them.

`notify()` writes the rows in the caller's transaction; the e-mails go out from a background
task enqueued on commit, so a rolled-back action never mails anybody. The task sends only
rows still pending, so running it twice (or two workers at once) sends each e-mail once.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from core.models import Notification

if TYPE_CHECKING:
    from accounts.models import User
    from institutions.models import Institution

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
SUBJECT_PREFIX = "[적극행정]"
EMAIL_FOOTER = (
    "이 메일은 적극행정 통합관리시스템에서 자동으로 보낸 것입니다.\n"
    "This message was sent automatically by Proactive, the active administration system."
)


def is_relative_url(url: str) -> bool:
    """A path on this site ("/office/..."): never a scheme, a host or a protocol-relative
    "//host" - the only kind of address a notification may point to."""
    return (
        url.startswith("/")
        and not url.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(url, allowed_hosts=set(), require_https=False)
    )


def users_with_roles(institution_id: int, *roles: str, unit_id: int | None = None) -> QuerySet[User]:
    """Active accounts holding any of the roles in the institution today (for a unit-limited
    role, only those whose grant covers `unit_id` or the whole institution)."""
    from django.db.models import Q

    from accounts.models import User
    from institutions.models import RoleAssignment

    grants = RoleAssignment.objects.active().filter(institution_id=institution_id, role__in=roles)
    if unit_id is not None:
        grants = grants.filter(Q(unit_id__isnull=True) | Q(unit_id=unit_id))
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id")).order_by("pk")


def notify(
    *,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    url: str = "",
    institution: Institution | None = None,
    email: bool = True,
) -> list[Notification]:
    """Notify people. Rows are created in the current transaction; the e-mail task is
    enqueued when it commits. Inactive accounts and duplicates are left out."""
    if url and not is_relative_url(url):
        raise ValueError("a notification links only to a path on this site")
    seen: set[int] = set()
    rows: list[Notification] = []
    status = Notification.Email.PENDING if email else Notification.Email.SKIPPED
    for user in recipients:
        if user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                institution=institution,
                title=title[:200],
                body=body,
                url=url[:300],
                email_status=status,
            )
        )
    if not rows:
        return []
    created = Notification.objects.bulk_create(rows)
    if email:
        ids = [n.pk for n in created]

        def enqueue() -> None:
            from core.tasks import send_notification_emails

            send_notification_emails.enqueue(ids)

        transaction.on_commit(enqueue)
    return created


def notify_once(
    *,
    recipients: Iterable[User],
    title: str,
    body: str = "",
    url: str = "",
    institution: Institution | None = None,
    email: bool = True,
) -> list[Notification]:
    """`notify`, leaving out whoever already has this notification (the same title and
    link, from the same institution): for a task that may run again (a retry after a
    failure), so that each person is told once. The title must name what it is about (a
    case's number), and runs about the same thing must not overlap: the caller locks that
    record (select_for_update) in the transaction this runs in."""
    people = list(recipients)
    if people:
        told = set(
            Notification.objects.filter(
                recipient_id__in={user.pk for user in people},
                title=title[:200],
                url=url[:300],
                institution=institution,
            ).values_list("recipient_id", flat=True)
        )
        people = [user for user in people if user.pk not in told]
    return notify(recipients=people, title=title, body=body, url=url, institution=institution, email=email)


# --- Delivery (run by core.tasks.send_notification_emails) -----------------------------


def _message(notification: Notification) -> EmailMessage:
    lines = [notification.body.strip()] if notification.body.strip() else []
    if notification.url:
        lines.append(settings.SITE_URL.rstrip("/") + notification.url)
    lines.append(EMAIL_FOOTER)
    return EmailMessage(
        # one line: a title typed with a line break in it must not make the header invalid
        subject=" ".join(f"{SUBJECT_PREFIX} {notification.title}".split()),
        body="\n\n".join(lines),
        to=[notification.recipient.email],
        headers={"Message-ID": message_id(notification)},
    )


def message_id(notification: Notification) -> str:
    """One Message-ID per notification, whichever attempt sends it: should a worker die
    between handing the e-mail to the mail server and marking it sent, the sweep sends it
    again under the same ID, and mail systems drop the second copy."""
    host = urlsplit(settings.SITE_URL).hostname or "proactive.localhost"
    return f"<notification-{notification.pk}@{host}>"


def deliver_emails(notification_ids: Iterable[int]) -> dict[str, int]:
    """Send the e-mails of the given notifications that are still pending. Each row is
    locked while it is sent (skipping rows another worker holds, on PostgreSQL), then
    marked sent, skipped (no address) or failed."""
    counts = {"sent": 0, "skipped": 0, "failed": 0}
    skip_locked = connection.features.has_select_for_update_skip_locked
    mailer = None
    for pk in sorted(set(notification_ids)):
        with transaction.atomic():
            row = (
                Notification.objects.select_for_update(skip_locked=skip_locked, of=("self",))
                .select_related("recipient")
                .filter(pk=pk, email_status=Notification.Email.PENDING)
                .first()
            )
            if row is None:
                continue
            if not row.recipient.email or not row.recipient.is_active:
                row.email_status = Notification.Email.SKIPPED
                counts["skipped"] += 1
            else:
                try:
                    mailer = mailer or mailers.default
                    mailer.send_messages([_message(row)])
                except Exception:
                    logger.exception("e-mail for notification %s failed", row.pk)
                    row.email_status = Notification.Email.FAILED
                    counts["failed"] += 1
                else:
                    row.email_status = Notification.Email.SENT
                    counts["sent"] += 1
            row.emailed_at = timezone.now()
            row.save(update_fields=["email_status", "emailed_at"])
    return counts


#: A pending e-mail this old has lost its task (the worker was down); the sweep sends it.
STALE_AFTER = datetime.timedelta(seconds=getattr(settings, "NOTIFICATION_STALE_AFTER_SECONDS", 600))
SWEEP_LIMIT = 1000


def stale_pending_ids(now: datetime.datetime | None = None) -> list[int]:
    cutoff = (now or timezone.now()) - STALE_AFTER
    return list(
        Notification.objects.filter(email_status=Notification.Email.PENDING, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )


# --- Selectors and reads for the views ------------------------------------------------


def notifications_of(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notifications_page(user: User, page: str | int | None) -> Page[Notification]:
    return Paginator(notifications_of(user), PAGE_SIZE).get_page(page)


def unread_count(user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(*, user: User, notification: Notification) -> Notification:
    if notification.recipient_id != user.pk:
        raise PermissionError("not the recipient")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
