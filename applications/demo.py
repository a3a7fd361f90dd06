"""Demo applications in 새솔구 (institutions/demo.py step "applications"): one just
received, one under review and one answered, made through the services (so each has its
history and deadline). A second run finds them by their text and creates nothing."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from applications import services
from applications.models import Application
from core.access import Actor, actor_for
from institutions.models import Institution

CASES: list[dict[str, Any]] = [
    {
        "state": "received",
        "unit_name": "건축과",
        "refused_request": "단독주택 옥상에 태양광 패널과 함께 작은 온실을 설치하겠다고 신고했습니다.",
        "refused_on": "2026년 4월",
        "refusal_reason": "옥상 온실을 건축물 증축으로 볼지 기준이 없어 처리할 수 없다고 했습니다.",
        "law": "건축법 시행령 제119조",
        "request": "증축이 아닌 설비로 보아 신고를 받아 주시기 바랍니다.",
        "applicant_name": "김하늘",
        "applicant_email": "sky.kim@example.com",
    },
    {
        "state": "reviewing",
        "unit_name": "도로관리과",
        "refused_request": "상가 앞 보도에 휠체어용 접이식 경사로를 두겠다고 신청했습니다.",
        "refused_on": "2026년 3월 12일",
        "refusal_reason": "접이식 경사로를 도로 점용으로 볼지 규정이 불명확하다며 반려했습니다.",
        "law": "도로법 제61조",
        "request": "영업 시간에만 펼치는 경사로는 점용허가 없이 둘 수 있게 해 주십시오.",
        "applicant_name": "이도윤",
        "applicant_phone": "010-0000-1234",
    },
    {
        "state": "answered",
        "unit_name": "",
        "refused_request": "마을 공동체가 빈 공원 관리동을 주말 작은 도서관으로 쓰겠다고 제안했습니다.",
        "refused_on": "2026년 2월",
        "refusal_reason": "공원 시설을 도서관으로 쓰는 근거가 조례에 없다고 했습니다.",
        "law": "",
        "request": "공원 관리에 지장이 없는 범위에서 주말 사용을 허가해 주십시오.",
        "applicant_name": "박서연",
        "applicant_email": "seoyeon.park@example.com",
        "decision": Application.Decision.PARTLY,
        "answer": "주말 낮 시간 사용을 시범적으로 허가하고, 조례에 근거를 두는 개정을 추진하겠습니다.",
    },
]


def _actor(username: str) -> Actor | None:
    user = User.objects.filter(username=username).select_related("person", "institution").first()
    return actor_for(user) if user is not None else None


def seed() -> int:
    institution = Institution.objects.filter(code="SAESOL").first()
    handler = _actor("aa_officer")
    if institution is None or handler is None or handler.institution_id != institution.pk:
        return 0
    existing = set(Application.objects.filter(institution=institution).values_list("refused_request", flat=True))
    created = 0
    for spec in CASES:
        if spec["refused_request"] in existing:
            continue
        values = {k: v for k, v in spec.items() if k not in {"state", "decision", "answer"}}
        token = services.new_form_token()
        application, _code = services.submit_application(form_token=token, institution=institution, **values)
        services.forget_receipt(token)
        created += 1
        if spec["state"] in {"reviewing", "answered"}:
            application = services.start(actor=handler, application=application)
        if spec["state"] == "answered":
            services.answer(actor=handler, application=application, decision=spec["decision"], answer=spec["answer"])
    return created
