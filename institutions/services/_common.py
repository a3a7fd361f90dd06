"""What every institutions service shares: who may administer which institution."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core.access import Actor
from core.errors import DomainError
from core.roles import Role
from institutions.models import Institution


def may_administer(actor: Actor, institution_id: int) -> bool:
    return actor.is_superuser or (actor.has(Role.ADMIN) and actor.institution_id == institution_id)


def require_admin(actor: Actor, institution: Institution) -> None:
    """Administrators act on their own institution only; superusers on any."""
    if not may_administer(actor, institution.pk):
        raise DomainError(_("이 기관을 관리할 권한이 없습니다."), code="forbidden")


def require_superuser(actor: Actor) -> None:
    if not actor.is_superuser:
        raise DomainError(_("시스템 관리자(슈퍼유저)만 할 수 있습니다."), code="forbidden")


def clean_text(value: str) -> str:
    return " ".join((value or "").split())


def taken(same: QuerySet[Any], exclude_pk: int | None = None) -> bool:
    """Whether a value meant to be unique is already used (by a record other than `exclude_pk`)."""
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    return same.exists()
