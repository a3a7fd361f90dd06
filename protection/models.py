"""Protection of officials (DOMAIN.md §7, ADR 0011): support requests (legal advice, a lawyer,
litigation costs, an opinion to investigators) with their payments, and the liability
insurance the institution takes out for its officials (policies, enrolments, claims).

Amounts are whole won (KRW). Every change goes through protection.services."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel

#: The largest amount anyone may type (10 billion won): beyond it an amount is a typing error.
MAX_AMOUNT = 10_000_000_000


class SupportRequest(TimeStampedModel):
    """One request for legal support by (or on behalf of) an official, current or retired."""

    class Kind(models.TextChoices):
        LEGAL_ADVICE = "legal_advice", _("법률 자문")
        LAWYER_DISCIPLINARY = "lawyer_disciplinary", _("변호인 선임 지원(징계)")
        LAWYER_INVESTIGATION = "lawyer_investigation", _("변호인 선임 지원(수사)")
        CIVIL_COSTS = "civil_costs", _("민사소송 비용 지원")
        CRIMINAL_COSTS = "criminal_costs", _("형사소송 비용 지원(무죄 확정)")
        INVESTIGATOR_OPINION = "investigator_opinion", _("수사기관 의견 제출")

    class Status(models.TextChoices):
        FILED = "filed", pgettext_lazy("status", "신청")
        UNDER_REVIEW = "under_review", _("검토 중")
        APPROVED = "approved", pgettext_lazy("status", "지원 결정")
        PARTLY_PAID = "partly_paid", _("일부 지급")
        PAID = "paid", _("지급 완료")
        REJECTED = "rejected", _("지원하지 않음")
        CLOSED = "closed", pgettext_lazy("status", "종결")
        WITHDRAWN = "withdrawn", pgettext_lazy("status", "취하")

    class Outcome(models.TextChoices):
        WON = "won", _("승소")
        LOST = "lost", _("패소")
        SETTLED = "settled", _("화해·조정")
        ACQUITTED = "acquitted", _("무죄")
        NOT_INDICTED = "not_indicted", _("불기소")
        NO_DISCIPLINE = "no_discipline", _("징계 없음(불문)")
        DISCIPLINED = "disciplined", _("징계")
        ADVICE_GIVEN = "advice_given", _("자문 완료")
        OPINION_SUBMITTED = "opinion_submitted", _("의견 제출 완료")
        OTHER = "other", _("기타")

    #: Kinds that carry no money: no amounts, no payments.
    MONEYLESS = frozenset({Kind.LEGAL_ADVICE, Kind.INVESTIGATOR_OPINION})

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("접수 연도"))
    number = models.PositiveIntegerField(_("접수 번호"))
    reference = models.CharField(_("접수번호"), max_length=50)
    person = models.ForeignKey(
        "institutions.Person", verbose_name=_("신청인"), on_delete=models.PROTECT, related_name="support_requests"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("접수자"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("지원 종류"), max_length=30, choices=Kind.choices)
    # The act in office that the proceedings concern
    act_description = models.TextField(_("대상 행위"))
    act_date = models.DateField(_("행위일"))
    work_item = models.ForeignKey(
        "register.WorkItem",
        verbose_name=_("관련 업무"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="support_requests",
    )
    proceedings_body = models.CharField(_("법원·수사기관·징계기관"), max_length=200, blank=True)
    proceedings_case_number = models.CharField(_("사건번호"), max_length=100, blank=True)
    # Money (none for advice and opinions)
    amount_requested = models.PositiveBigIntegerField(_("신청 금액(원)"), null=True, blank=True)
    amount_approved = models.PositiveBigIntegerField(_("결정 금액(원)"), null=True, blank=True)
    amount_paid = models.PositiveBigIntegerField(_("지급 누계(원)"), default=0)
    # Criminal costs: only after a final acquittal
    acquittal_final_on = models.DateField(_("무죄 확정일"), null=True, blank=True)
    acquittal_court = models.CharField(_("무죄 판결 법원"), max_length=200, blank=True)
    acquittal_case_number = models.CharField(_("무죄 판결 사건번호"), max_length=100, blank=True)
    # Decision and outcome
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.FILED)
    decided_on = models.DateField(_("결정일"), null=True, blank=True)
    decision_note = models.TextField(_("결정 내용"), blank=True)
    outcome = models.CharField(_("결과"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_text = models.TextField(_("결과 내용"), blank=True)
    closed_on = models.DateField(_("종결일"), null=True, blank=True)

    class Meta:
        verbose_name = _("보호 지원 신청")
        verbose_name_plural = _("보호 지원 신청")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year", "number"], name="support_inst_year_number"),
        ]
        indexes = [
            models.Index(fields=["institution", "-year", "-number"], name="support_inst_year_idx"),
            models.Index(fields=["institution", "status", "-year"], name="support_inst_status_idx"),
            models.Index(fields=["institution", "kind", "-year"], name="support_inst_kind_idx"),
            models.Index(fields=["institution", "person"], name="support_inst_person_idx"),
            # The dashboard's figures (protection/indicators.py): filed and decided in a period
            models.Index(fields=["institution", "created_at"], name="support_inst_created_idx"),
            models.Index(fields=["institution", "decided_on"], name="support_inst_decided_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.get_kind_display()} - {self.person.name}"

    @property
    def has_money(self) -> bool:
        return self.kind not in self.MONEYLESS


class SupportPayment(models.Model):
    """One payment on an approved request. Its person and institution are copied from the
    request so that the yearly limit (per official, per calendar year of payment) is one
    indexed sum."""

    request = models.ForeignKey(SupportRequest, on_delete=models.PROTECT, related_name="payments")
    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("institutions.Person", on_delete=models.PROTECT, related_name="+")
    paid_on = models.DateField(_("지급일"))
    amount = models.PositiveBigIntegerField(_("지급액(원)"))
    payee = models.CharField(_("받는 이"), max_length=200)
    reference = models.CharField(_("지급 근거(지출결의 번호 등)"), max_length=100, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("등록 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("지원금 지급")
        verbose_name_plural = _("지원금 지급")
        ordering = ["paid_on", "pk"]
        indexes = [
            models.Index(fields=["person", "paid_on"], name="support_payment_person_idx"),
            models.Index(fields=["institution", "paid_on"], name="support_payment_inst_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.paid_on} {self.amount:,}"


class InsurancePolicy(TimeStampedModel):
    """The institution's liability insurance for its officials for one year."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("보험 연도"))
    insurer = models.CharField(_("보험사"), max_length=200)
    policy_number = models.CharField(_("증권번호"), max_length=100)
    per_claim_limit = models.PositiveBigIntegerField(_("사고당 보상한도(원)"))
    aggregate_limit = models.PositiveBigIntegerField(_("총 보상한도(원)"))
    premium = models.PositiveBigIntegerField(_("보험료(원)"), null=True, blank=True)
    amount_paid = models.PositiveBigIntegerField(_("보상 지급 누계(원)"), default=0)
    notes = models.TextField(_("비고"), blank=True)

    class Meta:
        verbose_name = _("배상책임보험")
        verbose_name_plural = _("배상책임보험")
        ordering = ["-year", "insurer", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "insurer", "policy_number"], name="insurance_policy_unique"),
        ]
        indexes = [models.Index(fields=["institution", "-year"], name="insurance_inst_year_idx")]

    def __str__(self) -> str:
        return f"{self.year} {self.insurer} {self.policy_number}"

    @property
    def aggregate_remaining(self) -> int:
        return max(self.aggregate_limit - self.amount_paid, 0)


