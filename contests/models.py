"""Best-practice contests (우수사례 경진대회, DOMAIN.md §8 last bullet; ADR 0020).

A contest draws its entries from the best-practice library, has a preliminary round scored
by reviewers, a final scored by a citizen panel (one score the organiser enters), experts,
and a public online vote, mixed with weights set per contest. The public vote keeps only
keyed hashes: never an e-mail address, a client address or an agent.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel

MAX_SCORE = 100
SCORE_VALIDATORS = [MinValueValidator(0), MaxValueValidator(MAX_SCORE)]

STATUS_TONES = {
    "draft": "gray",
    "entries": "information",
    "preliminary": "information",
    "final": "warning",
    "voting": "point",
    "closed": "secondary",
    "published": "success",
}


class Contest(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("status", "준비 중")
        ENTRIES = "entries", pgettext_lazy("status", "출품 접수")
        PRELIMINARY = "preliminary", pgettext_lazy("status", "예선 심사")
        FINAL = "final", pgettext_lazy("status", "본선 심사")
        VOTING = "voting", pgettext_lazy("status", "국민 투표 중")
        CLOSED = "closed", pgettext_lazy("status", "투표 마감")
        PUBLISHED = "published", pgettext_lazy("status", "결과 발표")

    class Scope(models.TextChoices):
        INTERNAL = "internal", _("기관 자체 경진대회")
        EXTERNAL_ENTRY = "external_entry", _("상급·외부 경진대회 출품 선발")

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("연도"))
    number = models.PositiveIntegerField(_("번호"))
    title = models.CharField(_("대회 이름"), max_length=200)
    description = models.TextField(_("소개"), blank=True)
    scope = models.CharField(_("구분"), max_length=20, choices=Scope.choices, default=Scope.INTERNAL)
    entry_opens_on = models.DateField(_("출품 시작일"))
    entry_closes_on = models.DateField(_("출품 마감일"))
    vote_opens_at = models.DateTimeField(_("국민 투표 시작"), null=True, blank=True)
    vote_closes_at = models.DateTimeField(_("국민 투표 마감"), null=True, blank=True)
    weight_panel = models.PositiveSmallIntegerField(_("국민심사단 비중(%)"), default=30, validators=SCORE_VALIDATORS)
    weight_expert = models.PositiveSmallIntegerField(_("전문가 비중(%)"), default=50, validators=SCORE_VALIDATORS)
    weight_public = models.PositiveSmallIntegerField(_("온라인 투표 비중(%)"), default=20, validators=SCORE_VALIDATORS)
    finalists = models.PositiveSmallIntegerField(
        _("본선 진출 수"), default=5, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("담당자"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("결과 발표 시각"), null=True, blank=True)

    class Meta:
        verbose_name = _("우수사례 경진대회")
        verbose_name_plural = _("우수사례 경진대회")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "year", "number"], name="contest_number_unique"),
            models.CheckConstraint(
                condition=Q(weight_panel__lte=MAX_SCORE)
                & Q(weight_expert__lte=MAX_SCORE)
                & Q(weight_public__lte=MAX_SCORE)
                & Q(weight_panel__gte=0)
                & Q(weight_expert__gte=0)
                & Q(weight_public__gte=0),
                name="contest_weights_range",
            ),
            models.CheckConstraint(
                condition=Exact(F("weight_panel") + F("weight_expert") + F("weight_public"), MAX_SCORE),
                name="contest_weights_sum_100",
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "status", "-created_at"], name="contest_inst_status_idx"),
            models.Index(fields=["status", "-vote_opens_at"], name="contest_status_vote_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("contests:detail", kwargs={"pk": self.pk})

    def get_public_url(self) -> str:
        return reverse("portal_contests:detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        return f"{self.year}-{self.number:03d}"

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "gray")

    @property
    def results_open(self) -> bool:
        """Results (vote counts, mixed scores) exist for anyone only once the vote closed."""
        return self.status in {self.Status.CLOSED, self.Status.PUBLISHED}


class ContestJudge(models.Model):
    class Kind(models.TextChoices):
        PRELIMINARY = "preliminary", _("예선 심사위원")
        EXPERT = "expert", _("본선 전문가 심사위원")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("심사위원"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("심사 구분"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("경진대회 심사위원")
        verbose_name_plural = _("경진대회 심사위원")
        constraints = [models.UniqueConstraint(fields=["contest", "user", "kind"], name="contest_judge_unique")]
        indexes = [models.Index(fields=["user", "kind"], name="contest_judge_user_idx")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_kind_display()})"


class Entry(TimeStampedModel):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("status", "출품")
        FINALIST = "finalist", pgettext_lazy("status", "본선 진출")
        ELIMINATED = "eliminated", pgettext_lazy("status", "예선 탈락")

    class Grade(models.TextChoices):
        GRAND = "grand", pgettext_lazy("award grade", "대상")
        GOLD = "gold", pgettext_lazy("award grade", "최우수")
        SILVER = "silver", pgettext_lazy("award grade", "우수")
        MERIT = "merit", pgettext_lazy("award grade", "장려")

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries")
    best_practice = models.ForeignKey(
        "library.BestPractice", verbose_name=_("우수사례"), on_delete=models.PROTECT, related_name="contest_entries"
    )
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    grade = models.CharField(_("수상 등급"), max_length=20, choices=Grade.choices, blank=True)
    #: the citizen panel's one score, entered by the organiser (0-100)
    panel_score = models.PositiveSmallIntegerField(
        _("국민심사단 점수"), null=True, blank=True, validators=SCORE_VALIDATORS
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("출품작")
        verbose_name_plural = _("출품작")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "best_practice"], name="contest_entry_unique"),
        ]
        indexes = [models.Index(fields=["contest", "status"], name="contest_entry_status_idx")]

    def __str__(self) -> str:
        return str(self.best_practice)


class PreliminaryReview(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("점수"), validators=SCORE_VALIDATORS)
    comment = models.TextField(_("의견"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "reviewer"], name="contest_review_unique")]

    def __str__(self) -> str:
        return f"{self.entry} · {self.score}"


class FinalScore(models.Model):
    """One expert's final score of one entry (the citizen panel's is Entry.panel_score)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="expert_scores")
    expert = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("점수"), validators=SCORE_VALIDATORS)
    comment = models.TextField(_("의견"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "expert"], name="contest_final_unique")]

    def __str__(self) -> str:
        return f"{self.entry} · {self.score}"


class VoteCode(models.Model):
    """A one-time code e-mailed to a voter. Only keyed hashes are kept: `email_hash` is an
    HMAC of the contest and the normalised address, `code_hash` an HMAC of the code."""

    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="+")
    email_hash = models.CharField(max_length=64)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["contest", "email_hash"], name="contest_code_email_idx")]

    def __str__(self) -> str:
        return f"{self.contest_id}:{self.pk}"


class Vote(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="votes")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="votes")
    #: the voter's VoteCode.email_hash: one vote per address per contest, without the address
    voter_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["contest", "voter_hash"], name="contest_vote_once")]
        indexes = [models.Index(fields=["entry"], name="contest_vote_entry_idx")]

    def __str__(self) -> str:
        return f"{self.contest_id}:{self.entry_id}"
