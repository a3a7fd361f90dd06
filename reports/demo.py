"""Demo reports in 새솔구 (institutions/demo.py step "reports"): a few passive administration
reports from the public in different states, made through the services so each has its
history - one just received, one under investigation with a message to the reporter, one
closed with an outcome and one closed as not passive administration. A second run finds
them by their text and creates nothing.

The receipts of demo reports are not kept anywhere (only their hash is stored), so they
cannot be followed from the portal; a new report made in the demo can.
"""

from __future__ import annotations

from typing import Any

from accounts.models import User
from core.access import Actor, actor_for
from institutions.models import Institution, Person, Unit
from reports import services
from reports.models import Report

K = Report.Kind

REPORTS: list[dict[str, Any]] = [
    {
        "state": "received",
        "kind": K.NEGLECT,
        "unit": "BLD",
        "what": (
            "집 앞 도로의 빗물받이가 막혀 비가 올 때마다 물이 넘칩니다. 두 달 전부터 세 번 민원을 "
            "넣었지만 담당자가 바뀌었다는 말만 듣고 아무 조치가 없습니다."
        ),
        "occurred": "2026년 3월부터",
        "place": "새솔동 새솔로 12길 앞",
        "harm": "비가 오면 보행로가 잠겨 아이들이 차도로 다닙니다.",
    },
    {
        "state": "investigating",
        "kind": K.DESK_BOUND,
        "unit": "UPL",
        "what": (
            "가게 앞 간판 교체 허가를 신청했더니, 10년 전 지침에 있는 서식이 아니라며 세 번이나 "
            "서류를 다시 내라고 했습니다. 지금은 쓰지 않는 서식이라 구할 수도 없습니다."
        ),
        "occurred": "2026년 4월",
        "place": "새솔구청 도시계획과",
        "harm": "허가가 늦어져 개업을 한 달 미뤘습니다.",
        "message": (
            "신고해 주셔서 감사합니다. 해당 부서의 서식 요구가 현행 지침에 맞는지 확인하고 있습니다. "
            "신청하신 날짜와 안내받은 내용을 조금 더 알려 주시면 조사에 도움이 됩니다."
        ),
    },
    {
        "state": "closed",
        "kind": K.PERFUNCTORY,
        "unit": "BLD",
        "what": (
            "건축물 사용승인 신청 후 법정 처리기간이 지났는데도 아무 연락이 없어 문의했더니, "
            "서류가 책상에 그대로 있었습니다."
        ),
        "occurred": "2026년 2월",
        "place": "새솔구청 건축과",
        "harm": "입주가 늦어져 임시 거처 비용이 들었습니다.",
        "outcome": Report.Outcome.CORRECTED,
        "result_text": (
            "조사 결과 처리기간을 넘긴 사실이 확인되어 즉시 사용승인을 처리했고, 건축과에 민원 "
            "처리기간 관리 방법을 개선하도록 시정을 요구했습니다."
        ),
    },
    {
        "state": "not_passive",
        "kind": K.AUTHORITY,
        "unit": "",
        "what": "주민센터 직원이 서류 발급을 거부했습니다. 대리인 위임장이 없다는 이유였습니다.",
        "occurred": "2026년 5월",
        "place": "새솔1동 주민센터",
        "harm": "",
        "reason": (
            "본인이 아닌 사람에게 주민등록 서류를 발급하려면 법령에 따라 위임장이 필요합니다. "
            "직원의 안내는 정당한 업무 처리로 소극행정에 해당하지 않습니다."
        ),
    },
]


def _actor(username: str) -> Actor | None:
    user = User.objects.filter(username=username).select_related("person", "institution").first()
    return actor_for(user) if user is not None else None


def _culprit(institution: Institution, unit: Unit | None) -> Person | None:
    """An official of the unit concerned who has no demo login (named in the outcome)."""
    people = Person.objects.filter(institution=institution, status=Person.Status.ACTIVE, user__isnull=True)
    return people.filter(unit=unit).order_by("pk").first() or people.order_by("pk").first()


def _make(spec: dict[str, Any], institution: Institution, auditor: Actor) -> None:
    unit = Unit.objects.filter(institution=institution, code=spec["unit"]).first() if spec["unit"] else None
    token = services.new_form_token()
    report, _code = services.submit_report(
        form_token=token,
        institution=institution,
        unit=unit,
        kind=spec["kind"],
        what=spec["what"],
        occurred=spec["occurred"],
        place=spec["place"],
        harm=spec["harm"],
    )
    services.forget_receipt(token)
    state = spec["state"]
    if state == "not_passive":
        services.not_passive(actor=auditor, report=report, reason=spec["reason"])
        return
    if state == "received":
        return
    report = services.investigate(actor=auditor, report=report)
    if state == "investigating":
        services.send_message(actor=auditor, report=report, body=spec["message"])
        return
    culprit = _culprit(institution, unit)
    services.close(
        actor=auditor,
        report=report,
        outcome=spec["outcome"],
        result_text=spec["result_text"],
        officials=[culprit] if culprit is not None else [],
    )


def seed() -> int:
    institution = Institution.objects.filter(code="SAESOL").first()
    auditor = _actor("auditor")
    if institution is None or auditor is None:
        return 0
    existing = set(Report.objects.filter(institution=institution).values_list("what", flat=True))
    created = 0
    for spec in REPORTS:
        if spec["what"] in existing:
            continue
        _make(spec, institution, auditor)
        created += 1
    return created
