"""Shared lessons from passive administration (소극행정 징계 사례 공유, DOMAIN.md §9; ADR 0019).

From a closed passive-administration report with a disciplinary outcome, the audit unit
prepares an anonymised case; an active administration officer who did not write it
confirms the anonymisation and publishes it to the staff-only casebook of the institution
(and, when chosen, of the institutions under the same supervising body).
States and who may move them: lessons/workflow.py.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel
from reports.models import Report

STATUS_TONES = {
    "draft": "gray",
    "in_review": "information",
    "returned": "warning",
    "published": "success",
    "withdrawn": "secondary",
}
MIN_YEAR = 2000
MAX_YEAR = 2100
#: the texts the anonymisation check reads (and the casebook searches)
TEXT_FIELDS = ("title", "what_happened", "what_went_wrong", "measures", "lessons_learned")


class Lesson(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("status", "작성 중")
        IN_REVIEW = "in_review", pgettext_lazy("status", "검토 중")
        RETURNED = "returned", pgettext_lazy("status", "보완 요청")
        PUBLISHED = "published", pgettext_lazy("status", "공유 중")
        WITHDRAWN = "withdrawn", pgettext_lazy("status", "공유 중단")

    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("기관"), on_delete=models.PROTECT, related_name="+"
    )
    report = models.OneToOneField(
        Report, verbose_name=_("원 신고"), on_delete=models.PROTECT, related_name="lesson", editable=False
    )
    number = models.CharField(_("사례번호"), max_length=40, blank=True)
    title = models.CharField(_("제목"), max_length=200)
    kind = models.CharField(_("소극행정 유형"), max_length=20, choices=Report.Kind.choices)
    what_happened = models.TextField(_("무슨 일이 있었나"), blank=True)
    what_went_wrong = models.TextField(_("무엇이 잘못되었나"), blank=True)
    measures = models.TextField(_("조치 결과(징계 등)"), blank=True)
    lessons_learned = models.TextField(_("교훈과 예방"), blank=True)
    year = models.PositiveSmallIntegerField(
        _("연도"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    share_with_group = models.BooleanField(_("같은 상급기관 소속 기관과 공유"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("작성자"), on_delete=models.PROTECT, related_name="+"
    )
    #: every user who wrote or changed the text: none of them may review it (four eyes)
    writer_ids = models.JSONField(default=list, editable=False)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("검토자"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    anonymisation_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("비식별 처리 확인자"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    anonymisation_confirmed_at = models.DateTimeField(_("비식별 처리 확인 시각"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("검토 요청 시각"), null=True, blank=True)
    published_at = models.DateTimeField(_("공유 시각"), null=True, blank=True)
    return_reason = models.TextField(_("보완 요청 사유"), blank=True)
    withdrawn_at = models.DateTimeField(_("공유 중단 시각"), null=True, blank=True)
    withdraw_reason = models.TextField(_("공유 중단 사유"), blank=True)

    class Meta:
        verbose_name = _("소극행정 징계 사례")
        verbose_name_plural = _("소극행정 징계 사례")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["institution", "status"], name="lesson_inst_status_idx"),
            models.Index(fields=["status", "-published_at"], name="lesson_status_pub_idx"),
            models.Index(fields=["status", "share_with_group", "institution"], name="lesson_status_share_idx"),
            models.Index(fields=["status", "year"], name="lesson_status_year_idx"),
            models.Index(fields=["status", "kind"], name="lesson_status_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.number or self.title

    def get_absolute_url(self) -> str:
        return reverse("lessons:detail", kwargs={"pk": self.pk})

    def get_casebook_url(self) -> str:
        return reverse("lessons:read", kwargs={"pk": self.pk})

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "gray")

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


def field_label(name: str) -> str:
    """The verbose name of one of the lesson's fields (a refusal names the field)."""
    field = Lesson._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))
