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
    from applications.selectors import HANDLER_ROLES
    from core.notifications import users_with_roles

    return users_with_roles(deadline.institution_id, *HANDLER_ROLES)


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("적극행정 국민신청")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from applications import committee_link, demo, indicators, portal_views, selectors, services
        from applications.models import Application
        from core import audit
        from core.access import register_visibility, roles
        from core.deadlines import register_deadline_kind
        from institutions.demo import add_demo_step
        from office.navigation import NavItem, register
        from portal.follow import Followable, register_followable

        register_visibility(Application, selectors.visible_applications)
        register_deadline_kind(selectors.DEADLINE_KIND, _("적극행정 국민신청 처리기한"), _deadline_recipients)
        audit.register_actions(
            {
                "application.submitted": pgettext_lazy("audit action", "적극행정 국민신청 접수"),
                services.ON_AGENDA_ACTION: pgettext_lazy("audit action", "위원회 안건 상정"),
            }
        )
        committee_link.register()
        register_followable(
            Followable(
                key="applications",
                label=_("적극행정 국민신청"),
                find=services.find_by_digest,
                render=portal_views.status_page,
            )
        )
        register(
            NavItem(_("적극행정 국민신청 처리"), "applications:queue", roles(*selectors.HANDLER_ROLES)), section="audit"
        )
        add_demo_step("applications", demo.seed)
        indicators.register()
