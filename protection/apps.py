from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "protection"
    verbose_name = _("보호·지원")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        pass
