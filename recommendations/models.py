"""Public recommendation of officials (국민추천, DOMAIN.md §11; ADR 0017).

Anyone recommends an official or a team of an institution, leaving a name and a contact
(required, to verify; kept only `policy.recommender_retention_days` after the decision).
The institution verifies it (the person exists, the facts hold), may ask the recommender a
question, and marks it verified or not with a reason the recommender reads by receipt.
Verified recommendations wait in the verified list as candidates for the rewards'
selection rounds. States and who may move them: recommendations/workflow.py.
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
    "verifying": "primary",
    "awaiting_reply": "warning",
    "verified": "success",
    "not_verified": "secondary",
}


class Recommendation(TimeStampedModel):
    class Status(models.TextChoices):
        RECEIVED = "received", pgettext_lazy("status", "접수")
        VERIFYING = "verifying", pgettext_lazy("status", "사실 확인 중")
        AWAITING_REPLY = "awaiting_reply", pgettext_lazy("status", "추천인 답변 대기")
        VERIFIED = "verified", pgettext_lazy("status", "확인 완료(포상 후보)")
        NOT_VERIFIED = "not_verified", pgettext_lazy("status", "확인 불가(종결)")

    class RoundOutcome(models.TextChoices):
        NOMINATED = "nominated", pgettext_lazy("round outcome", "선발 후보로 심사 중")
        SELECTED = "selected", pgettext_lazy("round outcome", "우수공무원으로 선발됨")
        NOT_SELECTED = "not_selected", pgettext_lazy("round outcome", "선발되지 않음")

    class NomineeKind(models.TextChoices):
        PERSON = "person", _("공무원 개인")
        TEAM = "team", _("팀·부서")

    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("기관"),
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    #: the unit as the recommender typed it; `unit` is the match (or the verifier's choice)
    unit_name = models.CharField(_("부서(추천인이 적은 것)"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "institutions.Unit",
        verbose_name=_("부서"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recommendations",
    )
    number = models.CharField(_("추천번호"), max_length=40, blank=True)
    nominee_kind = models.CharField(
        _("추천 대상"), max_length=10, choices=NomineeKind.choices, default=NomineeKind.PERSON
    )
    nominee_name = models.CharField(_("이름(팀 이름)"), max_length=100)
    what = models.TextField(_("한 일"))
    period = models.CharField(_("언제"), max_length=100, blank=True)
    effect = models.TextField(_("효과"))
    recommender_name = models.CharField(_("추천인 성명"), max_length=100, blank=True)
    recommender_email = models.EmailField(_("추천인 전자우편"), blank=True)
    recommender_phone = models.CharField(_("추천인 전화번호"), max_length=30, blank=True)
    #: when the recommender's name and contact were erased (retention period over)
    recommender_erased_at = models.DateTimeField(_("추천인 정보 파기 시각"), null=True, blank=True)
    receipt_hash = models.CharField(max_length=64, unique=True, editable=False)
    #: HMAC of the one-time form token: the same form posted twice makes one recommendation
    submission_key = models.CharField(max_length=64, unique=True, editable=False)
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.RECEIVED)
    #: the official the verifier confirmed (a person recommendation)
    person = models.ForeignKey(
        "institutions.Person",
        verbose_name=_("확인된 공무원"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recommendations",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("담당자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_reason = models.TextField(_("확인 결과(추천인에게 보입니다)"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("결정 시각"), null=True, blank=True)
    #: the recommender's name and contact are erased after this day
    retain_until = models.DateField(_("추천인 정보 보관 기한"), null=True, blank=True)
    #: no verifier assigned when it arrived: flagged to the institution's administrators
    unrouted = models.BooleanField(_("담당자 없음"), default=False)
    #: what came of a verified recommendation in the rewards' selection round (shown by receipt)
    round_title = models.CharField(_("우수공무원 선발 회차"), max_length=200, blank=True)
    round_outcome = models.CharField(
        _("선발 결과"), max_length=20, choices=RoundOutcome.choices, blank=True, default=""
    )

    class Meta:
        verbose_name = _("국민추천")
        verbose_name_plural = _("국민추천")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["institution", "status", "created_at"], name="rec_inst_status_idx"),
            models.Index(fields=["retain_until"], name="rec_retain_idx"),
            # The dashboard's figures (recommendations/indicators.py): one per event date.
            models.Index(fields=["institution", "created_at"], name="rec_inst_created_idx"),
            models.Index(fields=["institution", "decided_at"], include=["status"], name="rec_inst_decided_idx"),
            # The queue in pages by cursor (ADR 0029). Its default list, the open
            # recommendations (workflow.OPEN, spelt out: the workflow imports this module)
            # newest first: status IN (…) cannot be read in order from (institution, status,
            # created_at), and (institution, created_at) reads every decided recommendation
            # before the open ones' last page.
            models.Index(
                fields=["institution", "-created_at", "-id"],
                condition=models.Q(status__in=("received", "verifying", "awaiting_reply")),
                name="rec_inst_open_idx",
            ),
            # The verified list (the rewards' candidates), latest decision first: from
            # (institution, decided_at) PostgreSQL reads the open recommendations' NULLs first.
            models.Index(
                fields=["institution", "-decided_at", "-id"],
                condition=models.Q(status="verified"),
                name="rec_inst_verified_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.number or str(_("국민추천 %(pk)s") % {"pk": self.pk})

    def get_absolute_url(self) -> str:
        return reverse("recommendations:detail", args=[self.pk])

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "gray")

    @property
    def is_decided(self) -> bool:
        return self.status in {self.Status.VERIFIED, self.Status.NOT_VERIFIED}


class RecommendationMessage(models.Model):
    """A question of the verifier and the recommender's answer (shown on the receipt page)."""

    class Direction(models.TextChoices):
        TO_RECOMMENDER = "to_recommender", _("추천인에게")
        FROM_RECOMMENDER = "from_recommender", _("추천인이 보냄")

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(_("방향"), max_length=20, choices=Direction.choices)
    body = models.TextField(_("내용"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("보낸 시각"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.recommendation} · {self.get_direction_display()}"

    @property
    def institution_id(self) -> int:
        return self.recommendation.institution_id
