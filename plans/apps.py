from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("적극행정 실행계획")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from plans import wiring

        wiring.register()
