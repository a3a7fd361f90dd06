from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CoreConfig(AppConfig):
    name = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import audit, tasks
        from core.access import LOGIN
        from core.scheduler import register_periodic
        from core.views import DEADLINE_WATCHERS
        from office.navigation import NavItem, register

        register_periodic("deadline_reminders", tasks.send_deadline_reminders, every_seconds=15 * 60)
        register_periodic("stale_notification_emails", tasks.send_stale_notification_emails, every_seconds=10 * 60)

        audit.register_actions(
            {
                "deadline.extend": pgettext_lazy("audit action", "처리기한 연장"),
                "attachment.add": pgettext_lazy("audit action", "첨부 파일 추가"),
                "imports.queued": pgettext_lazy("audit action", "일괄 가져오기 시작"),
                "imports.cancelled": pgettext_lazy("audit action", "일괄 가져오기 취소"),
                "imports.expired": pgettext_lazy("audit action", "일괄 가져오기 자동 취소"),
                "imports.finished": pgettext_lazy("audit action", "일괄 가져오기 끝남"),
            }
        )

        register(NavItem(_("알림"), "core:notifications", LOGIN), section="home")
        register(NavItem(_("처리기한 경과·임박"), "core:overdue", DEADLINE_WATCHERS), section="audit")
