from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User
    from core.models import Deadline


def _deadline_recipients(deadline: Deadline) -> Iterable[User]:
    from core.notifications import users_with_roles
    from reports.selectors import AUDIT_ROLES

    return users_with_roles(deadline.institution_id, *AUDIT_ROLES)


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("소극행정 신고")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import audit
        from core.access import register_visibility, roles
        from core.deadlines import register_deadline_kind
        from office.navigation import NavItem, register
        from reports import indicators, receipts, selectors
        from reports.models import Report, ReportMessage, ReportTransfer

        register_visibility(Report, selectors.visible_reports)
        register_visibility(ReportMessage, selectors.visible_messages)
        register_visibility(ReportTransfer, selectors.visible_transfers)
        register_deadline_kind(
            selectors.DEADLINE_KIND, _("소극행정 신고 처리기한"), _deadline_recipients, mirror="due_on"
        )
        audit.register_actions(
            {
                "report.submitted": pgettext_lazy("audit action", "소극행정 신고 접수"),
                "report.reporter_message": pgettext_lazy("audit action", "신고인 메시지 수신"),
                "report.message_sent": pgettext_lazy("audit action", "신고인에게 메시지 발송"),
                "report.note_added": pgettext_lazy("audit action", "내부 메모 작성"),
                "report.transferred_in": pgettext_lazy("audit action", "이송받음"),
                receipts.AUDIT_ACTION: pgettext_lazy("audit action", "접수증 확인 시도 제한"),
                "report.reporter_erased": pgettext_lazy("audit action", "신고인 개인정보 파기"),
            }
        )
        from core.scheduler import register_periodic
        from portal.follow import Followable, register_followable
        from reports import portal_views, services, tasks

        register_periodic("report_contact_erasure", tasks.erase_expired_reporter_contacts, every_seconds=24 * 60 * 60)

        register_followable(
            Followable(
                key="reports",
                label=_("소극행정 신고"),
                find=services.find_by_digest,
                render=portal_views.status_page,
            )
        )
        register(NavItem(_("소극행정 신고 처리"), "reports:queue", roles(*selectors.AUDIT_ROLES)), section="audit")
        from institutions.demo import add_demo_step
        from reports import demo

        add_demo_step("reports", demo.seed)
        indicators.register()
