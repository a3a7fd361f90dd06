"""Demo requests in 새솔구 (institutions/demo.py step "consultations"): a draft, a returned
request, one under review near its due date, one with an opinion, and one followed with the
officials' presumptions. Created through the services (so each has its history); a second
run finds them by title and creates nothing."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import User
from consultations import services
from consultations.models import SELF_CHECK_KEYS, Consultation
from consultations.selectors import DEADLINE_KIND
from core.access import Actor, actor_for
from core.deadlines import add_working_days
from core.models import Deadline
from institutions.models import Institution, Person
from register.models import WorkItem

CHECKS = {key: {"answer": "yes", "note": ""} for key in SELF_CHECK_KEYS}

CASES = [
    {
        "title": "공동주택 건축심의 조건 완화 가능 여부",
        "state": "draft",
        "background": "새솔동 공동주택 신축 사업자가 건축심의 조건 중 공개공지 위치 변경을 요청했습니다.",
    },
    {
        "title": "가설울타리 도로점용 허가기간 연장 가능 여부",
        "state": "returned",
        "background": "공사 지연으로 가설울타리 도로점용 허가기간을 연장해 달라는 민원이 있습니다.",
    },
    {
        "title": "노후 건축물 긴급 안전점검 비용의 예비비 집행",
        "state": "under_review",
        "background": "집중호우 뒤 균열이 발견된 노후 건축물의 긴급 안전점검 비용을 예비비로 집행하려 합니다.",
    },
    {
        "title": "건축허가 시 기부채납 조건 부과 범위",
        "state": "opinion_issued",
        "background": "건축허가 신청 건에 진입도로 기부채납 조건을 붙일 수 있는지 판단이 필요합니다.",
    },
    {
        "title": "빈집 정비사업 철거 보상 기준 적용",
        "state": "acted",
        "background": "소유자 확인이 어려운 빈집의 철거 보상 기준을 어떤 규정에 따라 정할지 불분명합니다.",
    },
]


def _actor(username: str) -> Actor | None:
    user = User.objects.filter(username=username).select_related("person", "institution").first()
    return actor_for(user) if user is not None else None


def seed() -> int:
    institution = Institution.objects.filter(code="SAESOL").first()
    official, head, auditor = _actor("official"), _actor("dept_head"), _actor("aa_officer")
    if institution is None or official is None or head is None or auditor is None or official.unit_id is None:
        return 0
    existing = set(Consultation.objects.filter(institution=institution).values_list("title", flat=True))
    me = official.user.person if official.user is not None else None
    unit = me.unit if me is not None else None
    if me is None or unit is None:
        return 0
    items = list(WorkItem.objects.filter(institution=institution, unit=unit).order_by("reference")[: len(CASES)])
    colleagues = list(
        Person.objects.filter(institution=institution, unit=unit, status=Person.Status.ACTIVE)
        .exclude(pk=me.pk)
        .order_by("employee_number")[:1]
    )
    created = 0
    for index, case in enumerate(CASES):
        if case["title"] in existing:
            continue
        officials = [me, *colleagues] if case["state"] == "acted" else [me]
        consultation = services.consultation_create(
            actor=official,
            unit=unit,
            title=case["title"],
            work_item=items[index] if index < len(items) else None,
            background=case["background"],
            laws="건축법, 같은 법 시행령 및 새솔구 건축 조례",
            issues="관련 규정의 해석이 분명하지 않고 비슷한 선례가 없습니다.",
            own_review="부서는 요청을 받아들일 수 있다고 보나, 감사부서의 의견을 들어 처리하려 합니다.",
            self_check=CHECKS,
            officials=officials,
        )
        created += 1
        _advance(consultation, case["state"], official=official, head=head, auditor=auditor)
    return created


def _advance(consultation: Consultation, state: str, *, official: Actor, head: Actor, auditor: Actor) -> None:
    if state == "draft":
        return
    services.consultation_request_approval(actor=official, consultation=consultation)
    services.consultation_submit(actor=head, consultation=consultation)
    if state == "returned":
        services.consultation_return(
            actor=auditor,
            consultation=consultation,
            ground=Consultation.ReturnGround.NO_OWN_REVIEW,
            reason="부서 자체 검토 의견에 검토한 법령과 판단 근거를 구체적으로 적어 다시 제출해 주십시오.",
        )
        return
    services.consultation_accept(actor=auditor, consultation=consultation)
    if state == "under_review":
        _near_due(consultation)
        return
    services.consultation_issue_opinion(
        actor=auditor,
        consultation=consultation,
        opinion="관련 규정의 취지에 비추어 요청대로 처리할 수 있습니다.",
        reasons="규정이 이를 금지하지 않고, 공익 목적과 필요성이 인정됩니다.",
        conditions="처리 과정과 판단 근거를 문서로 남겨 주십시오.",
    )
    if state == "opinion_issued":
        return
    services.consultation_record_outcome(
        actor=official,
        consultation=consultation,
        outcome=Consultation.Outcome.FOLLOWED,
        acted_on=timezone.localdate(),
        note="의견과 조건에 따라 처리하고 근거를 결재 문서에 남겼습니다.",
    )


def _near_due(consultation: Consultation) -> None:
    """Demo only: move the running deadline back as if the request had come in nine working
    days ago, so that the queue shows one due tomorrow."""
    today = timezone.localdate()
    starts_on = today
    for _ in range(9):
        starts_on -= datetime.timedelta(days=1)
        while starts_on.weekday() >= 5:
            starts_on -= datetime.timedelta(days=1)
    content_type = ContentType.objects.get_for_model(Consultation)
    Deadline.objects.filter(content_type=content_type, object_id=consultation.pk, kind=DEADLINE_KIND).update(
        starts_on=starts_on, due_on=add_working_days(today, 1)
    )
    Consultation.objects.filter(pk=consultation.pk).update(submitted_on=starts_on)
