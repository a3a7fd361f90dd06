from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = _("점검·평가")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from oversight import wiring

        wiring.register()
