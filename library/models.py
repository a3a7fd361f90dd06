"""The best-practice library (적극행정 우수사례, DOMAIN.md §9): staff write a case, a
reviewer publishes it or sends it back, and the public portal lists and searches the
published ones. The states and who may move them are in library/workflow.py; ADR 0016."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.models import TimeStampedModel

STATUS_TONES = {"draft": "gray", "in_review": "information", "published": "success"}
MIN_YEAR = 2000
MAX_YEAR = 2100


class BestPractice(TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("status", "작성 중")
        IN_REVIEW = "in_review", pgettext_lazy("status", "검토 중")
        PUBLISHED = "published", pgettext_lazy("status", "공개")

    class PolicyField(models.TextChoices):
        """The policy field of a case (the public filter)."""

        WELFARE = "welfare", _("복지·보건")
        SAFETY = "safety", _("안전·재난")
        ECONOMY = "economy", _("경제·일자리")
        URBAN = "urban", _("도시·건축·교통")
        ENVIRONMENT = "environment", _("환경")
        CULTURE = "culture", _("문화·관광·체육")
        EDUCATION = "education", _("교육·청년")
        CIVIL = "civil", _("민원·행정 서비스")
        REGULATION = "regulation", _("규제 개선")
        OTHER = "other", _("기타")

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "institutions.Unit", verbose_name=_("부서"), on_delete=models.PROTECT, related_name="best_practices"
    )
    title = models.CharField(_("제목"), max_length=200)
    problem = models.TextField(_("문제 상황"), blank=True)
    action = models.TextField(_("적극행정 내용"), blank=True)
    result = models.TextField(_("성과"), blank=True)
    rule_improved = models.TextField(_("개선한 제도·규정"), blank=True)
    beneficiaries = models.CharField(_("혜택을 받은 사람"), max_length=300, blank=True)
    policy_field = models.CharField(_("분야"), max_length=20, choices=PolicyField.choices)
    year = models.PositiveSmallIntegerField(
        _("연도"), validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    officials = models.ManyToManyField(
        "institutions.Person", verbose_name=_("담당 공무원"), blank=True, related_name="best_practices"
    )
    work_item = models.ForeignKey(
        "register.WorkItem",
        verbose_name=_("업무 등록부 항목"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="best_practices",
    )
    status = models.CharField(_("상태"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("작성자"), on_delete=models.PROTECT, related_name="+"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("검토자"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("검토 요청 시각"), null=True, blank=True)
    published_at = models.DateTimeField(_("공개 시각"), null=True, blank=True)
    #: why the reviewer sent the case back, or took it off the portal (shown to the author)
    return_reason = models.TextField(_("돌려보낸 사유"), blank=True)
    #: title, problem, action and result in one column (the PostgreSQL trigram index;
    #: the short-query fallback on both databases). Kept by save().
    search_text = models.TextField(editable=False, blank=True, default="")
    #: how many times the public detail page was read (nothing about the readers is kept)
    view_count = models.PositiveIntegerField(_("조회수"), default=0)

    class Meta:
        verbose_name = _("적극행정 우수사례")
        verbose_name_plural = _("적극행정 우수사례")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="library_status_pub_idx"),
            models.Index(fields=["institution", "status"], name="library_inst_status_idx"),
            models.Index(fields=["status", "policy_field", "year"], name="library_status_field_idx"),
            models.Index(fields=["author", "-created_at"], name="library_author_idx"),
            # The office list in pages by cursor (ADR 0029): "all" newest first, the review
            # queue by the request's time ("mine" is library_author_idx's).
            models.Index(fields=["institution", "-created_at"], name="library_inst_created_idx"),
            models.Index(fields=["institution", "status", "submitted_at"], name="library_inst_queue_idx"),
            # The dashboard's figure (library/indicators.py): cases by their publication date.
            models.Index(fields=["institution", "published_at"], include=["status"], name="library_inst_pub_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.search_text = "\n".join([self.title, self.problem, self.action, self.result])
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}  # type: ignore[misc]
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def get_absolute_url(self) -> str:
        return reverse("library:detail", kwargs={"pk": self.pk})

    def get_public_url(self) -> str:
        return reverse("portal_library:detail", kwargs={"pk": self.pk})

    @property
    def status_tone(self) -> str:
        return STATUS_TONES.get(self.status, "gray")

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED
