"""People of an institution and the staff accounts linked to them."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core import audit
from core.access import Actor
from core.errors import DomainError
from institutions.models import Institution, Person, RoleAssignment, Unit
from institutions.services._common import clean_text, require_admin, taken

PERSON_FIELDS = [
    "unit_id",
    "employee_number",
    "name",
    "grade",
    "position",
    "email",
    "status",
    "joined_on",
    "promoted_on",
    "retired_on",
]


def _check_employee_number(institution: Institution, number: str, *, exclude_pk: int | None = None) -> str:
    number = clean_text(number)
    if not number:
        raise DomainError(_("직원번호를 입력해 주십시오."), field="employee_number")
    if taken(Person.objects.filter(institution=institution, employee_number=number), exclude_pk):
        raise DomainError(_("이 기관에서 이미 쓰고 있는 직원번호입니다."), field="employee_number")
    return number


def _check_unit(institution: Institution, unit: Unit | None, *, current: Unit | None = None) -> None:
    if unit is None:
        return
    if unit.institution_id != institution.pk:
        raise DomainError(_("이 기관의 부서가 아닙니다."), field="unit")
    if not unit.is_active and (current is None or unit.pk != current.pk):
        raise DomainError(_("사용 중지된 부서에는 배치할 수 없습니다."), field="unit")


def _check_dates(joined_on: datetime.date | None, promoted_on: datetime.date | None) -> None:
    if joined_on and promoted_on and promoted_on < joined_on:
        raise DomainError(_("최근 승진일은 임용일보다 앞설 수 없습니다."), field="promoted_on")


def person_create(
    *,
    actor: Actor,
    institution: Institution,
    employee_number: str,
    name: str,
    unit: Unit | None = None,
    grade: str = "",
    position: str = "",
    email: str = "",
    joined_on: datetime.date | None = None,
    promoted_on: datetime.date | None = None,
) -> Person:
    require_admin(actor, institution)
    if not clean_text(name):
        raise DomainError(_("성명을 입력해 주십시오."), field="name")
    _check_unit(institution, unit)
    _check_dates(joined_on, promoted_on)
    with transaction.atomic():
        person = Person.objects.create(
            institution=institution,
            unit=unit,
            employee_number=_check_employee_number(institution, employee_number),
            name=clean_text(name),
            grade=clean_text(grade),
            position=clean_text(position),
            email=email.strip(),
            joined_on=joined_on,
            promoted_on=promoted_on,
        )
        audit.record(
            actor=actor,
            action="institutions.person_created",
            target=person,
            changes=audit.snapshot(person, PERSON_FIELDS),
        )
    return person


def person_update(
    *,
    actor: Actor,
    person: Person,
    employee_number: str,
    name: str,
    unit: Unit | None = None,
    grade: str = "",
    position: str = "",
    email: str = "",
    status: str = Person.Status.ACTIVE,
    joined_on: datetime.date | None = None,
    promoted_on: datetime.date | None = None,
) -> Person:
    """Change a person's record. Setting a retired person back to active or on leave
    reinstates them (the retirement date is cleared); retiring goes through `person_retire`."""
    require_admin(actor, person.institution)
    if status not in Person.Status.values:
        raise DomainError(_("재직 상태를 목록에서 선택해 주십시오."), field="status")
    if not clean_text(name):
        raise DomainError(_("성명을 입력해 주십시오."), field="name")
    _check_dates(joined_on, promoted_on)
    with transaction.atomic():
        person = Person.objects.select_for_update(of=("self",)).select_related("institution", "unit").get(pk=person.pk)
        if status == Person.Status.RETIRED and person.status != Person.Status.RETIRED:
            raise DomainError(_("퇴직은 '퇴직 처리' 화면에서 퇴직일과 함께 기록해 주십시오."), field="status")
        _check_unit(person.institution, unit, current=person.unit)
        values = {
            "employee_number": _check_employee_number(person.institution, employee_number, exclude_pk=person.pk),
            "name": clean_text(name),
            "unit": unit,
            "grade": clean_text(grade),
            "position": clean_text(position),
            "email": email.strip(),
            "status": status,
            "joined_on": joined_on,
            "promoted_on": promoted_on,
        }
        if status != Person.Status.RETIRED:
            values["retired_on"] = None
        extra = {}
        reinstated = person.status == Person.Status.RETIRED and status != Person.Status.RETIRED
        # Reinstated: the account may sign in again; roles are assigned afresh.
        if reinstated and User.objects.filter(person=person, is_active=False).update(is_active=True):
            extra["account_active"] = [False, True]
        audit.save_changes(
            person, values, fields=PERSON_FIELDS, actor=actor, action="institutions.person_updated", extra=extra
        )
    return person


def person_retire(*, actor: Actor, person: Person, retired_on: datetime.date, reason: str = "") -> Person:
    """Mark a person retired. The record stays (retired people remain named in their cases);
    the linked account is deactivated and its roles end on the retirement date."""
    require_admin(actor, person.institution)
    with transaction.atomic():
        person = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
        if person.status == Person.Status.RETIRED:
            raise DomainError(_("이미 퇴직 처리된 직원입니다."))
        if person.joined_on and retired_on < person.joined_on:
            raise DomainError(_("퇴직일은 임용일보다 앞설 수 없습니다."), field="retired_on")
        before = audit.snapshot(person, PERSON_FIELDS)
        person.status = Person.Status.RETIRED
        person.retired_on = retired_on
        person.save(update_fields=["status", "retired_on", "updated_at"])
        changes: dict[str, Any] = audit.diff(person, before, PERSON_FIELDS)
        user = User.objects.filter(person=person).first()
        if user is not None:
            changes.update(_close_account(user, retired_on))
        audit.record(actor=actor, action="institutions.person_retired", target=person, changes=changes, reason=reason)
    return person


def _close_account(user: User, on: datetime.date) -> dict[str, Any]:
    """End the user's roles on a date (roles that would only start later are removed) and
    deactivate the account. Returns what changed, for the audit entry."""
    open_roles = RoleAssignment.objects.filter(user=user).exclude(ends_on__lt=on)
    ended: list[str] = []
    cancelled: list[str] = []
    for assignment in open_roles:
        if assignment.starts_on > on:
            cancelled.append(f"{assignment.role} ({assignment.starts_on})")
            assignment.delete()
        else:
            ended.append(f"{assignment.role} ({assignment.starts_on}~{on})")
            assignment.ends_on = on
            assignment.save(update_fields=["ends_on", "updated_at"])
    changes: dict[str, Any] = {}
    if ended:
        changes["roles_ended"] = ended
    if cancelled:
        changes["roles_cancelled"] = cancelled
    if user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        changes["account_active"] = [True, False]
    return changes


# --- Accounts ---------------------------------------------------------------------------


class _SetPasswordMail(PasswordResetForm):
    """Django's password-reset mail, addressed to one known account (even one that has no
    usable password yet, which the stock form skips)."""

    def __init__(self, user: User) -> None:
        super().__init__(data={"email": user.email})
        self.account = user

    def get_users(self, email: str) -> list[User]:
        return [self.account] if self.account.is_active else []


def send_set_password_mail(user_id: int) -> None:
    """Send the account's owner a one-time link to choose a password."""
    user = User.objects.select_related("institution").filter(pk=user_id).first()
    if user is None or not user.email:
        return
    form = _SetPasswordMail(user)
    if not form.is_valid():
        return
    site = urlsplit(settings.SITE_URL)
    form.save(
        domain_override=site.netloc,
        use_https=site.scheme == "https",
        subject_template_name="institutions/email/set_password_subject.txt",
        email_template_name="institutions/email/set_password_body.txt",
        extra_email_context={
            "institution": user.institution.name if user.institution else "",
            "username": user.get_username(),
        },
    )


