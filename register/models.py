"""The work register: every piece of the institution's work (DOMAIN.md §3)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class WorkItem(TimeStampedModel):
    class Category(models.TextChoices):
        REGULATION = "regulation", _("규제")
        PERMIT = "permit", _("인허가")
        CONTRACT = "contract", _("계약")
        CONSTRUCTION = "construction", _("공사·건축")
        DEVELOPMENT = "development", _("개발")
        OTHER = "other", _("기타")

    class Status(models.TextChoices):
        PLANNED = "planned", _("예정")
        IN_PROGRESS = "in_progress", _("진행 중")
        COMPLETED = "completed", _("완료")
        SUSPENDED = "suspended", _("중단")

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="work_items")
    reference = models.CharField(_("관리번호"), max_length=50)
    title = models.CharField(_("업무명"), max_length=300)
    category = models.CharField(_("분류"), max_length=20, choices=Category.choices)
    unit = models.ForeignKey(
        "institutions.Unit", verbose_name=_("담당 부서"), on_delete=models.PROTECT, related_name="work_items"
    )
    responsible = models.ForeignKey(
        "institutions.Person",
        verbose_name=_("담당자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="work_items",
    )
    legal_basis = models.CharField(_("법적 근거"), max_length=500, blank=True)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.IN_PROGRESS)
    year = models.PositiveSmallIntegerField(_("연도"))
    starts_on = models.DateField(_("시작일"), null=True, blank=True)
    ends_on = models.DateField(_("종료일"), null=True, blank=True)
    notes = models.TextField(_("비고"), blank=True)

    class Meta:
        verbose_name = _("업무 등록부 항목")
        verbose_name_plural = _("업무 등록부")
        ordering = ["-year", "reference"]
        constraints = [models.UniqueConstraint(fields=["institution", "reference"], name="workitem_inst_ref_unique")]
        indexes = [
            models.Index(fields=["institution", "-year", "reference"], name="workitem_inst_year_idx"),
            models.Index(fields=["institution", "category", "-year"], name="workitem_inst_cat_idx"),
            models.Index(fields=["institution", "unit", "-year"], name="workitem_inst_unit_idx"),
            models.Index(fields=["institution", "status", "-year"], name="workitem_inst_status_idx"),
        ]

    def __str__(self) -> str:
        return f"[{self.reference}] {self.title}"
