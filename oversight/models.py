"""The periodic check report (issue 7, ADR 0024): the figures of a period written out as
PDF and XLSX by a background task, kept in an archive to download later."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CheckReport(models.Model):
    class Scope(models.TextChoices):
        INSTITUTION = "institution", _("우리 기관")
        SUBORDINATES = "subordinates", _("하위 기관 비교")

    class Status(models.TextChoices):
        QUEUED = "queued", _("대기")
        RUNNING = "running", _("작성 중")
        DONE = "done", _("완료")
        FAILED = "failed", _("실패")

    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("기관")
    )
    scope = models.CharField(_("범위"), max_length=14, choices=Scope.choices, default=Scope.INSTITUTION)
    period = models.CharField(_("점검 기간"), max_length=7)
    status = models.CharField(_("상태"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    percent = models.PositiveSmallIntegerField(_("진행률"), default=0)
    step = models.CharField(_("진행 단계"), max_length=200, blank=True)
    institutions_count = models.PositiveIntegerField(_("대상 기관 수"), default=0)
    pdf = models.FileField(upload_to="check-reports/%Y/", max_length=300, blank=True)
    xlsx = models.FileField(upload_to="check-reports/%Y/", max_length=300, blank=True)
    error = models.TextField(_("오류"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("요청자")
    )
    language = models.CharField(max_length=10, default="ko")
    created_at = models.DateTimeField(_("요청 시각"), auto_now_add=True)
    finished_at = models.DateTimeField(_("완료 시각"), null=True, blank=True)

    class Meta:
        verbose_name = _("정기 점검 보고서")
        verbose_name_plural = _("정기 점검 보고서")
        indexes = [models.Index(fields=["institution", "-created_at"], name="checkreport_inst_created_idx")]

    def __str__(self) -> str:
        return f"{self.period} ({self.get_scope_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
