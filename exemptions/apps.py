from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ExemptionsConfig(AppConfig):
    name = "exemptions"
    verbose_name = _("면책")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import audit
        from core.access import register_visibility, roles
        from core.deadlines import register_deadline_kind
        from core.notifications import users_with_roles
        from core.roles import AUDIT_ROLES, Role
        from core.scheduler import register_periodic
        from exemptions import demo, indicators, links, selectors, tasks, workflow  # noqa: F401 - the workflow registers its labels
        from exemptions.models import DisciplinaryDemand, ExemptionCase, QuarterlyReport
        from exemptions.services.reports import KIND
        from institutions.demo import add_demo_step
        from office.navigation import NavItem, register
        from register.links import register_link_provider

        register_visibility(ExemptionCase, selectors.visible_cases)
        register_visibility(DisciplinaryDemand, selectors.visible_demands)
        register_visibility(QuarterlyReport, selectors.reports_of)
        audit.register_actions(
            {
                "exemption.applied": pgettext_lazy("audit action", "면책 신청"),
                "exemption.opened": pgettext_lazy("audit action", "면책 직권 개시"),
                "exemption.updated": pgettext_lazy("audit action", "면책 건 수정"),
                "exemption.findings_recorded": pgettext_lazy("audit action", "면책 요건 판단 기록"),
                "exemption.presumption_rebutted": pgettext_lazy("audit action", "면책 추정 번복"),
                "exemption.demand_recorded": pgettext_lazy("audit action", "징계 요구 기록"),
                "exemption.quarterly_report_submitted": pgettext_lazy("audit action", "면책 분기 보고 제출"),
            }
        )
        register_deadline_kind(
            KIND,
            _("면책 분기 보고"),
            lambda deadline: users_with_roles(deadline.institution_id, Role.AA_OFFICER),
        )
        register_periodic("exemption_quarterly_reports", tasks.ensure_quarterly_reports, every_seconds=24 * 60 * 60)
        register_link_provider("exemptions", _("면책"), links.cases_of_work_item)
        register(NavItem(_("면책 심사"), "exemptions:list", roles(*AUDIT_ROLES, Role.HR_OFFICER)), section="audit")
        register(NavItem(_("징계 요구"), "exemptions:demands", roles(*selectors.DEMAND_ROLES)), section="audit")
        register(NavItem(_("면책 분기 보고"), "exemptions:reports", roles(*AUDIT_ROLES)), section="audit")
        register(NavItem(_("나의 면책 신청"), "exemptions:mine", roles(Role.OFFICIAL)), section="work")
        add_demo_step("exemptions", demo.seed)
        indicators.register()
