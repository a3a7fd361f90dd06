"""The committee's member pool (DOMAIN.md §6, ADR 0013): members (internal or external), their
expertise tags and their terms. Meetings, agenda, selection and votes (later slices) stand on
`CommitteeMember` and `committee.selectors.selectable_members`.

Every change goes through committee.services."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel
from institutions.models import Institution, Person


class Tag(models.Model):
    """An area of expertise, per institution ("건축", "도시계획"). Names are normalised
    (spaces collapsed, lower case), so "건축 " and "건축" are one tag."""

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="committee_tags")
    name = models.CharField(_("전문분야"), max_length=50)

    class Meta:
        verbose_name = _("전문분야")
        verbose_name_plural = _("전문분야")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["institution", "name"], name="committee_tag_unique")]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(TimeStampedModel):
    class Kind(models.TextChoices):
        INTERNAL = "internal", _("내부위원")
        EXTERNAL = "external", _("민간위원")

    class Gender(models.TextChoices):
        FEMALE = "female", _("여성")
        MALE = "male", _("남성")
        UNDISCLOSED = "undisclosed", _("밝히지 않음")

    class Status(models.TextChoices):
        ACTIVE = "active", pgettext_lazy("committee member status", "재임")
        DISMISSED = "dismissed", pgettext_lazy("committee member status", "해촉")

    class Grounds(models.TextChoices):
        """Grounds for dismissal (the usual list of a committee ordinance)."""

        NEGLECT = "neglect", _("직무 태만")
        DIGNITY = "dignity", _("품위 손상")
        SECRECY = "secrecy", _("비밀 누설")
        MISCONDUCT = "misconduct", _("직무 관련 비위")
        INCAPACITY = "incapacity", _("장기 심신장애로 직무 수행 불가")
        RESIGNATION = "resignation", _("본인 사의 표명")
        OTHER = "other", _("그 밖의 사유")

    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="committee_members")
    kind = models.CharField(_("구분"), max_length=10, choices=Kind.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("직원"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("로그인 계정"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committee_memberships",
    )
    name = models.CharField(_("성명"), max_length=100)
    organisation = models.CharField(_("소속"), max_length=200, blank=True)
    position = models.CharField(_("직위"), max_length=100, blank=True)
    gender = models.CharField(_("성별"), max_length=12, choices=Gender.choices, default=Gender.UNDISCLOSED)
    expertise = models.ManyToManyField(Tag, verbose_name=_("전문분야"), blank=True, related_name="members")
    email = models.EmailField(_("전자우편"), blank=True)
    phone = models.CharField(_("전화번호"), max_length=30, blank=True)
    is_chair = models.BooleanField(_("위원장"), default=False)
    is_audit_head = models.BooleanField(_("감사부서의 장"), default=False)
    status = models.CharField(_("상태"), max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # The member's current span of service, kept by the services so pool queries need no join:
    # from the start of the unbroken run of terms that includes the latest one to the end of
    # the latest term (a renewal that follows at once extends it; one after a gap restarts it).
    # The Term rows keep each term.
    term_starts_on = models.DateField(_("재임 시작일"))
    term_ends_on = models.DateField(_("재임 종료일"), null=True, blank=True)
    renewals = models.PositiveSmallIntegerField(_("연임 횟수"), default=0)
    dismissed_on = models.DateField(_("해촉일"), null=True, blank=True)
    dismissal_grounds = models.CharField(_("해촉 사유"), max_length=12, choices=Grounds.choices, blank=True)
    dismissal_note = models.TextField(_("해촉 사유 상세"), blank=True)

    class Meta:
        verbose_name = _("위원")
        verbose_name_plural = _("위원")
        ordering = ["institution", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["institution"],
                condition=Q(is_chair=True, status="active"),
                name="committee_one_chair",
            ),
            models.UniqueConstraint(
                fields=["institution", "person"],
                condition=Q(status="active", person__isnull=False),
                name="committee_person_once",
            ),
            models.UniqueConstraint(
                fields=["user"], condition=Q(status="active", user__isnull=False), name="committee_user_once"
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "status", "name"], name="committee_inst_status_idx"),
            models.Index(fields=["institution", "kind", "name"], name="committee_inst_kind_idx"),
            models.Index(fields=["institution", "term_ends_on"], name="committee_inst_term_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def in_term(self, on: datetime.date) -> bool:
        return self.term_starts_on <= on and (self.term_ends_on is None or self.term_ends_on >= on)

    def in_pool(self, on: datetime.date) -> bool:
        """Serving on this date: not dismissed and within the current term."""
        return self.status == self.Status.ACTIVE and self.in_term(on)


class Term(models.Model):
    """One term of a member: the first appointment (number 0) and each renewal (1, 2, ...)."""

    member = models.ForeignKey(CommitteeMember, on_delete=models.CASCADE, related_name="terms")
    number = models.PositiveSmallIntegerField(_("연임 차수"))
    starts_on = models.DateField(_("임기 시작일"))
    ends_on = models.DateField(_("임기 종료일"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("임기")
        verbose_name_plural = _("임기")
        ordering = ["member", "number"]
        constraints = [models.UniqueConstraint(fields=["member", "number"], name="committee_term_unique")]

    def __str__(self) -> str:
        return f"{self.member} #{self.number}"
