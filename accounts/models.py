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
