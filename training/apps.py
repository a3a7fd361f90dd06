from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("적극행정 교육")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from training import wiring

        wiring.register()
