"""The committee's member pool over the API (DOMAIN.md §6, ADR 0013).

The same doors as the pool pages (committee/views.py): the committee secretary, the active
administration officer and the head read the pool and its health; a committee member reads
only their own membership; the secretary alone appoints, changes, renews, dismisses and
designates the chair, through committee/services. Another institution's member answers 404.
"""

# No `from __future__ import annotations`: ninja reads the annotations of a paginated view
# from the wrapper that `paginate` makes (see api/register.py).

import datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema, Status
from pydantic import WithJsonSchema, field_validator

from accounts.models import User
from api.access import api_access
from api.auth import request_actor
from api.institutions import InSchema, PersonRef, not_nullable, refuse_null
from api.pagination import LimitOffset, paginate
from committee import selectors, services
from committee.models import CommitteeMember
from committee.selectors import MAX_QUERY_LENGTH, MemberFilters
from core.access import Actor, roles, same_institution
from core.errors import DomainError
from core.roles import Role
from institutions.models import Person

router = Router(tags=["committee"])

READ = roles(*selectors.POOL_READERS)
MEMBER_READ = roles(*selectors.MEMBER_READERS)
WRITE = roles(Role.COMMITTEE_SECRETARY)

Kind = Annotated[CommitteeMember.Kind, WithJsonSchema({"type": "string", "enum": CommitteeMember.Kind.values})]
MemberStatus = Annotated[
    CommitteeMember.Status, WithJsonSchema({"type": "string", "enum": CommitteeMember.Status.values})
]
Gender = Annotated[CommitteeMember.Gender, WithJsonSchema({"type": "string", "enum": CommitteeMember.Gender.values})]
Grounds = Annotated[CommitteeMember.Grounds, WithJsonSchema({"type": "string", "enum": CommitteeMember.Grounds.values})]


class TermOut(Schema):
    number: int = Field(description="차수: 0 최초 위촉, 1 이상 연임 (0 first appointment, 1+ renewal)")
    starts_on: datetime.date = Field(description="시작일 (starts on)")
    ends_on: datetime.date | None = Field(description="종료일, 당연직은 null (ends on; null: ex officio)")


class MemberOut(Schema):
    id: int
    name: str = Field(description="성명 (name)")
    kind: str = Field(description="구분 (kind): internal, external")
    kind_label: str = Field(description="구분 이름 (kind label)")
    person: PersonRef | None = Field(description="내부위원의 직원 (the internal member's person)")
    organisation: str = Field(description="소속 (organisation)")
    position: str = Field(description="직위 (position)")
    gender: str = Field(description="성별 (gender): " + ", ".join(CommitteeMember.Gender.values))
    expertise: list[str] = Field(description="전문분야 (expertise tags)")
    is_chair: bool = Field(description="위원장 (chair)")
    is_audit_head: bool = Field(description="감사부서의 장 (head of the audit unit)")
    status: str = Field(description="상태 (status): active, dismissed")
    status_label: str = Field(description="상태 이름 (status label)")
    term_starts_on: datetime.date = Field(
        description="재임 기간 시작: 이어진 임기의 첫날 (start of the unbroken run of terms)"
    )
    term_ends_on: datetime.date | None = Field(
        description="재임 기간 종료: 마지막 임기의 끝, 당연직 null (end of the latest term; null: ex officio)"
    )
    renewals: int = Field(description="연임 횟수 (renewals so far)")
    dismissed_on: datetime.date | None = Field(description="해촉일 (dismissed on)")
    dismissal_grounds: str = Field(description="해촉 사유 코드 (dismissal grounds code)")

    @staticmethod
    def resolve_kind_label(obj: CommitteeMember) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_status_label(obj: CommitteeMember) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_expertise(obj: CommitteeMember) -> list[str]:
        return [t.name for t in obj.expertise.all()]


class MemberDetailOut(MemberOut):
    email: str = Field(description="전자우편 (e-mail)")
    phone: str = Field(description="전화번호 (phone)")
    username: str | None = Field(description="연결된 로그인 계정 (linked login)")
    dismissal_note: str = Field(description="해촉 상세 사유 (dismissal details)")
    terms: list[TermOut] = Field(description="임기 이력 (terms, oldest first)")

    @staticmethod
    def resolve_username(obj: CommitteeMember) -> str | None:
        return obj.user.get_username() if obj.user else None

    @staticmethod
    def resolve_terms(obj: CommitteeMember) -> list[TermOut]:
        return [TermOut(number=t.number, starts_on=t.starts_on, ends_on=t.ends_on) for t in selectors.terms_of(obj)]


class MemberQuery(Schema):
    kind: Kind | None = Field(None, description="구분 (kind)")
    status: MemberStatus | None = Field(None, description="상태 (status)")
    expertise: str = Field("", max_length=50, description="전문분야 (expertise tag)")
    q: str = Field("", max_length=MAX_QUERY_LENGTH, description="성명·소속·직위 검색 (search)")


