"""The registrations of the progress checks (called by plans/wiring.py register(); safe to
call again): who may see a report, the deadline kind and its reminder recipients, the menu
entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _


def register() -> None:
    from core.access import register_visibility, roles
    from core.deadlines import register_deadline_kind
    from office.navigation import NavItem
    from office.navigation import register as register_nav
    from office.selectors import register_deadline_roles
    from plans import selectors_progress, services_progress
    from plans.models import ProgressReport

    register_visibility(ProgressReport, selectors_progress.visible_reports)
    register_deadline_kind(
        services_progress.DEADLINE_KIND, _("실행계획 추진 실적 제출 기한"), services_progress.deadline_recipients
    )
    register_deadline_roles(services_progress.DEADLINE_KIND, *services_progress.OFFICER_ROLES)
    register_nav(
        NavItem(_("추진 실적 점검"), "plans:progress", roles(*selectors_progress.OVERSIGHT_ROLES)),
        NavItem(_("우리 부서 추진 실적"), "plans:progress_mine", roles(*selectors_progress.OWNER_ROLES)),
        section="plans",
    )
