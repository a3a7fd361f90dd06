from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core.access import LOGIN
        from office.navigation import NavItem, add_section, register

        # The office pages of the API are the user's own tokens (accounts/views_tokens.py).
        add_section("account", _("내 계정"))
        register(NavItem(_("API 접근 토큰"), "accounts:tokens", LOGIN), section="account")
