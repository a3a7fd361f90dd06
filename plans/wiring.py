"""Everything the plans app registers with the rest of the site (called from
PlansConfig.ready()): visibility, audit labels, the committee link, navigation and the demo step (ADR 0022)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def register() -> None:
    from core import audit
    from core.access import LOGIN, register_visibility
    from institutions.demo import add_demo_step
    from office.navigation import NavItem
    from office.navigation import register as register_nav
    from plans import demo, indicators, links, selectors
    from plans.models import Plan, PlanVersion

    register_visibility(Plan, selectors.visible_plans)
    register_visibility(PlanVersion, selectors.visible_versions)
    links.register()
    audit.register_actions(
        {
            "plan.created": pgettext_lazy("audit action", "실행계획 작성"),
            "plan_version.created": pgettext_lazy("audit action", "실행계획 판 작성"),
            "plan_version.updated": pgettext_lazy("audit action", "실행계획 추진 방향 변경"),
            "plan_task.added": pgettext_lazy("audit action", "실행계획 과제 추가"),
            "plan_task.changed": pgettext_lazy("audit action", "실행계획 과제 변경"),
            "plan_task.removed": pgettext_lazy("audit action", "실행계획 과제 삭제"),
        }
    )
    add_demo_step("plans", demo.seed)
    register_nav(NavItem(_("적극행정 실행계획"), "plans:list", LOGIN), section="plans")
    from office.selectors import register_home_alerts

    register_home_alerts("plans", selectors.home_alerts)
    from plans import wiring_progress

    wiring_progress.register()  # the progress checks: visibility, deadline kind, menu
    indicators.register()  # the dashboard's progress figures and the plan's approval
    from plans import wiring_evaluation

    wiring_evaluation.register()  # the year-end evaluation: visibility, audit labels, dashboard source
    from oversight.indicators import register_flag
    from plans.flags import missing_plan_flags

    register_flag("plans.missing", missing_plan_flags)  # the dashboards' missing-plan warning
