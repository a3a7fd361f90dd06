"""Pre-consultation (사전컨설팅, DOMAIN.md §5): a department asks the audit unit, before
acting, how to handle a task; the audit unit screens it, answers with an opinion (its own,
the higher audit body's, or the committee's) and the department records how it acted.
The states and who may move them are in consultations/workflow.py; ADR 0009."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel
from exemptions.models import Presumption

#: The department's self-check list (자체 검토 점검표): key -> question. Each is answered
#: yes or no, with a note; the answers are kept as JSON on the request.
SELF_CHECK: list[tuple[str, Any]] = [
    ("laws_reviewed", _("관련 법령과 판례·선례를 검토하였습니까?")),
    ("interpretation_asked", _("소관 부처의 법령 해석이나 질의회신을 확인하였습니까?")),
    ("not_decided", _("이미 처리(결정)한 사항이 아닙니까?")),
    ("no_proceedings", _("이 사안에 수사·소송·행정심판·감사가 진행 중이거나 끝나지 않았습니까?")),
    ("own_view", _("부서의 자체 의견(검토 결과)을 마련하였습니까?")),
]
SELF_CHECK_KEYS = [key for key, _question in SELF_CHECK]

STATUS_TONES = {
    "draft": "gray",
    "pending_approval": "information",
    "submitted": "information",
    "returned": "warning",
    "under_review": "primary",
    "referred": "primary",
    "at_committee": "primary",
    "opinion_issued": "success",
    "acted": "success",
    "closed": "secondary",
    "withdrawn": "disabled",
}


class Consultation(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("작성 중")
        PENDING_APPROVAL = "pending_approval", _("부서장 결재 대기")
        SUBMITTED = "submitted", _("접수")
        RETURNED = "returned", pgettext_lazy("status", "반려")
        UNDER_REVIEW = "under_review", _("검토 중")
        REFERRED = "referred", _("상급기관 의뢰")
        AT_COMMITTEE = "at_committee", _("위원회 부의")
        OPINION_ISSUED = "opinion_issued", pgettext_lazy("status", "의견 통보")
        ACTED = "acted", pgettext_lazy("status", "처리 결과 등록")
        CLOSED = "closed", pgettext_lazy("status", "종결")
        WITHDRAWN = "withdrawn", pgettext_lazy("status", "철회")

    class ReturnGround(models.TextChoices):
        LAW_CLEAR = "law_clear", _("법령이 명확하여 책임 회피 목적의 요청임")
        NO_OWN_REVIEW = "no_own_review", _("부서의 자체 검토가 없음")
        DECISION_TAKEN = "decision_taken", _("이미 처리한 결정의 적법 여부를 묻는 요청임")
        PROCEEDINGS = "proceedings", _("수사·소송·행정심판·감사가 진행 중이거나 끝난 사안임")

    class OpinionSource(models.TextChoices):
        AUDIT_UNIT = "audit_unit", _("감사부서")
        HIGHER_BODY = "higher_body", _("상급 감사기관")
        COMMITTEE = "committee", _("적극행정위원회")

    #: How the department acted on the opinion: the presumption's own choices (ADR 0012).
    Outcome = Presumption.Followed

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "institutions.Unit", verbose_name=_("요청 부서"), on_delete=models.PROTECT, related_name="consultations"
    )
    work_item = models.ForeignKey(
        "register.WorkItem",
        verbose_name=_("업무"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consultations",
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("작성자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    officials = models.ManyToManyField(
        "institutions.Person", verbose_name=_("담당 공무원"), blank=True, related_name="consultations"
    )
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.DRAFT)

    # The request
    title = models.CharField(_("제목"), max_length=300)
    background = models.TextField(_("추진 배경"), blank=True)
    laws = models.TextField(_("관련 법령"), blank=True)
    issues = models.TextField(_("쟁점 사항"), blank=True)
    own_review = models.TextField(_("부서 자체 검토 의견"), blank=True)
    self_check = models.JSONField(_("자체 점검표"), default=dict, blank=True)

    # Submission (the number is given at the first submission and kept after a return)
    number = models.CharField(_("접수번호"), max_length=60, blank=True)
    submitted_on = models.DateField(_("제출일"), null=True, blank=True)
    submission_count = models.PositiveSmallIntegerField(_("제출 횟수"), default=0)

    # Return (반려)
    return_ground = models.CharField(_("반려 사유 구분"), max_length=20, choices=ReturnGround.choices, blank=True)
    return_reason = models.TextField(_("반려 사유"), blank=True)
    returned_on = models.DateField(_("반려일"), null=True, blank=True)

    # Referral to the higher audit body / the committee
    higher_body = models.CharField(_("의뢰 기관"), max_length=200, blank=True)
    referred_on = models.DateField(_("의뢰일"), null=True, blank=True)
    higher_reference = models.CharField(_("상급기관 문서번호"), max_length=100, blank=True)
    committee_on = models.DateField(_("위원회 부의일"), null=True, blank=True)

    # The opinion, as given to the department
    opinion_source = models.CharField(_("의견 주체"), max_length=20, choices=OpinionSource.choices, blank=True)
    opinion_number = models.CharField(_("의견 문서번호"), max_length=100, blank=True)
    opinion_on = models.DateField(_("의견일"), null=True, blank=True)
    opinion = models.TextField(_("의견(처리 방향)"), blank=True)
    opinion_reasons = models.TextField(_("의견 이유"), blank=True)
    opinion_conditions = models.TextField(_("조건·유의 사항"), blank=True)
    opinion_late = models.BooleanField(_("기한 후 처리"), default=False)

    # What the department did
    outcome = models.CharField(_("이행 여부"), max_length=20, choices=Outcome.choices, blank=True)
    acted_on = models.DateField(_("처리일"), null=True, blank=True)
    outcome_note = models.TextField(_("처리 내용"), blank=True)
    closed_on = models.DateField(_("종결일"), null=True, blank=True)

    class Meta:
        verbose_name = _("사전컨설팅")
        verbose_name_plural = _("사전컨설팅")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["institution", "unit", "status"], name="consult_inst_unit_idx"),
            models.Index(fields=["institution", "status"], name="consult_inst_status_idx"),
            models.Index(fields=["institution", "work_item"], name="consult_inst_work_idx"),
            models.Index(fields=["institution", "-created_at"], name="consult_inst_created_idx"),
            # The dashboard's figures (consultations/indicators.py): one per event date.
            models.Index(fields=["institution", "submitted_on"], name="consult_inst_submitted_idx"),
            models.Index(fields=["institution", "returned_on"], name="consult_inst_returned_idx"),
            models.Index(
                fields=["institution", "opinion_on"], include=["submitted_on"], name="consult_inst_opinion_idx"
            ),
            models.Index(fields=["institution", "acted_on"], include=["outcome"], name="consult_inst_acted_idx"),
            # the dashboard's "overdue": the institution's ids, joined to its missed deadlines
            models.Index(fields=["institution", "id"], name="consult_inst_id_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title

    def get_absolute_url(self) -> str:
        return reverse("consultations:detail", kwargs={"pk": self.pk})

    @property
    def status_tone(self) -> str:
        """The badge colour of the state (components/badge.html `tone`)."""
        return STATUS_TONES.get(self.status, "gray")

    @property
    def has_opinion(self) -> bool:
        return bool(self.opinion_number)

    def self_check_rows(self) -> list[dict[str, Any]]:
        """The checklist with this request's answers, in the fixed order (for pages and PDF)."""
        answers = self.self_check or {}
        rows = []
        for key, question in SELF_CHECK:
            answer = answers.get(key) or {}
            rows.append(
                {
                    "key": key,
                    "question": question,
                    "answer": answer.get("answer", ""),
                    "note": answer.get("note", ""),
                }
            )
        return rows
