"""The head's annual action plan and its periodic checks (적극행정 실행계획, DOMAIN.md §4;
ADR 0022).

One `Plan` per institution and year. Its content lives in `PlanVersion`s: the officer drafts
version 1, the committee reviews it (an agenda item of kind "action_plan"), the head approves
it. An approved version is never edited: a change makes a new version (with its reason) that
goes through review and approval again; every version is kept. Each version holds its
`PlanTask`s under the six areas; a task carried into a new version keeps its `line` (the id of
its first appearance) so progress reports follow it across versions.

Progress is checked per period (the policy's check frequency, quarterly by default): each
task's owner unit files a `ProgressReport` for the period by its due date; the officer
reviews it. At year end the officer evaluates the plan (`Evaluation`, one row per area in
`EvaluationArea`), the head confirms it. States and who may move them: plans/workflow.py.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel


class Area(models.TextChoices):
    """The six areas of an action plan (DOMAIN.md §4)."""

    ACTIVE_TASKS = "active_tasks", _("적극행정 과제 발굴·추진")
    REWARDS = "rewards", _("우수공무원 선발·인센티브")
    CULTURE = "culture", _("교육·문화 확산")
    CONSULTATION = "consultation", _("사전컨설팅·면책 운영")
    PASSIVE = "passive", _("소극행정 예방·점검")
    OTHER = "other", _("그 밖의 적극행정 활성화")


class Plan(TimeStampedModel):
    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("기관"), on_delete=models.PROTECT, related_name="action_plans"
    )
    year = models.PositiveSmallIntegerField(_("연도"))
    title = models.CharField(_("계획 이름"), max_length=200)
    #: the version in force (the latest approved one); None until the first approval
    current = models.ForeignKey(
        "plans.PlanVersion",
        verbose_name=_("시행 중인 판"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_on = models.DateField(_("최초 승인일"), null=True, blank=True)

    class Meta:
        verbose_name = _("적극행정 실행계획")
        verbose_name_plural = _("적극행정 실행계획")
        ordering = ["-year", "institution__name"]
        constraints = [models.UniqueConstraint(fields=["institution", "year"], name="plans_plan_year_unique")]
        indexes = [models.Index(fields=["year", "approved_on"], name="plans_plan_approved_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])


class PlanVersion(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("plan status", "작성 중")
        AT_COMMITTEE = "at_committee", pgettext_lazy("plan status", "위원회 검토 중")
        REVIEWED = "reviewed", pgettext_lazy("plan status", "기관장 승인 대기")
        APPROVED = "approved", pgettext_lazy("plan status", "승인")
        SUPERSEDED = "superseded", pgettext_lazy("plan status", "변경됨(이전 판)")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("판"))
    status = models.CharField(_("상태"), max_length=14, choices=Status.choices, default=Status.DRAFT)
    #: why this version changes the approved one (required from version 2)
    change_reason = models.TextField(_("변경 사유"), blank=True)
    summary = models.TextField(_("추진 방향"), blank=True)
    committee_opinion = models.TextField(_("위원회 검토 의견"), blank=True)
    committee_reviewed_on = models.DateField(_("위원회 검토일"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("승인 시각"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("실행계획 판")
        verbose_name_plural = _("실행계획 판")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_version_number_unique"),
            # at most one version in the making at a time
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status__in=["draft", "at_committee", "reviewed"]),
                name="plans_one_open_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} ({self.number}판)"

    def get_absolute_url(self) -> str:
        return reverse("plans:version", args=[self.pk])

    @property
    def institution_id(self) -> int:
        return self.plan.institution_id


class PlanTask(models.Model):
    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="tasks")
    #: the id of this task's first appearance (itself in the first version it appears in)
    line = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    area = models.CharField(_("분야"), max_length=20, choices=Area.choices)
    title = models.CharField(_("핵심 과제"), max_length=200)
    owner_unit = models.ForeignKey(
        "institutions.Unit", verbose_name=_("담당 부서"), on_delete=models.PROTECT, related_name="plan_tasks"
    )
    indicator = models.CharField(_("성과 지표"), max_length=200)
    target = models.CharField(_("목표"), max_length=200)
    #: the quarters the task runs in, as digits: "1234", "34"...
    quarters = models.CharField(_("추진 시기(분기)"), max_length=4)
    budget = models.PositiveBigIntegerField(_("예산(원)"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("실행계획 과제")
        verbose_name_plural = _("실행계획 과제")
        ordering = ["version", "area", "order", "pk"]
        indexes = [models.Index(fields=["owner_unit", "version"], name="plans_task_unit_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def line_id_or_own(self) -> int:
        return self.line_id or self.pk


class ProgressReport(TimeStampedModel):
    """A task owner's report of progress for one check period."""

    class Status(models.TextChoices):
        DUE = "due", pgettext_lazy("progress status", "제출 대기")
        SUBMITTED = "submitted", pgettext_lazy("progress status", "제출")
        REVIEWED = "reviewed", pgettext_lazy("progress status", "검토 완료")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="progress_reports")
    #: the task line (PlanTask.line_id_or_own): reports follow a task across versions
    line = models.ForeignKey(PlanTask, on_delete=models.PROTECT, related_name="progress_reports")
    #: 1-4 for quarters; for half-year checks 2 and 4; for a yearly check 4
    period = models.PositiveSmallIntegerField(_("점검 분기"))
    owner_unit = models.ForeignKey(
        "institutions.Unit", verbose_name=_("담당 부서"), on_delete=models.PROTECT, related_name="+"
    )
    due_on = models.DateField(_("제출 기한"))
    status = models.CharField(_("상태"), max_length=12, choices=Status.choices, default=Status.DUE)
    percent = models.PositiveSmallIntegerField(_("추진율(%)"), null=True, blank=True)
    narrative = models.TextField(_("추진 실적"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("제출 시각"), null=True, blank=True)
    late = models.BooleanField(_("기한 후 제출"), default=False)
    review_comment = models.TextField(_("검토 의견"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("추진 실적 보고")
        verbose_name_plural = _("추진 실적 보고")
        ordering = ["plan", "period", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["line", "period"], name="plans_report_line_period_unique"),
            models.CheckConstraint(condition=Q(percent__isnull=True) | Q(percent__lte=100), name="plans_percent"),
        ]
        indexes = [
            models.Index(fields=["owner_unit", "status", "due_on"], name="plans_report_unit_idx"),
            models.Index(fields=["plan", "period", "status"], name="plans_report_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.line} · {self.period}"

    def get_absolute_url(self) -> str:
        return reverse("plans:report", args=[self.pk])

    @property
    def institution_id(self) -> int:
        return self.plan.institution_id


# --- The year-end evaluation (ADR 0022, "Evaluation") ----------------------------------------


class Evaluation(TimeStampedModel):
    """The officer's year-end evaluation of a plan: an effort and a results score per area,
    weighted with the weights copied from the policy when the evaluation was created, and a
    three-level grade from the total with the thresholds stored here too. A confirmed
    evaluation is never edited; a correction is a new version (number N+1) with a reason."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("evaluation status", "작성 중")
        SUBMITTED = "submitted", pgettext_lazy("evaluation status", "기관장 확정 대기")
        CONFIRMED = "confirmed", pgettext_lazy("evaluation status", "확정")
        SUPERSEDED = "superseded", pgettext_lazy("evaluation status", "정정됨(이전 판)")

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", pgettext_lazy("evaluation grade", "우수")
        FAIR = "fair", pgettext_lazy("evaluation grade", "보통")
        POOR = "poor", pgettext_lazy("evaluation grade", "미흡")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="evaluations")
    number = models.PositiveSmallIntegerField(_("판"))
    status = models.CharField(_("상태"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    #: the version of the plan evaluated (the version in force; fixed when submitted)
    version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+")
    #: why this version corrects the confirmed one (from version 2)
    correction_reason = models.TextField(_("정정 사유"), blank=True)
    #: copied from the policy when the evaluation was created; results = 100 - effort
    effort_weight = models.PositiveSmallIntegerField(_("노력 가중치(%)"))
    results_weight = models.PositiveSmallIntegerField(_("성과 가중치(%)"))
    #: the grade thresholds used (total >= excellent_from: 우수; >= fair_from: 보통; else 미흡)
    excellent_from = models.PositiveSmallIntegerField(_("우수 기준(점 이상)"))
    fair_from = models.PositiveSmallIntegerField(_("보통 기준(점 이상)"))
    overall = models.TextField(_("종합 의견"), blank=True)
    #: the weighted average over the scored areas (0-100), None while no area is scored
    total = models.DecimalField(_("종합 점수"), max_digits=4, decimal_places=1, null=True, blank=True)
    grade = models.CharField(_("등급"), max_length=10, choices=Grade.choices, blank=True)
    #: the system's figures and the plan's progress as the evaluator saw them at submission
    snapshot = models.JSONField(_("제출 당시 지표"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("제출 시각"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("확정 시각"), null=True, blank=True)

    class Meta:
        verbose_name = _("실행계획 연말 평가")
        verbose_name_plural = _("실행계획 연말 평가")
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plans_evaluation_number_unique"),
            # at most one evaluation in the making, and one confirmed, per plan
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status__in=["draft", "submitted"]),
                name="plans_one_open_evaluation",
            ),
            models.UniqueConstraint(
                fields=["plan"], condition=Q(status="confirmed"), name="plans_one_confirmed_evaluation"
            ),
            models.CheckConstraint(condition=Q(effort_weight__lte=100), name="plans_evaluation_weight"),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | (Q(total__gte=0) & Q(total__lte=100)), name="plans_evaluation_total"
            ),
        ]
        indexes = [models.Index(fields=["status", "plan"], name="plans_evaluation_status_idx")]

    def __str__(self) -> str:
        return f"{self.plan} 연말 평가 ({self.number}판)"

    def get_absolute_url(self) -> str:
        return reverse("plans:evaluation_version", args=[self.pk])

    @property
    def institution_id(self) -> int:
        return self.plan.institution_id


class EvaluationArea(models.Model):
    """One area's scores in an evaluation (all six areas have a row)."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="areas")
    area = models.CharField(_("분야"), max_length=20, choices=Area.choices)
    #: False: "not applicable" (only an area without tasks in the plan), left out of the total
    applicable = models.BooleanField(_("평가 대상"), default=True)
    effort = models.PositiveSmallIntegerField(_("노력 점수"), null=True, blank=True)
    results = models.PositiveSmallIntegerField(_("성과 점수"), null=True, blank=True)
    narrative = models.TextField(_("분야 의견"), blank=True)

    class Meta:
        verbose_name = _("연말 평가 분야")
        verbose_name_plural = _("연말 평가 분야")
        ordering = ["evaluation", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "area"], name="plans_evaluation_area_unique"),
            models.CheckConstraint(
                condition=(Q(effort__isnull=True) | Q(effort__lte=100))
                & (Q(results__isnull=True) | Q(results__lte=100)),
                name="plans_evaluation_area_scores",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation} · {self.get_area_display()}"

    @property
    def scored(self) -> bool:
        return self.applicable and self.effort is not None and self.results is not None
