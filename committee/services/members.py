"""Appointing a member and changing a member's particulars (ADR 0013).

HARD rules (refused, nothing saved): the pool would pass the policy's maximum; a second
chair; a term ending before it starts. An internal member may name a person of the
institution; an external member names none. The audit-unit head must be internal.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from committee.models import CommitteeMember, Tag, Term
from committee.services._common import check_room, check_term, lock_pool, require_own, require_secretary
from committee.services.terms import term_end_for
from core import audit
from core.access import Actor
from core.errors import DomainError
from institutions.models import Person

MEMBER_FIELDS = [
    "kind",
    "name",
    "organisation",
    "position",
    "gender",
    "email",
    "phone",
    "is_chair",
    "is_audit_head",
    "term_starts_on",
    "term_ends_on",
]
UPDATE_FIELDS = ["name", "organisation", "position", "gender", "email", "phone", "is_audit_head"]
MAX_TAGS = 10
TAG_LENGTH = 50


def _clean(value: str | None, *, limit: int, field: str, label: str, required: bool = False) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise DomainError(_("%(label)s을(를) 입력해 주십시오.") % {"label": label}, field=field)
    if len(text) > limit:
        raise DomainError(
            _("%(label)s은(는) %(n)s자 이내로 입력해 주십시오.") % {"label": label, "n": limit}, field=field
        )
    return text


def normalise_tag(name: str) -> str:
    """One spelling per expertise: spaces collapsed, Latin letters in lower case."""
    return " ".join((name or "").split()).lower()


def _tag_names(expertise: Iterable[str] | str) -> list[str]:
    raw = expertise.replace("·", ",").split(",") if isinstance(expertise, str) else list(expertise)
    names: list[str] = []
    for item in raw:
        name = normalise_tag(item)
        if name and name not in names:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise DomainError(_("전문분야는 %(n)s개까지 적을 수 있습니다.") % {"n": MAX_TAGS}, field="expertise")
    if any(len(n) > TAG_LENGTH for n in names):
        raise DomainError(_("전문분야 하나는 %(n)s자 이내로 적어 주십시오.") % {"n": TAG_LENGTH}, field="expertise")
    return names


def _tags(institution_id: int, names: list[str]) -> list[Tag]:
    Tag.objects.bulk_create([Tag(institution_id=institution_id, name=n) for n in names], ignore_conflicts=True)
    return list(Tag.objects.filter(institution_id=institution_id, name__in=names).order_by("name"))


def _particulars(
    *,
    institution_id: int,
    kind: str,
    person: Person | None,
    name: str,
    organisation: str,
    position: str,
    gender: str,
    email: str,
    phone: str,
    is_audit_head: bool,
    user: User | None,
) -> dict[str, Any]:
    if kind not in CommitteeMember.Kind.values:
        raise DomainError(_("위원 구분을 골라 주십시오."), field="kind")
    if person is not None:
        if kind != CommitteeMember.Kind.INTERNAL:
            raise DomainError(_("민간위원은 기관 직원으로 지정할 수 없습니다."), field="person")
        if person.institution_id != institution_id:
            raise DomainError(_("이 기관의 직원을 골라 주십시오."), field="person")
        if person.status == Person.Status.RETIRED:
            raise DomainError(_("퇴직한 직원은 내부위원이 될 수 없습니다."), field="person")
    name = _clean(name or (person.name if person else ""), limit=100, field="name", label=_("성명"), required=True)
    if gender not in CommitteeMember.Gender.values:
        raise DomainError(_("성별을 골라 주십시오."), field="gender")
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise DomainError(_("올바른 전자우편 주소를 입력해 주십시오."), field="email") from exc
    if is_audit_head and kind != CommitteeMember.Kind.INTERNAL:
        raise DomainError(_("감사부서의 장은 내부위원이어야 합니다."), field="is_audit_head")
    if user is not None and user.institution_id != institution_id:
        raise DomainError(_("이 기관의 계정을 골라 주십시오."), field="user")
    return {
        "kind": kind,
        "person": person,
        "name": name,
        "organisation": _clean(organisation, limit=200, field="organisation", label=_("소속")),
        "position": _clean(position, limit=100, field="position", label=_("직위")),
        "gender": gender,
        "email": email[:254],
        "phone": _clean(phone, limit=30, field="phone", label=_("전화번호")),
        "is_audit_head": bool(is_audit_head),
        "user": user,
    }


def _check_unique(member: CommitteeMember, exclude_pk: int | None = None) -> None:
    active = CommitteeMember.objects.filter(status=CommitteeMember.Status.ACTIVE)
    if exclude_pk is not None:
        active = active.exclude(pk=exclude_pk)
    if (
        member.person_id is not None
        and active.filter(institution_id=member.institution_id, person_id=member.person_id).exists()
    ):
        raise DomainError(_("이 직원은 이미 위원입니다."), field="person")
    if member.user_id is not None and active.filter(user_id=member.user_id).exists():
        raise DomainError(_("이 계정은 이미 다른 위원에게 연결되어 있습니다."), field="user")


def _one_chair(institution_id: int) -> None:
    """HARD: exactly one chair; a second one is refused (designate moves the chair)."""
    chair = CommitteeMember.objects.filter(
        institution_id=institution_id, status=CommitteeMember.Status.ACTIVE, is_chair=True
    ).first()
    if chair is not None:
        raise DomainError(
            _("위원장은 한 명입니다. 이미 %(name)s 위원이 위원장입니다. 위원장을 바꾸려면 위원장 지정을 쓰십시오.")
            % {"name": chair.name},
            field="is_chair",
        )


def member_appoint(
    *,
    actor: Actor,
    kind: str,
    name: str = "",
    term_starts_on: datetime.date | None,
    term_ends_on: datetime.date | None = None,
    person: Person | None = None,
    organisation: str = "",
    position: str = "",
    gender: str = CommitteeMember.Gender.UNDISCLOSED,
    expertise: Iterable[str] | str = (),
    email: str = "",
    phone: str = "",
    is_chair: bool = False,
    is_audit_head: bool = False,
    user: User | None = None,
) -> CommitteeMember:
    """Appoint (or commission) a member for a first term. An external member's term ends by
    default after the policy's `external_term_years`; an internal (ex officio) member's term
    has no end unless one is given."""
    institution_id = require_secretary(actor)
    values = _particulars(
        institution_id=institution_id,
        kind=kind,
        person=person,
        name=name,
        organisation=organisation,
        position=position,
        gender=gender,
        email=email,
        phone=phone,
        is_audit_head=is_audit_head,
        user=user,
    )
    tag_names = _tag_names(expertise)
    start = check_term(term_starts_on, term_ends_on, start_field="term_starts_on", end_field="term_ends_on")
    today = timezone.localdate()
    try:
        with transaction.atomic():
            policy = lock_pool(institution_id)
            if term_ends_on is None and kind == CommitteeMember.Kind.EXTERNAL:
                term_ends_on = term_end_for(start, policy)
            if term_ends_on is not None and term_ends_on < today:
                raise DomainError(_("이미 끝난 임기로 위촉할 수 없습니다."), field="term_ends_on")
            check_room(policy, institution_id, today)
            if is_chair:
                _one_chair(institution_id)
            member = CommitteeMember(
                institution_id=institution_id,
                is_chair=bool(is_chair),
                term_starts_on=start,
                term_ends_on=term_ends_on,
                **values,
            )
            _check_unique(member)
            member.save()
            Term.objects.create(member=member, number=0, starts_on=start, ends_on=term_ends_on)
            tags = _tags(institution_id, tag_names)
            member.expertise.set(tags)
            audit.record(
                actor=actor,
                action="committee.member_appointed",
                target=member,
                changes={
                    **audit.snapshot(member, MEMBER_FIELDS),
                    "person": str(person) if person else None,
                    "user": user.get_username() if user else None,
                    "expertise": [t.name for t in tags],
                },
            )
    except IntegrityError as exc:  # a concurrent appointment won the race
        raise DomainError(_("같은 위원 또는 위원장이 이미 지정되었습니다. 다시 확인해 주십시오.")) from exc
    return member


def member_update(
    *,
    actor: Actor,
    member: CommitteeMember,
    name: str,
    organisation: str = "",
    position: str = "",
    gender: str = CommitteeMember.Gender.UNDISCLOSED,
    expertise: Iterable[str] | str = (),
    email: str = "",
    phone: str = "",
    is_audit_head: bool = False,
    user: User | None = None,
) -> CommitteeMember:
    """Change a serving member's particulars. The kind and the person stay (another person is
    another appointment); terms change by renewal, the chair by designation."""
    institution_id = require_own(actor, member)
    values = _particulars(
        institution_id=institution_id,
        kind=member.kind,
        person=member.person,
        name=name,
        organisation=organisation,
        position=position,
        gender=gender,
        email=email,
        phone=phone,
        is_audit_head=is_audit_head,
        user=user,
    )
    values.pop("kind")
    values.pop("person")
    new_user = values.pop("user")
    tag_names = _tag_names(expertise)
    try:
        with transaction.atomic():
            current = CommitteeMember.objects.select_for_update().get(pk=member.pk)
            if current.status != CommitteeMember.Status.ACTIVE:
                raise DomainError(_("해촉된 위원의 정보는 고칠 수 없습니다."))
            old_tags = sorted(current.expertise.values_list("name", flat=True))
            old_user = current.user.get_username() if current.user else None
            current.user = new_user
            _check_unique(current, exclude_pk=current.pk)
            extra: dict[str, Any] = {}
            if sorted(tag_names) != old_tags:
                current.expertise.set(_tags(institution_id, tag_names))
                extra["expertise"] = [old_tags, sorted(tag_names)]
            new_username = new_user.get_username() if new_user else None
            if new_username != old_user:
                extra["user"] = [old_user, new_username]
            audit.save_changes(
                current, values, fields=UPDATE_FIELDS, actor=actor, action="committee.member_updated", extra=extra
            )
    except IntegrityError as exc:
        raise DomainError(_("이 계정은 이미 다른 위원에게 연결되어 있습니다."), field="user") from exc
    return current
