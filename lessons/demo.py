"""The demo's shared lesson in 새솔구 (institutions/demo.py step "lessons"): a passive
administration report closed with a disciplinary demand (made through reports.services
when the demo has none), and from it one anonymised lesson written by the audit staff and
published by the AA officer, shared with the districts under 한빛광역시. A second run finds
the lesson and creates nothing."""

from __future__ import annotations

from accounts.models import User
from core.access import Actor, actor_for
from institutions.models import Institution, Person
from lessons import services
from lessons.models import Lesson
from reports import services as report_services
from reports.models import Report

REPORT_WHAT = (
    "영업신고를 하러 세 번 찾아갔는데 담당자가 매번 서류를 받지 않고 다음에 오라고만 했습니다. "
    "처리기한이 지나도록 접수조차 되지 않아 개업을 두 달 미뤘습니다."
)
LESSON = {
    "title": "민원 서류를 접수하지 않고 돌려보낸 업무해태 사례",
    "what_happened": (
        "한 민원인이 영업신고 서류를 내려고 세 차례 방문했으나, 담당 공무원이 바쁘다는 이유로 서류를 받지 "
        "않고 돌려보냈습니다. 법정 처리기한이 지나도록 접수 기록이 없었고, 민원인은 개업을 두 달 미뤘습니다."
    ),
    "what_went_wrong": (
        "민원서류는 받는 즉시 접수해야 하며, 보완이 필요하면 그 내용을 문서로 알려야 합니다. 접수 자체를 "
        "미룬 것은 정당한 이유 없이 업무를 하지 않은 업무해태에 해당합니다."
    ),
    "measures": "관련 공무원 경징계 요구, 해당 부서 민원 접수 절차 점검",
    "lessons_learned": (
        "바쁜 시기에도 접수는 미루지 않습니다. 접수 후 처리기한 안에 끝낼 수 없으면 연장 사유를 민원인에게 "
        "알리고, 부서장은 접수 대장과 처리기한을 주마다 확인합니다."
    ),
}


def _actor(username: str) -> Actor | None:
    user = User.objects.filter(username=username).select_related("person", "institution").first()
    return actor_for(user) if user is not None else None


def _disciplinary_report(institution: Institution, auditor: Actor) -> Report | None:
    found = (
        Report.objects.filter(
            institution=institution,
            status=Report.Status.CLOSED,
            outcome=Report.Outcome.DISCIPLINARY,
            lesson__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if found is not None:
        return found
    culprit = (
        Person.objects.filter(institution=institution, status=Person.Status.ACTIVE, user__isnull=True)
        .order_by("pk")
        .first()
    )
    if culprit is None:
        return None
    token = report_services.new_form_token()
    report, _code = report_services.submit_report(
        form_token=token,
        institution=institution,
        unit=culprit.unit,
        kind=Report.Kind.NEGLECT,
        what=REPORT_WHAT,
        occurred="2026년 3월",
        place="새솔구청 민원실",
        harm="개업이 두 달 늦어졌습니다.",
    )
    report_services.forget_receipt(token)
    report = report_services.investigate(actor=auditor, report=report)
    return report_services.close(
        actor=auditor,
        report=report,
        outcome=Report.Outcome.DISCIPLINARY,
        result_text="조사 결과 정당한 이유 없이 서류 접수를 미룬 사실이 확인되어 관련 공무원의 징계를 요구했습니다.",
        disciplinary_demand="경징계 요구",
        officials=[culprit],
    )


def seed() -> int:
    institution = Institution.objects.filter(code="SAESOL").first()
    auditor = _actor("auditor")
    officer = _actor("aa_officer")
    if institution is None or auditor is None or officer is None:
        return 0
    if Lesson.objects.filter(institution=institution, title=LESSON["title"]).exists():
        return 0
    report = _disciplinary_report(institution, auditor)
    if report is None:
        return 0
    lesson = services.lesson_start(actor=auditor, report=report)
    services.lesson_update(
        actor=auditor,
        lesson=lesson,
        kind=report.kind,
        year=lesson.year,
        share_with_group=True,
        **LESSON,
    )
    services.lesson_submit(actor=auditor, lesson=lesson)
    services.lesson_publish(actor=officer, lesson=lesson, confirmed=True)
    return 1
