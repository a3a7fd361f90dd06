"""Demo recommendations in 새솔구 (institutions/demo.py step "recommendations"): one just
received, one waiting for the recommender's answer, and one verified (on the verified list).
Created through the services (so each has its history); a second run finds them by their
text and creates nothing. The recommenders leave phone numbers only: seeding sends no mail."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from core.access import actor_for
from institutions.models import Institution, Person, Unit
from recommendations import services
from recommendations.models import Recommendation

CASES: list[dict[str, Any]] = [
    {
        "state": "received",
        "nominee_kind": Recommendation.NomineeKind.PERSON,
        "nominee_name": "강태윤",
        "unit_name": "도시계획과",
        "what": "30년 된 골목길 주차 규제를 주민 설명회를 세 번 열어 주민 의견대로 바꾸었습니다.",
        "effect": "불법 주차 민원이 절반으로 줄고 소방차 진입로가 확보되었습니다.",
        "recommender_name": "오가람",
        "recommender_phone": "010-0000-1234",
    },
    {
        "state": "awaiting_reply",
        "nominee_kind": Recommendation.NomineeKind.TEAM,
        "nominee_name": "건축과 인허가팀",
        "unit_name": "건축과",
        "what": "세 번 방문해야 하던 소규모 건축 신고를 온라인 한 번으로 처리하도록 절차를 바꾸었습니다.",
        "effect": "신고 처리 기간이 평균 10일에서 3일로 줄었습니다.",
        "recommender_name": "한누리",
        "recommender_phone": "010-0000-5678",
        "question": "절차가 바뀐 시기를 알려 주실 수 있습니까?",
    },
    {
        "state": "verified",
        "nominee_kind": Recommendation.NomineeKind.PERSON,
        "nominee_name": "최유진",
        "unit_name": "건축과",
        "what": "집중호우 뒤 균열이 생긴 노후 주택을 주말에 직접 점검하고 긴급 보수를 연결해 주었습니다.",
        "effect": "주민 12가구가 장마 전에 안전하게 보수를 마쳤습니다.",
        "recommender_name": "서다온",
        "recommender_phone": "010-0000-9012",
        "employee_number": "S-0007",
        "reason": "현장 점검 기록과 보수 연결 내역으로 사실을 확인했습니다. 우수공무원 선발 후보로 올립니다.",
    },
]


def seed() -> int:
    institution = Institution.objects.filter(code="SAESOL").first()
    user = User.objects.filter(username="aa_officer").select_related("person", "institution").first()
    if institution is None or user is None:
        return 0
    verifier = actor_for(user)
    existing = set(Recommendation.objects.filter(institution=institution).values_list("what", flat=True))
    created = 0
    for case in CASES:
        if case["what"] in existing:
            continue
        rec, _code = services.submit_recommendation(
            form_token=services.new_form_token(),
            institution=institution,
            nominee_kind=case["nominee_kind"],
            nominee_name=case["nominee_name"],
            unit_name=case["unit_name"],
            what=case["what"],
            effect=case["effect"],
            recommender_name=case["recommender_name"],
            recommender_email=case.get("recommender_email", ""),
            recommender_phone=case.get("recommender_phone", ""),
        )
        created += 1
        if case["state"] == "received":
            continue
        rec = services.start(actor=verifier, rec=rec)
        if case["state"] == "awaiting_reply":
            services.ask(actor=verifier, rec=rec, question=case["question"])
        elif case["state"] == "verified":
            person = Person.objects.filter(institution=institution, employee_number=case["employee_number"]).first()
            unit = Unit.objects.filter(institution=institution, name=case["unit_name"]).first()
            services.verify(actor=verifier, rec=rec, reason=case["reason"], person=person, unit=unit)
    return created