class MemberIn(InSchema):
    kind: Kind = Field(description="구분 (kind)")
    name: str = Field(
        "", max_length=100, description="성명; 직원번호를 주면 비워도 됨 (name; may be empty with person_number)"
    )
    person_number: str = Field("", max_length=30, description="내부위원의 직원번호 (internal member's employee number)")
    organisation: str = Field("", max_length=200, description="소속 (organisation)")
    position: str = Field("", max_length=100, description="직위 (position)")
    gender: Gender = Field(CommitteeMember.Gender.UNDISCLOSED, description="성별 (gender)")
    expertise: list[str] = Field([], max_length=10, description="전문분야 (expertise tags)")
    email: str = Field("", max_length=254, description="전자우편 (e-mail)")
    phone: str = Field("", max_length=30, description="전화번호 (phone)")
    is_chair: bool = Field(False, description="위원장 (chair); 이미 있으면 거절 (refused when there is one)")
    is_audit_head: bool = Field(False, description="감사부서의 장 (head of the audit unit; internal only)")
    username: str = Field("", max_length=150, description="연결할 로그인 계정 아이디 (login to link)")
    term_starts_on: datetime.date = Field(description="임기 시작일 (term starts)")
    term_ends_on: datetime.date | None = Field(
        None, description="임기 종료일; 비우면 민간위원은 정책의 임기 (term ends; default: the policy's term)"
    )


PATCH_NOT_NULL = ("name", "organisation", "position", "gender", "expertise", "email", "phone", "is_audit_head")


class MemberPatch(InSchema):
    """Only the fields sent change. 보낸 항목만 바뀝니다."""

    name: str | None = Field(None, min_length=1, max_length=100, description="성명 (name)")
    organisation: str | None = Field(None, max_length=200, description="소속 (organisation)")
    position: str | None = Field(None, max_length=100, description="직위 (position)")
    gender: Gender | None = Field(None, description="성별 (gender)")
    expertise: list[str] | None = Field(None, max_length=10, description="전문분야 (expertise tags)")
    email: str | None = Field(None, max_length=254, description="전자우편 (e-mail)")
    phone: str | None = Field(None, max_length=30, description="전화번호 (phone)")
    is_audit_head: bool | None = Field(None, description="감사부서의 장 (head of the audit unit)")
    username: str | None = Field(
        None, max_length=150, description="로그인 계정; 빈 문자열이면 연결 해제 (login; empty unlinks)"
    )

    model_config = not_nullable(*PATCH_NOT_NULL)
    check_not_null = field_validator(*PATCH_NOT_NULL)(refuse_null)


class RenewIn(InSchema):
    starts_on: datetime.date | None = Field(None, description="새 임기 시작일 (new term starts; default: day after)")
    ends_on: datetime.date | None = Field(None, description="새 임기 종료일 (new term ends; default: policy)")


class DismissIn(InSchema):
    grounds: Grounds = Field(description="해촉 사유 (grounds)")
    note: str = Field("", max_length=2000, description="상세 사유 (details; required for 'other')")
    dismissed_on: datetime.date | None = Field(None, description="해촉일, 기본 오늘 (dismissed on; default today)")


class PoolFindingOut(Schema):
    level: str = Field(description="hard: 지켜야 하는 기준 위반 (a rule broken); soft: 경고 (a warning)")
    code: str = Field(description="점검 코드 (finding code), 예: size_below_min, external_share_low")
    message: str = Field(description="설명 (message, in the request's language)")


class CountsOut(Schema):
    size: int = Field(description="재임 위원 수, 위원장 포함 (serving members, chair included)")
    external: int = Field(description="민간위원 (external)")
    internal: int = Field(description="내부위원 (internal)")
    female: int = Field(description="여성 (women)")
    male: int = Field(description="남성 (men)")
    undisclosed: int = Field(description="밝히지 않음 (undisclosed)")
    chairs: int = Field(description="위원장 (chairs)")
    audit_heads: int = Field(description="감사부서의 장 (audit-unit heads)")


class HealthOut(Schema):
    today: datetime.date = Field(description="점검일 (date of the check)")
    counts: CountsOut
    findings: list[PoolFindingOut] = Field(description="점검 결과, 없으면 정책에 맞음 (findings; empty: healthy)")


def _person(actor: Actor, number: str) -> Person | None:
    if not number:
        return None
    person = same_institution(actor, Person.objects.all()).filter(employee_number=number).first()
    if person is None:
        raise DomainError(_("이 기관에 없는 직원번호입니다."), field="person_number")
    return person


def _user(actor: Actor, username: str) -> User | None:
    if not username:
        return None
    user = same_institution(actor, User.objects.filter(is_active=True)).filter(username__iexact=username).first()
    if user is None:
        raise DomainError(_("이 기관에 없는 계정입니다."), field="username")
    return user


