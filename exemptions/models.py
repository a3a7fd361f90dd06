"""Exemption (DOMAIN.md §7). This module holds the presumption records that other modules
create: pre-consultation (consultations) and committee advice (committee) both give each
acting official a `Presumption` through `exemptions.presumptions`."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

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
