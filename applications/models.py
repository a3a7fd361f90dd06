"""Public application for active handling (적극행정 국민신청, DOMAIN.md §12; ADR 0018).

A person whose request or proposal was refused because a law was missing or unclear applies
for active handling. The institution's active-administration side reviews it, may take it
to pre-consultation (a linked consultation) or to the committee (an agenda item, through
committee/linking.py), and answers the applicant within `policy.application_days` working
days. The applicant follows it by receipt. States: applications/workflow.py.
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
    "reviewing": "primary",
    "at_consultation": "warning",
    "at_committee": "warning",
    "answered": "success",
}


class Application(TimeStampedModel):
    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("status", "접수")
        REVIEWING = "reviewing", pgettext_lazy("status", "검토 중")
        AT_CONSULTATION = "at_consultation", pgettext_lazy("status", "사전컨설팅 중")
        AT_COMMITTEE = "at_committee", pgettext_lazy("status", "적극행정위원회 심의 중")
        ANSWERED = "answered", pgettext_lazy("status", "답변 완료")

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("수용")
        PARTLY = "partly", _("일부 수용")
        NOT_ACCEPTED = "not_accepted", _("불수용")

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("기관"),
        on_delete=models.PROTECT,
        related_name="active_applications",
    )
    unit_name = models.CharField(_("부서(신청인이 적은 것)"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "institutions.Unit",
        verbose_name=_("부서"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="active_applications",
    )
    number = models.CharField(_("신청번호"), max_length=40, blank=True)
    refused_request = models.TextField(_("거부된 신청·제안"))
    refused_on = models.CharField(_("거부된 때"), max_length=100, blank=True)
    refusal_reason = models.TextField(_("거부 사유"))
    law = models.CharField(_("관련 법령(아는 경우)"), max_length=300, blank=True)
    request = models.TextField(_("요청 사항"))
    applicant_name = models.CharField(_("신청인 성명"), max_length=100)
    applicant_email = models.EmailField(_("신청인 전자우편"), blank=True)
    applicant_phone = models.CharField(_("신청인 전화번호"), max_length=30, blank=True)
    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)
    #: HMAC of the one-time form token: the same form posted twice makes one application
    submission_key = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("담당자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    consultation = models.ForeignKey(
        "consultations.Consultation",
        verbose_name=_("연계 사전컨설팅"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="public_applications",
    )
    committee_opinion = models.TextField(_("위원회 심의 결과"), blank=True)
    committee_decided_on = models.DateField(_("위원회 의결일"), null=True, blank=True)
    decision = models.CharField(_("처리 결과"), max_length=20, choices=Decision.choices, blank=True)
    answer = models.TextField(_("신청인에게 보내는 답변"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("답변 시각"), null=True, blank=True)
    #: no handler assigned when it arrived: flagged to the institution's administrators
    unrouted = models.BooleanField(_("담당자 없음"), default=False)

    class Meta:
        verbose_name = _("적극행정 국민신청")
        verbose_name_plural = _("적극행정 국민신청")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["institution", "status", "created_at"], name="app_inst_status_idx"),
            # The dashboard's figures (applications/indicators.py): one per event date.
            models.Index(fields=["institution", "created_at"], name="app_inst_created_idx"),
            # the dashboard's "overdue": the institution's ids, joined to its missed deadlines
            models.Index(fields=["institution", "id"], name="app_inst_id_idx"),
            models.Index(fields=["institution", "answered_at"], include=["status"], name="app_inst_answered_idx"),
        ]

    def __str__(self) -> str:
        return self.number or str(_("국민신청 %(pk)s") % {"pk": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("applications:detail", args=[self.pk])

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "gray")
