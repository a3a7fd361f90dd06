"""Demo of the annual action plan of 새솔구 (institutions/demo.py step "plans"): this year's
plan with eight tasks over the six areas, reviewed by the committee and approved by the head,
all through the services (the committee's review through the same service its write-back in
plans/links.py calls, with the committee role). A second run finds the plan of the year and
creates nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from core.access import Actor, actor_for
from institutions.models import Institution, Unit
from plans import services_plan as services
from plans.links import COMMITTEE_ROLES
from plans.models import Area, Plan

TITLE = "%d년 새솔구 적극행정 실행계획"
SUMMARY = "현장의 불편을 먼저 찾아 고치는 적극행정을 생활화하고, 적극적으로 일한 공무원을 우대합니다."
TASKS = [
    # (area, unit code, title, indicator, target, quarters, budget)
    (Area.ACTIVE_TASKS, "BLD", "건축 인허가 사전상담 창구 운영", "사전상담 건수", "연 150건", "1234", 3_000_000),
    (Area.ACTIVE_TASKS, "CIV", "민원서류 간소화 과제 발굴", "감축 서류 수", "20종", "23", 1_000_000),
    (Area.REWARDS, "GEN", "적극행정 우수공무원 선발(상·하반기)", "선발 인원", "6명", "24", 12_000_000),
    (Area.CULTURE, "GEN", "전 직원 적극행정 교육", "교육 이수율", "95%", "12", 5_000_000),
    (Area.CULTURE, "AUD", "적극행정 우수사례 경진대회", "발굴 사례 수", "30건", "3", 4_000_000),
    (Area.CONSULTATION, "AUD", "사전컨설팅 감사 활성화", "컨설팅 처리 기간", "평균 15일 이내", "1234", None),
    (Area.PASSIVE, "AUD", "소극행정 신고센터 운영 점검", "신고 처리율", "100%", "1234", None),
    (Area.OTHER, "BUD", "적극행정 성과 홍보", "홍보 건수", "12건", "34", 2_000_000),
]


def _actor(username: str, institution: Institution) -> Actor | None:
    user = User.objects.filter(username=username, institution=institution).select_related("person").first()
    return actor_for(user) if user is not None else None


def seed() -> int:
    institution = Institution.objects.filter(code="SAESOL").first()
    if institution is None:
        return 0
    year = timezone.localdate().year
    if Plan.objects.filter(institution=institution, year=year).exists():
        return 0
    officer = _actor("aa_officer", institution)
    head = _actor("head", institution)
    secretary = _actor("secretary", institution)
    if officer is None or head is None or secretary is None:
        return 0
    units = {u.code: u for u in Unit.objects.filter(institution=institution)}
    if any(code not in units for _a, code, *_rest in TASKS):
        return 0
    with transaction.atomic():
        return _build(institution, year, officer=officer, head=head, secretary=secretary, units=units)


def _build(
    institution: Institution, year: int, *, officer: Actor, head: Actor, secretary: Actor, units: dict[str, Unit]
) -> int:
    plan = services.plan_create(actor=officer, year=year, title=TITLE % year)
    version = plan.versions.get(number=1)
    services.version_update(actor=officer, version=version, summary=SUMMARY)
    for area, code, title, indicator, target, quarters, budget in TASKS:
        services.task_add(
            actor=officer,
            version=version,
            area=area,
            title=title,
            owner_unit=units[code],
            indicator=indicator,
            target=target,
            quarters=quarters,
            budget=budget,
        )
    version = services.submit(actor=officer, version=version)
    version = services.committee_reviewed(
        actor=secretary,
        version=version,
        opinion="원안 가결(시연)",
        reviewed_on=timezone.localdate(),
        roles=COMMITTEE_ROLES,
    )
    services.approve(actor=head, version=version)
    return 1 + len(TASKS)
