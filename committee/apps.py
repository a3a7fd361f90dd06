from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("적극행정위원회")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        pass
