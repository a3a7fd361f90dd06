"""Demo exemption cases in 새솔구, made through the services (so they have their history):

- a full exemption, decided, for 최유진 (official), presumed by a followed pre-consultation
  opinion recorded against a register entry;
- a case the audit unit opened on its own initiative, under review (이준호, 최유진);
- a disciplinary-stage case opened for 이준호 and not yet decided, so that a disciplinary
  demand for the same act is refused until it is decided.

Idempotent: each case is found by its act and made only when missing.
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.access import actor_for
from exemptions.models import Criterion, ExemptionCase, Finding, Presumption
from exemptions.presumptions import presumption_record
from exemptions.services.cases import exemption_apply, exemption_open, exemption_review
from exemptions.services.decisions import exemption_decide, exemption_record_findings
from institutions.models import Institution
from register.models import WorkItem

FULL_ACT = "가설건축물 축조 신고 처리 시 임시 안전기준 적용"
REVIEW_ACT = "건축허가 변경 시 주차장 설치기준 완화 적용"
DISCIPLINARY_ACT = "공사 중 도로 점용 허가 기간 연장"

FINDINGS: dict[str, tuple[str, str]] = {
    Criterion.PUBLIC_INTEREST: ("yes", "주민 안전을 위한 긴급 조치였음(현장 사진, 민원 기록)."),
    Criterion.ACTIVE_EFFORT: ("yes", "관계 부서 협의와 현장 확인을 거쳐 통상보다 빠르게 처리함."),
    Criterion.NO_PRIVATE_INTEREST: ("yes", "신고인과 사적 이해관계 없음(이해충돌 신고 내역 없음)."),
    Criterion.NO_PROCEDURAL_DEFECT: ("yes", "내부 결재 절차를 모두 거침."),
    Criterion.EXCL_BRIBERY: ("no", "금품수수 정황 없음."),
    Criterion.EXCL_LEAK: ("no", "비밀 누설 없음."),
    Criterion.EXCL_NEGLECT: ("no", "직무 태만 없음."),
    Criterion.EXCL_ARBITRARY: ("no", "사전컨설팅 의견에 따른 해석임."),
}


def _user(username: str) -> User | None:
    return User.objects.filter(username=username).select_related("person", "institution").first()


def seed() -> int:
    institution = Institution.objects.filter(code="SAESOL").first()
    official, auditor, aa_officer, dept_head = (
        _user("official"),
        _user("auditor"),
        _user("aa_officer"),
        _user("dept_head"),
    )
    if institution is None or official is None or auditor is None or aa_officer is None or dept_head is None:
        return 0
    if official.person is None or dept_head.person is None:
        return 0
    items = list(WorkItem.objects.filter(institution=institution, unit__code="BLD").order_by("-year", "reference")[:3])
    if len(items) < 3:
        return 0
    existing = set(ExemptionCase.objects.filter(institution=institution).values_list("act", flat=True))
    today = timezone.localdate()
    created = 0
    audit_end = today - datetime.timedelta(days=10)

    if FULL_ACT not in existing:
        # The demo's pre-consultation (consultations/demo.py runs first) gave the official a
        # real presumption; the case is about the same work. Without it, record one here.
        followed = (
            Presumption.objects.filter(
                institution=institution,
                person=official.person,
                source=Presumption.Source.CONSULTATION,
                followed=Presumption.Followed.FOLLOWED,
                work_item__isnull=False,
            )
            .select_related("work_item")
            .first()
        )
        item = followed.work_item if followed is not None and followed.work_item is not None else items[0]
        if followed is None:
            presumption_record(
                actor=actor_for(aa_officer),
                source=item,
                kind=Presumption.Source.CONSULTATION,
                person=official.person,
                work_item=item,
                act=FULL_ACT,
                advice_given_on=today - datetime.timedelta(days=120),
                acted_on=today - datetime.timedelta(days=100),
                followed=Presumption.Followed.FOLLOWED,
                reference=f"감사담당관-{today.year}-0901",
                url=reverse("register:detail", kwargs={"pk": item.pk}),
            )
        case = exemption_apply(
            actor=actor_for(official),
            stage=ExemptionCase.Stage.AUDIT,
            act=FULL_ACT,
            act_details="사전컨설팅 의견에 따라 임시 안전기준을 적용해 신고를 수리했습니다.",
            work_item=item,
            matter_title=f"{today.year}년 건축행정 정기감사",
            matter_reference=f"감사-{today.year}-012",
            matter_date=audit_end,
        )
        exemption_review(actor=actor_for(auditor), case=case)
        exemption_record_findings(actor=actor_for(auditor), case=case, answers=FINDINGS)
        exemption_decide(
            actor=actor_for(aa_officer),
            case=case,
            decision=ExemptionCase.Decision.FULL,
            reasons="사전컨설팅 의견을 이행한 것으로 고의·중과실이 없다고 추정되고, 공익성과 적극성이 인정됨.",
        )
        created += 1

    if REVIEW_ACT not in existing:
        case = exemption_open(
            actor=actor_for(auditor),
            stage=ExemptionCase.Stage.AUDIT,
            officials=[dept_head.person, official.person],
            act=REVIEW_ACT,
            work_item=items[1],
            matter_title=f"{today.year}년 건축행정 정기감사",
            matter_reference=f"감사-{today.year}-012",
            matter_date=audit_end,
        )
        exemption_review(actor=actor_for(auditor), case=case)
        exemption_record_findings(
            actor=actor_for(auditor),
            case=case,
            answers={Criterion.PUBLIC_INTEREST: (Finding.Answer.YES, "주차난 해소보다 공공 보행로 확보가 시급했음.")},
        )
        created += 1

    if DISCIPLINARY_ACT not in existing:
        exemption_open(
            actor=actor_for(aa_officer),
            stage=ExemptionCase.Stage.DISCIPLINARY,
            officials=[dept_head.person],
            act=DISCIPLINARY_ACT,
            work_item=items[2],
            matter_title="도로 점용 관련 징계 요구",
            matter_reference=f"감사-{today.year}-019",
            matter_date=today - datetime.timedelta(days=3),
        )
        created += 1
    return created
