"""Everything the training app registers with the rest of the site (called from
TrainingConfig.ready(); safe to call again): visibility, audit labels, the completion import,
the monthly reminder, the menu and the demo step (ADR 0023)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def register() -> None:
    from core import audit
    from core.access import LOGIN, register_visibility, roles
    from core.importer import register_spec
    from core.scheduler import register_periodic
    from institutions.demo import add_demo_step
    from office.navigation import NavItem
    from office.navigation import register as register_nav
    from training import demo, importers, selectors, tallies, tasks
    from training.models import Completion, Course, Enrolment, Session
    from training.rules import COMPLIANCE_ROLES, MANAGER_ROLES

    register_visibility(Course, selectors.visible_courses)
    register_visibility(Session, selectors.visible_sessions)
    register_visibility(Enrolment, selectors.visible_enrolments)
    register_visibility(Completion, selectors.visible_completions)
    audit.register_actions(
        {
            "training_course.created": pgettext_lazy("audit action", "교육 과정 등록"),
            "training_course.changed": pgettext_lazy("audit action", "교육 과정 변경"),
            "training_course.deactivated": pgettext_lazy("audit action", "교육 과정 운영 중지"),
            "training_course.reactivated": pgettext_lazy("audit action", "교육 과정 다시 운영"),
            "training_session.added": pgettext_lazy("audit action", "교육 일정 추가"),
            "training_session.enrolled": pgettext_lazy("audit action", "교육 수강 신청"),
            "training_session.attendance": pgettext_lazy("audit action", "교육 출석(이수) 기록"),
            "training_completion.recorded": pgettext_lazy("audit action", "교육 이수 기록"),
            "training_completion.removed": pgettext_lazy("audit action", "교육 이수 기록 삭제"),
            "training.reminders_requested": pgettext_lazy("audit action", "교육 독려 알림 요청"),
            "training.reminders_sent": pgettext_lazy("audit action", "교육 독려 알림 발송"),
        }
    )
    register_spec(importers.SPEC)
    register_periodic("training_monthly_reminders", tasks.send_monthly_reminders, every_seconds=24 * 60 * 60)
    register_periodic("training_compliance_reconcile", tasks.reconcile_compliance, every_seconds=24 * 60 * 60)
    audit.register_listener(tallies.on_change, targets=tallies.TARGETS, actions=tallies.ACTIONS)
    register_nav(
        NavItem(_("내 교육 이력"), "training:mine", LOGIN),
        NavItem(_("교육 일정"), "training:sessions", LOGIN),
        NavItem(_("교육 과정 관리"), "training:courses", roles(*MANAGER_ROLES)),
        NavItem(_("교육 이수 현황"), "training:compliance", roles(*COMPLIANCE_ROLES)),
        section="plans",
    )
    add_demo_step("training", demo.seed)
    from training import indicators

    indicators.register()  # the dashboards' training figures (ADR 0024)
