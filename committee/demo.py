"""Demo pool of 새솔구 (institutions.demo step "committee"): twelve members that meet the
district's policy (chair, audit-unit head, more than half external, six women and six men),
one of them an external member whose term ends within the month, so the health panel has
something to say. Appointed through the services by the demo secretary; a second run
creates nothing.

The demo login `member` (강태윤, 도시계획과장) is linked to his internal membership: he is a
staff person of the district, so an external member's row would misname him (ADR 0013)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import User
from committee import services
from committee.models import CommitteeMember
from committee.services._common import add_years
from core.access import actor_for
from institutions.models import Person

INTERNAL, EXTERNAL = CommitteeMember.Kind.INTERNAL, CommitteeMember.Kind.EXTERNAL
F, M = CommitteeMember.Gender.FEMALE, CommitteeMember.Gender.MALE


@dataclass(frozen=True)
class Seat:
    name: str
    kind: str
    gender: str
    organisation: str
    position: str
    expertise: str
    number: str = ""  # employee number of an internal member
    chair: bool = False
    audit_head: bool = False
    username: str = ""
    ends_in_days: int | None = None  # a term ending soon


SEATS = [
    Seat("문채원", EXTERNAL, F, "한빛대학교 법학전문대학원", "교수", "행정법, 규제", chair=True),
    Seat("윤서현", INTERNAL, F, "새솔구 감사담당관", "감사담당관", "감사, 행정법", number="S-0002", audit_head=True),
    Seat("서정훈", INTERNAL, M, "새솔구 행정국", "행정국장", "조직, 인사", number="S-0011"),
    Seat("황보경", INTERNAL, F, "새솔구 도시국", "도시국장", "건축, 도시계획", number="S-0012"),
    Seat("강태윤", INTERNAL, M, "새솔구 도시계획과", "도시계획과장", "도시계획", number="S-0008", username="member"),
    Seat("권민석", EXTERNAL, M, "법무법인 누리", "변호사", "행정소송, 계약"),
    Seat("이수진", EXTERNAL, F, "가온건축사사무소", "건축사", "건축, 안전"),
    Seat("한지훈", EXTERNAL, M, "한빛연구원", "연구위원", "도시계획, 교통"),
    Seat("백나래", EXTERNAL, F, "누리회계법인", "공인회계사", "회계, 계약"),
    Seat("조현우", EXTERNAL, M, "새솔시민연대", "사무국장", "시민참여, 복지"),
    Seat("유하늘", EXTERNAL, F, "한빛대학교 사회복지학과", "교수", "사회복지"),
    Seat("장동민", EXTERNAL, M, "한빛환경기술", "대표", "환경, 안전", ends_in_days=25),
]


def seed() -> int:
    secretary = User.objects.filter(username="secretary", institution__code="SAESOL").first()
    if secretary is None or secretary.institution_id is None:
        return 0
    institution_id = secretary.institution_id
    actor = actor_for(secretary)
    existing = set(CommitteeMember.objects.filter(institution_id=institution_id).values_list("name", flat=True))
    people = {p.employee_number: p for p in Person.objects.filter(institution_id=institution_id)}
    users = User.objects.filter(institution_id=institution_id).in_bulk(field_name="username")
    today = timezone.localdate()
    created = 0
    for index, seat in enumerate(SEATS, start=1):
        if seat.name in existing:
            continue
        person = people.get(seat.number) if seat.number else None
        if seat.number and person is None:
            continue
        if seat.ends_in_days is not None:
            starts_on = add_years(today + datetime.timedelta(days=seat.ends_in_days + 1), -3)
            ends_on: datetime.date | None = today + datetime.timedelta(days=seat.ends_in_days)
        else:
            starts_on = today.replace(day=1) - datetime.timedelta(days=365)
            ends_on = None
        services.member_appoint(
            actor=actor,
            kind=seat.kind,
            name=seat.name,
            person=person,
            organisation=seat.organisation,
            position=seat.position,
            gender=seat.gender,
            expertise=seat.expertise,
            email=f"expert{index:02d}@committee.demo.example" if seat.kind == EXTERNAL else "",
            is_chair=seat.chair,
            is_audit_head=seat.audit_head,
            user=users.get(seat.username) if seat.username else None,
            term_starts_on=starts_on,
            term_ends_on=ends_on,
        )
        created += 1
    return created


DEMO_MEETING = "2026년 제1차 적극행정위원회"


def seed_meeting() -> int:
    """One convened meeting of 새솔구 (institutions.demo step "committee_meeting"): two items,
    the first linked to a waiting case when a registered link offers one, every member in
    the pool named, invitations sent. Made through the services; a second run creates nothing."""
    from committee.linking import case_links
    from committee.models import AgendaItem, Meeting
    from committee.services import meetings as meeting_services
    from committee.services.selection import selection_set, suggest_members
    from core.errors import DomainError

    secretary = User.objects.filter(username="secretary", institution__code="SAESOL").first()
    if secretary is None or secretary.institution_id is None:
        return 0
    if Meeting.objects.filter(institution_id=secretary.institution_id, title=DEMO_MEETING).exists():
        return 0
    actor = actor_for(secretary)
    starts_at = (timezone.localtime() + datetime.timedelta(days=14)).replace(hour=14, minute=0, second=0, microsecond=0)
    try:
        meeting = meeting_services.meeting_create(
            actor=actor, title=DEMO_MEETING, starts_at=starts_at, place="새솔구청 3층 소회의실"
        )
        case = kind = None
        for link in case_links():
            case = link.candidates(secretary.institution_id).order_by("-pk").first()
            if case is not None:
                kind = sorted(link.item_kinds)[0]
                break
        meeting_services.item_add(
            actor=actor,
            meeting=meeting,
            kind=kind or AgendaItem.Kind.ADVICE,
            title=str(case) if case is not None else "보행환경 개선사업 시행 기준에 대한 자문",
            summary="관련 규정의 해석이 분명하지 않아 위원회의 의견을 구합니다.",
            expertise="도시계획, 건축",
            case=case,
        )
        meeting_services.item_add(
            actor=actor,
            meeting=meeting,
            kind=AgendaItem.Kind.ACTION_PLAN,
            title="2026년 적극행정 실행계획 점검",
            expertise="행정법, 조직",
        )
        selection_set(actor=actor, meeting=meeting, member_ids=[s.member.pk for s in suggest_members(meeting)])
        meeting_services.meeting_convene(actor=actor, meeting=meeting)
    except DomainError:
        return 0
    return 1
