"""The login lockout (django-axes; ADR 0004): per account name, keeping nothing about the
client, and audited.

Axes' database handler writes one `AccessAttempt` row per account name while it counts
failures (deleted once the cool-off has passed). Out of the box that row also keeps the
client's address, browser (User-Agent) and Accept header; here the address is never read
(`no_address`, AXES_CLIENT_IP_CALLABLE) and the other two are blanked before the row is
written (`AccountLockoutHandler`, AXES_HANDLER). The first failure that locks an existing
account writes `accounts.login_locked_out` to the audit log of the account's institution.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.db import transaction
from django.http import HttpRequest

LOCKED_OUT = "accounts.login_locked_out"


def no_address(request: HttpRequest) -> None:
    """AXES_CLIENT_IP_CALLABLE: the lockout is per account name, so no address is kept."""


class AccountLockoutHandler(AxesDatabaseHandler):
    """Axes' database handler without the client's browser and Accept header."""

    def user_login_failed(self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
        if request is not None:
            request.axes_ip_address = None
            request.axes_user_agent = ""
            request.axes_http_accept = ""
        super().user_login_failed(sender, credentials, request, **kwargs)


def audit_lockout(sender: object, request: Any = None, username: str | None = None, **kwargs: object) -> None:
    """Receiver of axes' `user_locked_out`. Axes sends it on every failure from the limit on
    (each one also restarts the cool-off); only the failure that reaches the limit is
    audited, once per lockout. An unknown account name is not audited: its typed name is
    no one's to keep."""
    from accounts.models import User
    from core import audit

    failures = getattr(request, "axes_failures_since_start", None)
    if request is None or not username or failures != get_failure_limit(request, None):
        return
    user = User.objects.filter(username=username).first()
    if user is None:
        return
    with transaction.atomic():
        audit.record(
            actor=None,
            action=LOCKED_OUT,
            target=user,
            institution_id=user.institution_id,
            changes={"failures": failures, "cooloff_minutes": _minutes(get_cool_off(request))},
        )


def _minutes(cool_off: Any) -> int | None:
    return int(cool_off.total_seconds() // 60) if cool_off is not None else None
