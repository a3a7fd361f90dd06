"""Passive administration reports (소극행정 신고, DOMAIN.md §10; ADR 0015).

Anyone reports, with or without a name; the report goes to the audit unit of the chosen
institution, which triages, investigates and closes it with an outcome. The reporter
follows it with a receipt (only its HMAC is stored, reports/receipts.py) and exchanges
messages. Nothing identifying the reporter is stored beyond what they typed, and an
identified reporter's name and contact only until `retain_until` (ADR 0026).
States and who may move them: reports/workflow.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel

STATUS_TONES = {
    "received": "information",
    "investigating": "primary",
    "not_passive": "secondary",
    "closed": "success",
    "review_requested": "warning",
}


class Report(TimeStampedModel):
    class Kind(models.TextChoices):
        PERFUNCTORY = "perfunctory", _("적당편의")
        NEGLECT = "neglect", _("업무해태")
        DESK_BOUND = "desk_bound", _("탁상행정")
        AUTHORITY = "authority", _("관 중심 행정")

    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("status", "접수")
        INVESTIGATING = "investigating", pgettext_lazy("status", "조사 중")
        NOT_PASSIVE = "not_passive", pgettext_lazy("status", "소극행정 아님(종결)")
        CLOSED = "closed", pgettext_lazy("status", "처리 완료")
        REVIEW_REQUESTED = "review_requested", pgettext_lazy("status", "재검토 요청")

    class Outcome(models.TextChoices):
        NOT_SUBSTANTIATED = "not_substantiated", _("사실 아님(불문)")
        CORRECTED = "corrected", _("시정")
        DISCIPLINARY = "disciplinary", pgettext_lazy("report outcome", "징계 요구")
        WARNING = "warning", _("경고·주의")
        TRAINING = "training", _("교육")

    institution = models.ForeignKey(
        "institutions.Institution", verbose_name=_("기관"), on_delete=models.PROTECT, related_name="reports"
    )
    unit = models.ForeignKey(
        "institutions.Unit",
        verbose_name=_("부서"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    number = models.CharField(_("신고번호"), max_length=40, blank=True)
    kind = models.CharField(_("유형"), max_length=20, choices=Kind.choices)
    what = models.TextField(pgettext_lazy("report", "신고 내용"))
    occurred = models.CharField(pgettext_lazy("report", "일시"), max_length=100, blank=True)
    place = models.CharField(pgettext_lazy("report", "장소"), max_length=200, blank=True)
    harm = models.TextField(_("피해 내용"), blank=True)
    anonymous = models.BooleanField(_("익명 신고"), default=True)
    reporter_name = models.CharField(_("신고인 성명"), max_length=100, blank=True)
    reporter_email = models.EmailField(_("신고인 전자우편"), blank=True)
    reporter_phone = models.CharField(_("신고인 전화번호"), max_length=30, blank=True)
    #: an identified reporter's name and contact are erased after this day (reports.services
    #: erase_expired_contacts): the closing day + `policy.reporter_retention_days`
    retain_until = models.DateField(_("신고인 정보 보관 기한"), null=True, blank=True)
    #: when the reporter's name and contact were erased (retention period over)
    reporter_erased_at = models.DateTimeField(_("신고인 정보 파기 시각"), null=True, blank=True)
    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)
    #: HMAC of the one-time form token: the same form posted twice makes one report
    submission_key = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.CharField(_("처리 결과"), max_length=20, choices=Outcome.choices, blank=True)
    result_text = models.TextField(_("신고인에게 알리는 결과"), blank=True)
    disciplinary_demand = models.TextField(_("징계 요구 내용"), blank=True)
    officials = models.ManyToManyField(
        "institutions.Person", verbose_name=_("관련 공무원"), blank=True, related_name="passive_reports"
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("담당자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("종결 시각"), null=True, blank=True)
    review_reason = models.TextField(_("재검토 요청 사유"), blank=True)
    review_requested_at = models.DateTimeField(_("재검토 요청 시각"), null=True, blank=True)
    #: no audit unit holder when it arrived: flagged to the institution's administrators
    unrouted = models.BooleanField(_("담당자 없음"), default=False)

    #: the processing deadline's due date, mirrored from core.Deadline by core.deadlines
    #: (register_deadline_kind(..., mirror="due_on")) so the queue orders through an index
    due_on = models.DateField(_("처리기한"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("소극행정 신고")
        verbose_name_plural = _("소극행정 신고")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["institution", "status"], name="report_inst_status_idx"),
            models.Index(fields=["institution", "kind", "status"], name="report_inst_kind_idx"),
            # The dashboard's figures (reports/indicators.py): one per event date.
            models.Index(fields=["institution", "created_at"], name="report_inst_created_idx"),
            models.Index(
                fields=["institution", "closed_at"],
                include=["status", "outcome", "created_at"],
                name="report_inst_closed_idx",
            ),
            models.Index(fields=["institution", "review_requested_at"], name="report_inst_review_idx"),
            # The audit unit's queue (reports/selectors.queue): by due date, any filter.
            models.Index(fields=["institution", "due_on", "id"], name="report_queue_idx"),
            # the dashboard's "overdue": the institution's ids, joined to its missed deadlines
            models.Index(fields=["institution", "id"], name="report_inst_id_idx"),
            models.Index(fields=["institution", "kind", "due_on", "id"], name="report_queue_kind_idx"),
            models.Index(fields=["institution", "status", "due_on", "id"], name="report_queue_status_idx"),
            # ... and its default view, the open reports (three states: one index in due order)
            models.Index(
                fields=["institution", "due_on", "id"],
                name="report_queue_open_idx",
                condition=models.Q(status__in=["received", "investigating", "review_requested"]),
            ),
            # the daily erasure of identified reporters' contacts (only rows still to erase)
            models.Index(
                fields=["retain_until"],
                name="report_retain_idx",
                condition=models.Q(reporter_erased_at__isnull=True, retain_until__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(_("소극행정 신고 %(pk)s") % {"pk": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.pk])

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "gray")

    @property
    def clock_running(self) -> bool:
        """The processing clock runs in the open states (reports.workflow.CLOCK_RUNNING)."""
        from reports.workflow import CLOCK_RUNNING

        return self.status in CLOCK_RUNNING

    @property
    def is_closed(self) -> bool:
        return self.status in {self.Status.CLOSED, self.Status.NOT_PASSIVE}


class ReportMessage(models.Model):
    class Direction(models.TextChoices):
        TO_REPORTER = "to_reporter", _("신고인에게")
        FROM_REPORTER = "from_reporter", _("신고인이 보냄")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(_("방향"), max_length=20, choices=Direction.choices)
    body = models.TextField(_("내용"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("보낸 시각"), auto_now_add=True)
    #: the HMAC of the one-time token of the reporter's message form: one form, one message
    #: (a retry after a lost answer returns the message it made); empty for staff messages
    submission_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} · {self.get_direction_display()}"

    @property
    def institution_id(self) -> int:
        return self.report.institution_id


class ReportNote(models.Model):
    """An internal note of the investigators: never shown to the reporter."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(_("내부 메모"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("작성 시각"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report} · {self.created_at:%Y-%m-%d}"


class ReportTransfer(models.Model):
    """A report sent on to another institution. The first institution keeps only this."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="transfers")
    number = models.CharField(_("신고번호"), max_length=40, blank=True)
    from_institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("보낸 기관")
    )
    to_institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="+", verbose_name=_("받은 기관")
    )
    reason = models.TextField(_("이송 사유"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("이송 시각"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} → {self.to_institution}"

    @property
    def institution_id(self) -> int:
        return self.from_institution_id
