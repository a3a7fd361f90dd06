"""What the committee services share: who may change the pool, the lock on an institution's
pool, the pool-size rule, and the check of a typed text."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from committee.models import CommitteeMember
from core.access import Actor
from core.errors import DomainError
from core.roles import Role
from institutions.models import Institution, Policy


def clean_text(value: str | None, *, field: str, label: str, limit: int, required: bool = False) -> str:
    """A typed text, stripped; refused (on its field) when required and blank or longer
    than ``limit`` characters."""
    text = (value or "").strip()
    if required and not text:
        raise DomainError(_("%(label)s을(를) 입력해 주십시오.") % {"label": label}, field=field)
    if len(text) > limit:
        raise DomainError(
            _("%(label)s은(는) %(n)s자 이내로 입력해 주십시오.") % {"label": label, "n": limit}, field=field
        )
    return text


def require_secretary(actor: Actor) -> int:
    """The committee secretary changes the pool of their own institution only."""
    if actor.institution_id is None or not actor.has(Role.COMMITTEE_SECRETARY):
        raise DomainError(_("위원 명단은 위원회 간사만 관리할 수 있습니다."), code="forbidden")
    return actor.institution_id


def require_own(actor: Actor, member: CommitteeMember) -> int:
    institution_id = require_secretary(actor)
    if member.institution_id != institution_id:
        raise DomainError(_("이 기관의 위원이 아닙니다."), code="forbidden")
    return institution_id


def lock_pool(institution_id: int) -> Policy:
    """Lock the institution row (so two appointments cannot both pass the size check) and
    answer its policy. Must run inside the service's transaction."""
    Institution.objects.select_for_update().filter(pk=institution_id).first()
    return Policy.objects.filter(institution_id=institution_id).first() or Policy(institution_id=institution_id)


def seated(institution_id: int, today: datetime.date) -> QuerySet[CommitteeMember]:
    """Members holding a seat: not dismissed and whose term has not ended (a term starting
    later holds its seat already)."""
    return CommitteeMember.objects.filter(
        Q(institution_id=institution_id, status=CommitteeMember.Status.ACTIVE),
        Q(term_ends_on__isnull=True) | Q(term_ends_on__gte=today),
    )


def check_room(policy: Policy, institution_id: int, today: datetime.date) -> None:
    """HARD: the pool may not grow beyond the policy's maximum (chair included)."""
    size = seated(institution_id, today).count()
    if size + 1 > policy.committee_max_members:
        raise DomainError(
            _("위원은 위원장을 포함하여 %(max)s명을 넘을 수 없습니다(현재 %(size)s명).")
            % {"max": policy.committee_max_members, "size": size},
        )


def add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def check_term(
    starts_on: datetime.date | None, ends_on: datetime.date | None, *, start_field: str, end_field: str
) -> datetime.date:
    """HARD: a term has a start and does not end before it starts."""
    if starts_on is None:
        raise DomainError(_("임기 시작일을 입력해 주십시오."), field=start_field)
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("임기 종료일이 시작일보다 빠를 수 없습니다."), field=end_field)
    return starts_on
