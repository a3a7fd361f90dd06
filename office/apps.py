from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "office"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.access import LOGIN
        from office.navigation import NavItem, register

        register(NavItem(_("업무 현황"), "office:home", LOGIN), section="home")
