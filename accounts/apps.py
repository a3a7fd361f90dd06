from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import pgettext_lazy

        from core import audit

        audit.register_actions(
            {
                "accounts.otp_enrolled": pgettext_lazy("audit action", "2단계 인증 등록"),
                "accounts.token_created": pgettext_lazy("audit action", "API 접근 토큰 발급"),
                "accounts.token_revoked": pgettext_lazy("audit action", "API 접근 토큰 폐기"),
            }
        )