def _check_email(email: str, *, exclude_user: int | None = None) -> str:
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(_("올바른 전자우편 주소를 입력해 주십시오."), field="email") from exc
    clash = User.objects.filter(email__iexact=email, is_active=True)
    if exclude_user is not None:
        clash = clash.exclude(pk=exclude_user)
    if clash.exists():
        raise DomainError(_("이미 다른 계정이 쓰고 있는 전자우편 주소입니다."), field="email")
    return email


def user_account_create_for_person(*, actor: Actor, person: Person, username: str, email: str) -> User:
    """Open a staff account for a person. The person receives an e-mail with a one-time link
    to choose a password (sent once the account is saved)."""
    require_admin(actor, person.institution)
    username = username.strip()
    if not username:
        raise DomainError(_("아이디를 입력해 주십시오."), field="username")
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise DomainError(_("아이디는 영문, 숫자와 @ . + - _ 만 쓸 수 있습니다."), field="username") from exc
    if len(username) > 150:
        raise DomainError(_("아이디는 150자 이하로 입력해 주십시오."), field="username")
    with transaction.atomic():
        person = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
        if person.status == Person.Status.RETIRED:
            raise DomainError(_("퇴직한 직원에게는 계정을 만들 수 없습니다."))
        if User.objects.filter(person=person).exists():
            raise DomainError(_("이 직원에게는 이미 계정이 있습니다."))
        if User.objects.filter(username__iexact=username).exists():
            raise DomainError(_("이미 쓰고 있는 아이디입니다."), field="username")
        email = _check_email(email)
        user = User(
            username=username,
            email=email,
            institution_id=person.institution_id,
            person=person,
            last_name=person.name,
        )
        user.set_unusable_password()
        user.save()
        audit.record(
            actor=actor,
            action="institutions.account_created",
            target=user,
            institution_id=person.institution_id,
            changes={"username": username, "email": email, "person": person.pk},
        )
        user_id = user.pk
        transaction.on_commit(lambda: send_set_password_mail(user_id))
    return user


def user_account_send_password_link(*, actor: Actor, user: User) -> None:
    """Send the account's owner a fresh one-time link to choose a password."""
    if user.institution is None:
        raise DomainError(_("기관에 속하지 않은 계정입니다."))
    require_admin(actor, user.institution)
    if not user.is_active:
        raise DomainError(_("사용 중지된 계정입니다."))
    if not user.email:
        raise DomainError(_("전자우편 주소가 없는 계정입니다."))
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="institutions.account_password_link_sent",
            target=user,
            institution_id=user.institution_id,
            changes={"sent_at": timezone.now()},
        )
        user_id = user.pk
        transaction.on_commit(lambda: send_set_password_mail(user_id))
