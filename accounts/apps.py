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
                "accounts.otp_device_removed": pgettext_lazy("audit action", "2단계 인증 장치 삭제"),
                "accounts.login_locked_out": pgettext_lazy("audit action", "로그인 제한(연속 실패)"),
                "accounts.otp_failures": pgettext_lazy("audit action", "2단계 인증 코드 연속 실패"),
            }
        )
        from axes.signals import user_locked_out

        from accounts.lockout import audit_lockout

        user_locked_out.connect(audit_lockout, dispatch_uid="accounts.login_locked_out")
        from django.db.models.signals import post_delete
        from django_otp.plugins.otp_totp.models import TOTPDevice

        post_delete.connect(_otp_device_removed, sender=TOTPDevice, dispatch_uid="accounts.otp_device_removed")


def _otp_device_removed(sender: object, instance: object, **kwargs: object) -> None:
    """A confirmed authenticator removed (a reset by an administrator in the admin site) is
    audited on the user it belonged to, in the same transaction as the deletion."""
    from accounts.models import User
    from core import audit

    if not getattr(instance, "confirmed", False):
        return
    user_id = getattr(instance, "user_id", None)
    user = User.objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    if user is None:
        return
    audit.record(actor=None, action="accounts.otp_device_removed", target=user, institution_id=user.institution_id)
