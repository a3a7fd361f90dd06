"""Login accounts for committee members without one (external members, ADR 0014 §Access).

The secretary opens an account for a member: a user of the institution without a person
record, holding the committee member role from today to the member's term end, linked to
the member. The member receives a one-time link to choose a password. A dismissal ends the
role (committee/services/terms.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from committee.models import CommitteeMember
from committee.services._common import require_own
from core import audit
from core.access import Actor
from core.errors import DomainError
from core.roles import Role
from institutions.models import RoleAssignment
from institutions.services.people import _check_email, send_set_password_mail


def member_account_open(*, actor: Actor, member: CommitteeMember, username: str, email: str) -> User:
    institution_id = require_own(actor, member)
    username = (username or "").strip()
    if not username:
        raise DomainError(_("아이디를 입력해 주십시오."), field="username")
    if len(username) > 150:
        raise DomainError(_("아이디는 150자 이하로 입력해 주십시오."), field="username")
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise DomainError(_("아이디는 영문, 숫자와 @ . + - _ 만 쓸 수 있습니다."), field="username") from exc
    today = timezone.localdate()
    try:
        with transaction.atomic():
            current = CommitteeMember.objects.select_for_update().get(pk=member.pk)
            if current.status != CommitteeMember.Status.ACTIVE:
                raise DomainError(_("해촉된 위원에게는 계정을 만들 수 없습니다."))
            if current.user_id is not None:
                raise DomainError(_("이 위원에게는 이미 로그인 계정이 있습니다."))
            if current.term_ends_on is not None and current.term_ends_on < today:
                raise DomainError(_("임기가 끝난 위원에게는 계정을 만들 수 없습니다."))
            if User.objects.filter(username__iexact=username).exists():
                raise DomainError(_("이미 쓰고 있는 아이디입니다."), field="username")
            email = _check_email(email or "")
            user = User(
                username=username, email=email, institution_id=institution_id, person=None, last_name=current.name
            )
            user.set_unusable_password()
            user.save()
            RoleAssignment.objects.create(
                user=user,
                institution_id=institution_id,
                role=Role.COMMITTEE_MEMBER,
                starts_on=today,
                ends_on=current.term_ends_on,
                note=str(_("위원회 위원 계정")),
            )
            current.user = user
            current.save(update_fields=["user", "updated_at"])
            audit.record(
                actor=actor,
                action="committee.member_account_opened",
                target=current,
                changes={"username": username, "email": email, "role_ends_on": current.term_ends_on},
            )
            user_id = user.pk
            transaction.on_commit(lambda: send_set_password_mail(user_id))
    except IntegrityError as exc:
        raise DomainError(_("이미 쓰고 있는 아이디입니다."), field="username") from exc
    return user
