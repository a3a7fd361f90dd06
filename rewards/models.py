"""Selection of excellent officials and their incentives (적극행정 우수공무원, DOMAIN.md §8;
ADR 0021).

A **round** per period (annual or semiannual, the institution's policy) collects candidates
from department nominations, self-nominations, verified public recommendations and contest
results; the same official proposed twice is ONE candidate with several **nominations**.
Committee members score every candidate on the four criteria (with the round's weights,
copied from the policy when the round is created); a member with a conflict cannot score that
candidate. The committee's resolution (an agenda item of kind "selection", linked through
committee/linking.py) adopts the proposed list. Each selected official gets **incentives**;
the round cannot close while a selected official has no major one planned, and HR records
each one's execution. A national commendation at Prime Minister level or above records an
entitlement to special promotion (an incentive HR must act on).
States and who may move them: rewards/workflow.py.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel

#: The four criteria (DOMAIN.md §8) and the policy field holding each weight.
CRITERIA = (
    ("public_interest", _("공익성"), "weight_public_interest"),
    ("creativity", _("창의성·전문성"), "weight_creativity"),
    ("proactiveness", _("적극성"), "weight_proactiveness"),
    ("act_itself", _("행위 자체(결과보다 과정)"), "weight_act_itself"),
)
SCORE_MIN = 1
SCORE_MAX = 10


class Round(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("round status", "준비 중")
        NOMINATING = "nominating", pgettext_lazy("round status", "후보 접수 중")
        SCORING = "scoring", pgettext_lazy("round status", "심사 중")
        AT_COMMITTEE = "at_committee", pgettext_lazy("round status", "위원회 의결 대기")
        DECIDED = "decided", pgettext_lazy("round status", "선발 확정")
        CLOSED = "closed", pgettext_lazy("round status", "종료")

    class Period(models.TextChoices):
        ANNUAL = "annual", _("연간")
        FIRST_HALF = "first_half", _("상반기")
        SECOND_HALF = "second_half", _("하반기")

    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("기관"), on_delete=models.PROTECT, related_name="reward_rounds"
    )
    number = models.CharField(_("선발 번호"), max_length=40, blank=True)
    title = models.CharField(_("명칭"), max_length=200)
    year = models.PositiveSmallIntegerField(_("연도"))
    period = models.CharField(_("기간"), max_length=12, choices=Period.choices, default=Period.ANNUAL)
    nominations_open = models.DateField(_("후보 접수 시작일"))
    nominations_close = models.DateField(_("후보 접수 마감일"))
    select_count = models.PositiveSmallIntegerField(_("선발 인원"))
    meeting = models.ForeignKey(
        "committee.Meeting",
        verbose_name=_("심의할 위원회 회의"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reward_rounds",
    )
    weight_public_interest = models.PositiveSmallIntegerField(_("가중치: 공익성"), default=25)
    weight_creativity = models.PositiveSmallIntegerField(_("가중치: 창의성·전문성"), default=25)
    weight_proactiveness = models.PositiveSmallIntegerField(_("가중치: 적극성"), default=25)
    weight_act_itself = models.PositiveSmallIntegerField(_("가중치: 행위 자체"), default=25)
    status = models.CharField(_("상태"), max_length=14, choices=Status.choices, default=Status.DRAFT)
    resolution = models.TextField(_("위원회 의결 내용"), blank=True)
    decided_on = models.DateField(_("선발 확정일"), null=True, blank=True)
    closed_at = models.DateTimeField(_("종료 시각"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("우수공무원 선발")
        verbose_name_plural = _("우수공무원 선발")
        ordering = ["-year", "-nominations_open", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year", "period"], name="rewards_round_period_unique"),
            models.CheckConstraint(
                condition=Q(nominations_close__gte=models.F("nominations_open")), name="rewards_round_dates"
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "status", "year"], name="rewards_round_status_idx"),
            # The dashboard's figures (rewards/indicators.py): rounds by their decision date.
            models.Index(fields=["institution", "decided_on"], name="rewards_round_decided_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("rewards:round", args=[self.pk])

    def period_dates(self) -> tuple[datetime.date, datetime.date]:
        """The first and last day of the period the round judges."""
        if self.period == self.Period.FIRST_HALF:
            return datetime.date(self.year, 1, 1), datetime.date(self.year, 6, 30)
        if self.period == self.Period.SECOND_HALF:
            return datetime.date(self.year, 7, 1), datetime.date(self.year, 12, 31)
        return datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)

    @property
    def weights(self) -> dict[str, int]:
        return {key: int(getattr(self, "weight_" + key)) for key, _label, _field in CRITERIA}


class Candidate(TimeStampedModel):
    """One official in one round, whatever the number of nominations (merged)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", pgettext_lazy("candidate status", "후보")
        WITHDRAWN = "withdrawn", pgettext_lazy("candidate status", "철회")
        SELECTED = "selected", pgettext_lazy("candidate status", "선발")
        NOT_SELECTED = "not_selected", pgettext_lazy("candidate status", "미선발")

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="candidates")
    person = models.ForeignKey(
        "institutions.Person", verbose_name=_("공무원"), on_delete=models.PROTECT, related_name="reward_candidacies"
    )
    #: the unit when proposed (people move; the dossier keeps where the act was done)
    unit = models.ForeignKey(
        "institutions.Unit",
        verbose_name=_("부서"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(_("상태"), max_length=14, choices=Status.choices, default=Status.PROPOSED)
    #: on the list the organiser proposes to the committee
    on_list = models.BooleanField(_("선발안 포함"), default=False)
    total = models.DecimalField(_("총점"), max_digits=6, decimal_places=2, null=True, blank=True)
    rank = models.PositiveSmallIntegerField(_("순위"), null=True, blank=True)
    withdrawn_reason = models.TextField(_("철회 사유"), blank=True)

    class Meta:
        verbose_name = _("우수공무원 후보")
        verbose_name_plural = _("우수공무원 후보")
        ordering = ["round", "rank", "person__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "person"], name="rewards_candidate_unique")]
        indexes = [models.Index(fields=["round", "status"], name="rewards_cand_status_idx")]

    def __str__(self) -> str:
        return f"{self.round} · {self.person}"

    def get_absolute_url(self) -> str:
        return reverse("rewards:candidate", args=[self.pk])

    @property
    def institution_id(self) -> int:
        return self.round.institution_id


class Nomination(models.Model):
    """One proposal of a candidate: its source, the act, its effect, the evidence."""

    class Source(models.TextChoices):
        DEPARTMENT = "department", _("부서 추천")
        SELF = "self", _("자기 추천")
        PUBLIC = "public", _("국민추천")
        CONTEST = "contest", _("경진대회 입상")

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="nominations")
    source = models.CharField(_("추천 경로"), max_length=12, choices=Source.choices)
    act = models.TextField(_("적극행정 내용"))
    effect = models.TextField(_("효과"))
    work_item = models.ForeignKey(
        "register.WorkItem",
        verbose_name=_("업무 등록부"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recommendation = models.OneToOneField(
        "recommendations.Recommendation",
        verbose_name=_("국민추천"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nomination",
    )
    contest_entry = models.ForeignKey(
        "contests.Entry",
        verbose_name=_("경진대회 입상작"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("추천 시각"), auto_now_add=True)

    class Meta:
        verbose_name = _("후보 추천")
        verbose_name_plural = _("후보 추천")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.get_source_display()}"

    @property
    def institution_id(self) -> int:
        return self.candidate.round.institution_id


class Conflict(models.Model):
    """A committee member who may not score a candidate (declared or recorded)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey("committee.CommitteeMember", on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("사유"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["candidate", "member"], name="rewards_conflict_unique")]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.member}"


class Score(models.Model):
    """One member's scores of one candidate on the four criteria (SCORE_MIN..SCORE_MAX)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey("committee.CommitteeMember", on_delete=models.PROTECT, related_name="+")
    public_interest = models.PositiveSmallIntegerField(_("공익성"))
    creativity = models.PositiveSmallIntegerField(_("창의성·전문성"))
    proactiveness = models.PositiveSmallIntegerField(_("적극성"))
    act_itself = models.PositiveSmallIntegerField(_("행위 자체"))
    #: the weighted total on a 0-100 scale, computed when saved
    total = models.DecimalField(_("환산 점수"), max_digits=6, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "member"], name="rewards_score_unique"),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{key}__gte": SCORE_MIN, f"{key}__lte": SCORE_MAX}), name=f"rewards_score_{key}"
                )
                for key, _label, _field in CRITERIA
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} · {self.member}"


class Incentive(TimeStampedModel):
    """A promised incentive and its execution. From a selection (candidate) or from a
    national commendation (an entitlement to special promotion)."""

    class Kind(models.TextChoices):
        SPECIAL_PROMOTION = "special_promotion", _("특별승진")
        SPECIAL_STEP = "special_step", _("특별승급")
        TOP_BONUS = "top_bonus", _("성과급 최고등급")
        EXTRA_POINTS = "extra_points", _("근무성적평정 가점")
        SHORTER_PROMOTION = "shorter_promotion", _("승진소요 최저연수 단축")
        REWARD_LEAVE = "reward_leave", _("포상휴가")
        PREFERRED_POSTING = "preferred_posting", _("희망보직·교육훈련 우선 선발")
        COMMENDATION = "commendation", _("표창·포상금")

    #: the major personnel incentives: every selected official must have one (DOMAIN.md §8)
    MAJOR = frozenset(
        {
            Kind.SPECIAL_PROMOTION,
            Kind.SPECIAL_STEP,
            Kind.TOP_BONUS,
            Kind.EXTRA_POINTS,
            Kind.SHORTER_PROMOTION,
        }
    )

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("incentive status", "시행 예정")
        EXECUTED = "executed", pgettext_lazy("incentive status", "시행 완료")
        CANCELLED = "cancelled", pgettext_lazy("incentive status", "취소")

    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("기관"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "institutions.Person", verbose_name=_("공무원"), on_delete=models.PROTECT, related_name="incentives"
    )
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="incentives")
    commendation = models.ForeignKey(
        "rewards.Commendation", null=True, blank=True, on_delete=models.PROTECT, related_name="incentives"
    )
    kind = models.CharField(_("인센티브"), max_length=20, choices=Kind.choices)
    detail = models.CharField(_("내용"), max_length=200, blank=True)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("시행 담당자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("시행 기한"))
    status = models.CharField(_("상태"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    executed_on = models.DateField(_("시행일"), null=True, blank=True)
    reference = models.CharField(_("근거 문서번호"), max_length=100, blank=True)
    note = models.TextField(_("비고"), blank=True)
    executed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("인센티브")
        verbose_name_plural = _("인센티브")
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["institution", "status", "due_on"], name="rewards_inc_due_idx"),
            models.Index(fields=["candidate", "status"], name="rewards_inc_cand_idx"),
            # The dashboard's figures (rewards/indicators.py): incentives by their execution date.
            models.Index(fields=["institution", "executed_on"], name="rewards_inc_executed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("rewards:incentive", args=[self.pk])

    @property
    def is_major(self) -> bool:
        return self.kind in self.MAJOR


class Commendation(TimeStampedModel):
    """A commendation an official received. At Prime Minister level or above it entitles
    the official to special promotion (an incentive HR must act on)."""

    class Level(models.TextChoices):
        PRESIDENT = "president", _("대통령 표창 이상")
        PRIME_MINISTER = "prime_minister", _("국무총리 표창")
        MINISTER = "minister", _("장관 표창")
        HEAD = "head", _("기관장 표창")

    #: levels that entitle special promotion
    ENTITLING = frozenset({Level.PRESIDENT, Level.PRIME_MINISTER})

    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("기관"), on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "institutions.Person", verbose_name=_("공무원"), on_delete=models.PROTECT, related_name="commendations"
    )
    level = models.CharField(_("훈격"), max_length=16, choices=Level.choices)
    title = models.CharField(_("포상 명칭"), max_length=200)
    awarded_on = models.DateField(_("수여일"))
    reference = models.CharField(_("근거 문서번호"), max_length=100, blank=True)
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="commendations"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("포상")
        verbose_name_plural = _("포상")
        ordering = ["-awarded_on", "-pk"]
        indexes = [models.Index(fields=["institution", "awarded_on"], name="rewards_comm_idx")]

    def __str__(self) -> str:
        return f"{self.person} · {self.title}"

    @property
    def entitles_special_promotion(self) -> bool:
        return self.level in self.ENTITLING
