from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExemptionsConfig(AppConfig):
    name = "exemptions"
    verbose_name = _("면책")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        pass
