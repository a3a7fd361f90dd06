"""Exemption (DOMAIN.md §7). This module holds the presumption records that other modules
create: pre-consultation (consultations) and committee advice (committee) both give each
acting official a `Presumption` through `exemptions.presumptions`."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel


class Presumption(TimeStampedModel):
    """An official followed (or partly followed, or did not follow) an opinion or advice
    given before acting. It presumes the exemption conditions for that official and act when
    it was followed in full, the advice came before the act, and the audit unit recorded
    neither a private interest nor insufficient information for that official."""

    class Source(models.TextChoices):
        CONSULTATION = "consultation", _("사전컨설팅 의견")
        COMMITTEE_ADVICE = "committee_advice", _("적극행정위원회 자문")

    class Followed(models.TextChoices):
        FOLLOWED = "followed", _("이행")
        PARTLY = "partly", _("일부 이행")
        NOT_FOLLOWED = "not_followed", _("미이행")

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "institutions.Person", verbose_name=_("공무원"), on_delete=models.PROTECT, related_name="presumptions"
    )
    work_item = models.ForeignKey(
        "register.WorkItem",
        verbose_name=_("업무"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="presumptions",
    )
    act = models.CharField(_("업무·행위"), max_length=300)
    source = models.CharField(_("근거"), max_length=20, choices=Source.choices)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    source_reference = models.CharField(_("문서번호"), max_length=100, blank=True)
    source_url = models.CharField(max_length=300, blank=True)
    advice_given_on = models.DateField(_("의견·자문일"))
    acted_on = models.DateField(_("처리일"), null=True, blank=True)
    followed = models.CharField(_("이행 여부"), max_length=20, choices=Followed.choices)
    private_interest = models.BooleanField(_("사적 이해관계"), default=False)
    insufficient_information = models.BooleanField(_("정보 제공 불충분"), default=False)
    exception_reason = models.TextField(_("예외 사유"), blank=True)

    class Meta:
        verbose_name = _("면책 추정")
        verbose_name_plural = _("면책 추정")
        ordering = ["-advice_given_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["source_type", "source_id", "person"], name="presumption_source_person")
        ]
        indexes = [
            models.Index(fields=["institution", "person", "work_item"], name="presumption_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_source_display()} {self.source_reference} - {self.person}"

    @property
    def advice_after_act(self) -> bool:
        return self.acted_on is not None and self.advice_given_on > self.acted_on

    def why_not(self) -> list[str]:
        """Why the presumption does not hold (empty when it holds)."""
        reasons: list[str] = []
        if self.followed == self.Followed.PARTLY:
            reasons.append(str(_("의견을 일부만 이행함")))
        elif self.followed == self.Followed.NOT_FOLLOWED:
            reasons.append(str(_("의견을 이행하지 않음")))
        if self.advice_after_act:
            reasons.append(str(_("처리 후에 받은 의견·자문임")))
        if self.private_interest:
            reasons.append(str(_("사적 이해관계가 있었음")))
        if self.insufficient_information:
            reasons.append(str(_("충분한 정보를 제공하지 않았음")))
        return reasons

    @property
    def holds(self) -> bool:
        return not self.why_not()


# --- Exemption cases (ADR 0010) ---------------------------------------------------------------


class Criterion(models.TextChoices):
    """The checklist of DOMAIN.md §7: three conditions, two facts that presume the third,
    four exclusions. For a condition or a fact "yes" means it holds; for an exclusion "yes"
    means the act falls under it (and cannot be exempted)."""

    PUBLIC_INTEREST = "public_interest", _("공익성: 공공의 이익을 위한 업무였는가")
    ACTIVE_EFFORT = "active_effort", _("적극성: 통상 요구되는 정도를 넘는 노력을 기울였는가")
    NO_INTENT = "no_intent", _("고의 또는 중대한 과실이 없었는가")
    NO_PRIVATE_INTEREST = "no_private_interest", _("(추정 사실) 대상 업무와 사적 이해관계가 없었는가")
    NO_PROCEDURAL_DEFECT = "no_procedural_defect", _("(추정 사실) 중대한 절차상 하자가 없었는가")
    EXCL_BRIBERY = "excl_bribery", _("(제외) 금품수수·사적 이익 추구에 해당하는가")
    EXCL_LEAK = "excl_leak", _("(제외) 비밀 누설에 해당하는가")
    EXCL_NEGLECT = "excl_neglect", _("(제외) 직무 태만에 해당하는가")
    EXCL_ARBITRARY = "excl_arbitrary", _("(제외) 자의적인 법령 해석에 해당하는가")


CONDITIONS = (Criterion.PUBLIC_INTEREST, Criterion.ACTIVE_EFFORT, Criterion.NO_INTENT)
PRESUMPTION_FACTS = (Criterion.NO_PRIVATE_INTEREST, Criterion.NO_PROCEDURAL_DEFECT)
EXCLUSIONS = (Criterion.EXCL_BRIBERY, Criterion.EXCL_LEAK, Criterion.EXCL_NEGLECT, Criterion.EXCL_ARBITRARY)


class ExemptionCase(TimeStampedModel):
    """One exemption question about an act of one or more officials (DOMAIN.md §7)."""

    class Status(models.TextChoices):
        FILED = "filed", pgettext_lazy("status", "신청")
        OPENED = "opened", _("직권 개시")
        UNDER_REVIEW = "under_review", _("검토 중")
        DECIDED = "decided", pgettext_lazy("status", "결정")
        WITHDRAWN = "withdrawn", pgettext_lazy("status", "취하")

    class Stage(models.TextChoices):
        AUDIT = "audit", _("감사 단계")
        DISCIPLINARY = "disciplinary", _("징계 단계")

    class Origin(models.TextChoices):
        APPLICATION = "application", _("당사자 신청")
        OWN_INITIATIVE = "own_initiative", _("감사부서 직권")

    class Decision(models.TextChoices):
        FULL = "full", _("전부 면책")
        MITIGATION = "mitigation", _("감경")
        REJECTION = "rejection", _("불인정")

    OPEN_STATES = (Status.FILED, Status.OPENED, Status.UNDER_REVIEW)

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("연도"))
    number = models.PositiveIntegerField(_("번호"))
    reference = models.CharField(_("접수번호"), max_length=40)
    stage = models.CharField(_("단계"), max_length=20, choices=Stage.choices)
    origin = models.CharField(_("개시 방식"), max_length=20, choices=Origin.choices)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices)
    act = models.CharField(_("대상 행위"), max_length=300)
    act_details = models.TextField(_("행위 내용·신청 이유"), blank=True)
    work_item = models.ForeignKey(
        "register.WorkItem",
        verbose_name=_("업무"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="exemption_cases",
    )
    matter_title = models.CharField(_("감사·징계 사건명"), max_length=300)
    matter_reference = models.CharField(_("감사·징계 사건 번호"), max_length=100, blank=True)
    matter_date = models.DateField(_("감사 종료일·징계 요구일"))
    filed_on = models.DateField(_("신청·개시일"))
    applicant = models.ForeignKey(
        "institutions.Person",
        verbose_name=_("신청인"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    officials = models.ManyToManyField(
        "institutions.Person",
        through="ExemptionOfficial",
        related_name="exemption_cases",
        verbose_name=_("대상 공무원"),
    )
    decision = models.CharField(_("결정"), max_length=20, choices=Decision.choices, blank=True)
    reasons = models.TextField(_("결정 이유"), blank=True)
    decided_on = models.DateField(_("결정일"), null=True, blank=True)
    decision_number = models.PositiveIntegerField(_("결정 번호"), null=True, blank=True)
    decision_reference = models.CharField(_("결정 문서번호"), max_length=40, blank=True)
    #: The committee's recommendation to the higher audit body (committee agenda item of
    #: kind "exemption"), written back by the committee when its meeting adopts it.
    committee_recommendation = models.TextField(_("위원회 면책 건의 내용"), blank=True)
    committee_recommended_on = models.DateField(_("위원회 면책 건의일"), null=True, blank=True)

    class Meta:
        verbose_name = _("면책 건")
        verbose_name_plural = _("면책 건")
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year", "number"], name="exemption_case_number_unique")
        ]
        indexes = [
            models.Index(
                fields=["institution", "-filed_on", "-id"], include=["origin"], name="exemption_inst_filed_idx"
            ),
            models.Index(fields=["institution", "status", "-filed_on"], name="exemption_inst_status_idx"),
            models.Index(fields=["institution", "stage", "-filed_on"], name="exemption_inst_stage_idx"),
            models.Index(fields=["institution", "decision", "-filed_on"], name="exemption_inst_decision_idx"),
            models.Index(
                fields=["institution", "decided_on"],
                include=["status", "decision", "filed_on"],
                name="exemption_inst_decided_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.act}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("exemptions:detail", kwargs={"pk": self.pk})

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATES


class ExemptionOfficial(models.Model):
    """An official named by a case (a case may name several who acted together)."""

    case = models.ForeignKey(ExemptionCase, on_delete=models.CASCADE, related_name="official_rows")
    person = models.ForeignKey(
        "institutions.Person", verbose_name=_("공무원"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("면책 대상 공무원")
        verbose_name_plural = _("면책 대상 공무원")
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="exemption_official_unique")]
        indexes = [models.Index(fields=["person", "case"], name="exemption_official_person_idx")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.person_id}"


class Finding(models.Model):
    """The decider's finding on one criterion of the checklist, with its evidence."""

    class Answer(models.TextChoices):
        YES = "yes", _("예")
        NO = "no", _("아니오")
        UNKNOWN = "unknown", _("미확인")

    case = models.ForeignKey(ExemptionCase, on_delete=models.CASCADE, related_name="findings")
    criterion = models.CharField(_("기준"), max_length=30, choices=Criterion.choices)
    answer = models.CharField(_("판단"), max_length=10, choices=Answer.choices, default=Answer.UNKNOWN)
    evidence = models.TextField(_("근거"), blank=True)

    class Meta:
        verbose_name = _("면책 요건 판단")
        verbose_name_plural = _("면책 요건 판단")
        constraints = [models.UniqueConstraint(fields=["case", "criterion"], name="exemption_finding_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.criterion}={self.answer}"


class Rebuttal(TimeStampedModel):
    """The decider's reasons why a presumption that holds does not count in this case."""

    case = models.ForeignKey(ExemptionCase, on_delete=models.CASCADE, related_name="rebuttals")
    presumption = models.ForeignKey(Presumption, on_delete=models.PROTECT, related_name="rebuttals")
    reason = models.TextField(_("번복 사유"))
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("추정 번복")
        verbose_name_plural = _("추정 번복")
        constraints = [models.UniqueConstraint(fields=["case", "presumption"], name="exemption_rebuttal_unique")]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.presumption_id}"


class DisciplinaryDemand(TimeStampedModel):
    """A disciplinary demand recorded for an official's act, after the exemption grounds
    were checked (a decided exemption case, or a note that there are none)."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "institutions.Person", verbose_name=_("공무원"), on_delete=models.PROTECT, related_name="+"
    )
    work_item = models.ForeignKey(
        "register.WorkItem", verbose_name=_("업무"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    act = models.CharField(_("대상 행위"), max_length=300)
    matter_title = models.CharField(_("감사·징계 사건명"), max_length=300)
    matter_reference = models.CharField(_("감사·징계 사건 번호"), max_length=100, blank=True)
    demanded_on = models.DateField(_("징계 요구일"))
    exemption_case = models.ForeignKey(
        ExemptionCase,
        verbose_name=_("확인한 면책 결정"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="demands",
    )
    exemption_check_note = models.TextField(_("면책 사유 확인 내용"), blank=True)
    recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("징계 요구")
        verbose_name_plural = _("징계 요구")
        ordering = ["-demanded_on", "-pk"]
        indexes = [models.Index(fields=["institution", "-demanded_on", "-id"], name="demand_inst_date_idx")]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.act}"


class QuarterlyReport(TimeStampedModel):
    """The quarter's exemptions reported to the higher audit body (the deadline's target)."""

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("연도"))
    quarter = models.PositiveSmallIntegerField(_("분기"))
    submitted_at = models.DateTimeField(_("제출 시각"), null=True, blank=True)
    submitted_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(_("제출 문서번호"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("면책 분기 보고")
        verbose_name_plural = _("면책 분기 보고")
        ordering = ["-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year", "quarter"], name="exemption_report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.year} Q{self.quarter}"
