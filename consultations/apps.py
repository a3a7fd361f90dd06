from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("사전컨설팅")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        pass
