"""Demo cases in 새솔구 (institutions/demo.py step "library"): a few published cases, one
waiting for review and one draft, written by the demo official and reviewed by the demo
active administration officer through the services (so each has its history). A second
run finds them by title and creates nothing."""

from __future__ import annotations

from typing import Any

from accounts.models import User
from core.access import Actor, actor_for
from institutions.models import Institution, Person, Unit
from library import services
from library.models import BestPractice

F = BestPractice.PolicyField

CASES: list[dict[str, Any]] = [
    {
        "title": "주차장 공유로 주택가 주차난 해소",
        "state": "published",
        "policy_field": F.URBAN,
        "year": 2025,
        "problem": (
            "새솔동 주택가는 밤마다 주차할 곳이 없어 주민 민원이 끊이지 않았습니다. 공영주차장을 새로 "
            "짓기에는 부지가 없었습니다."
        ),
        "action": (
            "주변 교회·학교·상가의 부설주차장을 야간과 휴일에 주민에게 개방하도록 협약을 "
            "맺고, 개방 시설에는 시설 개선비를 지원했습니다. 관련 조례의 지원 근거가 "
            "불분명했으나 사전컨설팅을 받아 추진했습니다."
        ),
        "result": "주차면 420면을 새로 확보했고, 불법 주차 민원이 한 해 동안 38% 줄었습니다.",
        "rule_improved": "새솔구 주차장 설치 및 관리 조례 개정(부설주차장 개방 지원 근거 신설)",
        "beneficiaries": "새솔동 주민 약 8,000세대",
    },
    {
        "title": "건축허가 사전 상담으로 처리기간 단축",
        "state": "published",
        "policy_field": F.CIVIL,
        "year": 2025,
        "problem": "소규모 건축허가 신청이 서류 보완으로 여러 번 반려되어 처리에 평균 40일이 걸렸습니다.",
        "action": (
            "신청 전에 설계자와 담당자가 함께 검토하는 사전 상담 창구를 열고, 보완 사항을 한 번에 "
            "안내하는 점검표를 만들었습니다."
        ),
        "result": "처리기간이 평균 40일에서 18일로 줄었고 보완 요구가 절반으로 줄었습니다.",
        "rule_improved": "건축허가 사무처리 지침 개선",
        "beneficiaries": "건축주와 설계사무소",
    },
    {
        "title": "폭염 취약계층 안부 확인 서비스",
        "state": "published",
        "policy_field": F.WELFARE,
        "year": 2024,
        "problem": "홀로 사는 어르신이 폭염에 쓰러져도 늦게 발견되는 일이 있었습니다.",
        "action": (
            "전력 사용량 데이터를 활용해 사용 패턴이 바뀐 가구를 찾아 방문 간호사가 안부를 확인하도록 "
            "했습니다. 개인정보 활용 근거를 위원회 자문으로 정리했습니다."
        ),
        "result": "여름 동안 위험 가구 27곳을 찾아 응급 지원했습니다.",
        "rule_improved": "",
        "beneficiaries": "홀로 사는 어르신 1,300명",
    },
    {
        "title": "하천변 산책로 야간 조명 개선",
        "state": "in_review",
        "policy_field": F.SAFETY,
        "year": 2025,
        "problem": "하천변 산책로가 어두워 밤에 이용하기 불안하다는 민원이 많았습니다.",
        "action": "하천 점용허가 기준을 검토해 태양광 조명을 설치했습니다.",
        "result": "야간 이용객이 두 배로 늘었습니다.",
    },
    {
        "title": "빈 점포 청년 창업 공간 활용",
        "state": "draft",
        "policy_field": F.ECONOMY,
        "year": 2025,
        "problem": "전통시장 빈 점포가 늘어 상권이 침체되었습니다.",
    },
]


def _actor(username: str) -> Actor | None:
    user = User.objects.filter(username=username).select_related("person", "institution").first()
    return actor_for(user) if user is not None else None


def seed() -> int:
    institution = Institution.objects.filter(code="SAESOL").first()
    author = _actor("official")
    reviewer = _actor("aa_officer")
    if institution is None or author is None or reviewer is None or author.unit_id is None:
        return 0
    unit = Unit.objects.get(pk=author.unit_id)
    existing = set(BestPractice.objects.filter(institution=institution).values_list("title", flat=True))
    people = list(Person.objects.filter(pk=author.person_id or 0))
    created = 0
    for spec in CASES:
        if spec["title"] in existing:
            continue
        data = {k: v for k, v in spec.items() if k != "state"}
        case = services.case_create(actor=author, unit=unit, officials=people, **data)
        created += 1
        if spec["state"] in {"in_review", "published"}:
            services.case_submit(actor=author, case=case)
        if spec["state"] == "published":
            services.case_publish(actor=reviewer, case=case)
    return created