@router.get("/committee/members", response=list[MemberOut], summary="위원 명단 (List the committee pool)")
@api_access(MEMBER_READ)
@paginate(LimitOffset)
def member_list(request: HttpRequest, filters: Query[MemberQuery]) -> QuerySet[CommitteeMember]:
    """The pool (a committee member sees only their own membership). 위원 명단."""
    return selectors.members_for(
        request_actor(request),
        MemberFilters(
            kind=str(filters.kind or ""), status=str(filters.status or ""), expertise=filters.expertise, q=filters.q
        ),
    )


@router.get("/committee/pool/health", response=HealthOut, summary="위원 구성 점검 (Pool health)")
@api_access(READ)
def pool_health(request: HttpRequest) -> dict[str, Any]:
    """The pool's counts and findings against the institution's policy (hard and soft)."""
    actor = request_actor(request)
    if actor.institution_id is None:
        raise Http404
    health = selectors.pool_health_for(actor.institution_id)
    return {"today": health.today, "counts": health.counts.__dict__, "findings": [f._asdict() for f in health.findings]}


@router.get("/committee/members/{int:member_id}", response=MemberDetailOut, summary="위원 (Committee member)")
@api_access(MEMBER_READ)
def member_detail(request: HttpRequest, member_id: int) -> CommitteeMember:
    return selectors.member_or_404(request_actor(request), member_id)


@router.post("/committee/members", response={201: MemberDetailOut}, summary="위원 위촉 (Appoint a member)")
@api_access(WRITE, write=True)
def member_appoint(request: HttpRequest, payload: MemberIn) -> Status[CommitteeMember]:
    """Appoint a member (audited). Refused (400) when the pool would pass the policy's maximum,
    for a second chair, or a term ending before it starts."""
    actor = request_actor(request)
    member = services.member_appoint(
        actor=actor,
        kind=str(payload.kind),
        name=payload.name,
        person=_person(actor, payload.person_number),
        organisation=payload.organisation,
        position=payload.position,
        gender=str(payload.gender),
        expertise=payload.expertise,
        email=payload.email,
        phone=payload.phone,
        is_chair=payload.is_chair,
        is_audit_head=payload.is_audit_head,
        user=_user(actor, payload.username),
        term_starts_on=payload.term_starts_on,
        term_ends_on=payload.term_ends_on,
    )
    return Status(201, selectors.member_or_404(actor, member.pk))


@router.patch("/committee/members/{int:member_id}", response=MemberDetailOut, summary="위원 정보 수정 (Update)")
@api_access(WRITE, write=True)
def member_update(request: HttpRequest, member_id: int, payload: MemberPatch) -> CommitteeMember:
    actor = request_actor(request)
    member = selectors.member_or_404(actor, member_id)
    sent = payload.model_fields_set
    values = payload.patched(member, "name", "organisation", "position", "gender", "email", "phone", "is_audit_head")
    expertise = payload.expertise if "expertise" in sent else [t.name for t in member.expertise.all()]
    user = _user(actor, payload.username or "") if "username" in sent else member.user
    services.member_update(actor=actor, member=member, expertise=expertise or [], user=user, **values)
    return selectors.member_or_404(actor, member.pk)


@router.post("/committee/members/{int:member_id}/renew", response=MemberDetailOut, summary="연임 (Renew)")
@api_access(WRITE, write=True)
def member_renew(request: HttpRequest, member_id: int, payload: RenewIn) -> CommitteeMember:
    """Add a term. Refused for a dismissed member and beyond the policy's renewal limit."""
    actor = request_actor(request)
    member = selectors.member_or_404(actor, member_id)
    services.member_renew(actor=actor, member=member, starts_on=payload.starts_on, ends_on=payload.ends_on)
    return selectors.member_or_404(actor, member.pk)


@router.post("/committee/members/{int:member_id}/dismiss", response=MemberDetailOut, summary="해촉 (Dismiss)")
@api_access(WRITE, write=True)
def member_dismiss(request: HttpRequest, member_id: int, payload: DismissIn) -> CommitteeMember:
    actor = request_actor(request)
    member = selectors.member_or_404(actor, member_id)
    services.member_dismiss(
        actor=actor, member=member, grounds=str(payload.grounds), note=payload.note, dismissed_on=payload.dismissed_on
    )
    return selectors.member_or_404(actor, member.pk)


@router.post("/committee/members/{int:member_id}/chair", response=MemberDetailOut, summary="위원장 지정 (Chair)")
@api_access(WRITE, write=True)
def chair_designate(request: HttpRequest, member_id: int) -> CommitteeMember:
    """Make this member the chair; the previous chair stays a member."""
    actor = request_actor(request)
    member = selectors.member_or_404(actor, member_id)
    services.chair_designate(actor=actor, member=member)
    return selectors.member_or_404(actor, member.pk)