class Enrolment(models.Model):
    """An official covered by a policy."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    policy = models.ForeignKey(InsurancePolicy, on_delete=models.PROTECT, related_name="enrolments")
    person = models.ForeignKey(
        "institutions.Person", verbose_name=_("피보험자"), on_delete=models.PROTECT, related_name="insurance_enrolments"
    )
    enrolled_on = models.DateField(_("가입일"))
    created_at = models.DateTimeField(_("등록 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("보험 가입")
        verbose_name_plural = _("보험 가입")
        ordering = ["policy", "person__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["policy", "person"], name="enrolment_policy_person")]
        indexes = [models.Index(fields=["institution", "person"], name="enrolment_inst_person_idx")]

    def __str__(self) -> str:
        return f"{self.policy} - {self.person}"


class Claim(TimeStampedModel):
    """A claim under an enrolment, and what the insurer paid."""

    class Status(models.TextChoices):
        FILED = "filed", pgettext_lazy("status", "청구")
        ACCEPTED = "accepted", _("보상 승인")
        REJECTED = "rejected", _("보상 거절")
        PAID = "paid", _("보상 지급")

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey(
        Enrolment, verbose_name=_("보험 가입"), on_delete=models.PROTECT, related_name="claims"
    )
    incident_date = models.DateField(_("사고일"))
    description = models.TextField(_("사고 내용"))
    amount_claimed = models.PositiveBigIntegerField(_("청구 금액(원)"))
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.FILED)
    amount_paid = models.PositiveBigIntegerField(_("보상 금액(원)"), null=True, blank=True)
    paid_on = models.DateField(_("보상 지급일"), null=True, blank=True)
    outcome = models.TextField(_("처리 결과"), blank=True)

    class Meta:
        verbose_name = _("보험금 청구")
        verbose_name_plural = _("보험금 청구")
        ordering = ["-incident_date", "-pk"]
        indexes = [
            models.Index(fields=["institution", "status"], name="claim_inst_status_idx"),
            models.Index(fields=["enrolment", "-incident_date"], name="claim_enrolment_idx"),
            models.Index(fields=["institution", "created_at"], name="claim_inst_created_idx"),
            models.Index(fields=["institution", "paid_on"], name="claim_inst_paid_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment.person.name} {self.incident_date}"
