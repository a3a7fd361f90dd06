"""Role assignments: who holds which role in an institution (optionally one unit), when.

Rules (ADR 0001):
- the assignment belongs to the account's own institution; a unit must be one of its units;
- `ends_on` is never before `starts_on`;
- a department head is always limited to a unit;
- the designations (AA officer, protection officer) are recorded for a named person of the
  institution's staff list; at most ONE AA officer is designated at any time (several audit
  staff and protection officers are fine);
- the same role for the same account and unit never overlaps in time;
- a supervising-body role needs institutions below;
- administrators cannot end their own administrator role (another administrator must).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import audit
from core.access import Actor
from core.errors import DomainError
from core.roles import DESIGNATIONS, Role
from institutions.models import Institution, Person, RoleAssignment, Unit
from institutions.services._common import clean_text, require_admin


def _overlapping(
    qs: QuerySet[RoleAssignment], starts_on: datetime.date, ends_on: datetime.date | None
) -> QuerySet[RoleAssignment]:
    qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on))
    if ends_on is not None:
        qs = qs.filter(starts_on__lte=ends_on)
    return qs


def role_assign(
    *,
    actor: Actor,
    user: User,
    role: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    unit: Unit | None = None,
    note: str = "",
) -> RoleAssignment:
    institution = user.institution
    if institution is None:
        raise DomainError(_("기관에 속하지 않은 계정에는 역할을 지정할 수 없습니다."))
    require_admin(actor, institution)
    if role not in Role.values:
        raise DomainError(_("역할을 목록에서 선택해 주십시오."), field="role")
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(_("종료일은 시작일보다 앞설 수 없습니다."), field="ends_on")
    if unit is not None:
        if unit.institution_id != institution.pk:
            raise DomainError(_("이 기관의 부서가 아닙니다."), field="unit")
        if not unit.is_active:
            raise DomainError(_("사용 중지된 부서입니다."), field="unit")
    if role == Role.DEPT_HEAD and unit is None:
        raise DomainError(_("부서장은 맡을 부서를 지정해야 합니다."), field="unit")
    if not user.is_active:
        raise DomainError(_("사용 중지된 계정에는 역할을 지정할 수 없습니다."))
    person = user.person
    if role in DESIGNATIONS and (person is None or person.institution_id != institution.pk):
        raise DomainError(
            _("적극행정 책임관과 보호관은 이 기관 직원 명부에 있는 사람에게만 지정할 수 있습니다."), field="role"
        )
    if person is not None and person.status == Person.Status.RETIRED:
        raise DomainError(_("퇴직한 직원에게는 역할을 지정할 수 없습니다."))
    if role == Role.SUPERVISOR and not Institution.objects.filter(parent=institution).exists():
        raise DomainError(_("하위 기관이 없는 기관에는 상급(감독)기관 담당자를 둘 수 없습니다."), field="role")

    with transaction.atomic():
        same_role = RoleAssignment.objects.select_for_update(of=("self",)).filter(institution=institution, role=role)
        overlapping = _overlapping(same_role, starts_on, ends_on)
        if overlapping.filter(user=user, unit=unit).exists():
            raise DomainError(_("같은 기간에 같은 역할이 이미 지정되어 있습니다."), field="role")
        if role == Role.AA_OFFICER:
            current = overlapping.select_related("user", "user__person").first()
            if current is not None:
                raise DomainError(
                    _(
                        "적극행정 책임관은 한 기관에 한 명만 지정합니다. %(name)s 님이 %(start)s부터 지정되어 있으니 "
                        "먼저 그 지정을 종료해 주십시오."
                    )
                    % {"name": str(current.user), "start": current.starts_on.isoformat()},
                    field="role",
                )
        assignment = RoleAssignment.objects.create(
            user=user,
            institution=institution,
            unit=unit,
            role=role,
            starts_on=starts_on,
            ends_on=ends_on,
            note=clean_text(note),
        )
        audit.record(
            actor=actor,
            action="institutions.role_assigned",
            target=assignment,
            changes={
                "user": user.get_username(),
                "role": role,
                "unit": unit.pk if unit else None,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "note": assignment.note,
            },
        )
    return assignment


def role_end(*, actor: Actor, assignment: RoleAssignment, ends_on: datetime.date, reason: str = "") -> RoleAssignment:
    """End a role assignment on a date (it holds through that day)."""
    require_admin(actor, assignment.institution)
    with transaction.atomic():
        assignment = RoleAssignment.objects.select_for_update(of=("self",)).get(pk=assignment.pk)
        if assignment.ends_on is not None and assignment.ends_on < timezone.localdate():
            raise DomainError(_("이미 끝난 역할 지정입니다."))
        if ends_on < assignment.starts_on:
            raise DomainError(
                _("종료일은 시작일(%(start)s)보다 앞설 수 없습니다.") % {"start": assignment.starts_on.isoformat()},
                field="ends_on",
            )
        if assignment.ends_on is not None and ends_on > assignment.ends_on:
            raise DomainError(
                _("종료일을 원래 종료일(%(end)s)보다 늦출 수 없습니다. 새로 지정해 주십시오.")
                % {"end": assignment.ends_on.isoformat()},
                field="ends_on",
            )
        if (
            assignment.role == Role.ADMIN
            and actor.user is not None
            and assignment.user_id == actor.user.pk
            and not actor.is_superuser
        ):
            raise DomainError(_("자신의 관리자 역할은 다른 관리자가 종료해야 합니다."))
        before = assignment.ends_on
        assignment.ends_on = ends_on
        assignment.save(update_fields=["ends_on", "updated_at"])
        audit.record(
            actor=actor,
            action="institutions.role_ended",
            target=assignment,
            changes={"ends_on": [before, ends_on]},
            reason=clean_text(reason),
        )
    return assignment
