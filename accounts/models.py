from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A staff account. It links to the person record of the institution it belongs to."""

    person = models.OneToOneField(
        "institutions.Person",
        verbose_name=_("직원"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="user",
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("소속 기관"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )

    class Meta:
        verbose_name = _("사용자")
        verbose_name_plural = _("사용자")

    def __str__(self) -> str:
        if self.person is not None:
            return self.person.name
        return self.get_full_name() or self.username


class ApiToken(models.Model):
    """A personal access token for the REST API (docs/adr/0006-api-tokens.md).

    Only the SHA-256 digest of the secret is stored; the secret is shown once, when the
    token is created. `prefix` (the first characters of the random part) identifies the
    token in lists without revealing it.
    """

    class Scope(models.TextChoices):
        READ = "read", _("읽기 전용")
        READ_WRITE = "read_write", _("읽기·쓰기")

    user = models.ForeignKey(User, verbose_name=_("사용자"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("토큰 이름"), max_length=100)
    prefix = models.CharField(_("토큰 앞자리"), max_length=8)
    token_hash = models.CharField(_("토큰 해시"), max_length=64, unique=True)
    scope = models.CharField(_("권한 범위"), max_length=12, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("발급 시각"), auto_now_add=True)
    expires_at = models.DateTimeField(_("만료 시각"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("마지막 사용 시각"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("폐기 시각"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 접근 토큰")
        verbose_name_plural = _("API 접근 토큰")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["prefix"], name="apitoken_prefix_idx"),
            models.Index(fields=["user", "-created_at"], name="apitoken_user_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.READ_WRITE
