from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtectionConfig(AppConfig):
    name = "protection"
    verbose_name = _("보호·지원")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import pgettext_lazy

        import protection.workflow  # noqa: F401 - declaring the workflows registers their audit labels
        from core import audit
        from core.access import register_visibility, roles
        from core.roles import Role
        from institutions.demo import add_demo_step
        from office.navigation import NavItem, register
        from protection import demo, indicators, links, selectors
        from protection.models import Claim, Enrolment, InsurancePolicy, SupportRequest
        from register.links import register_link_provider

        register_visibility(SupportRequest, selectors.visible_requests)
        register_visibility(InsurancePolicy, selectors.visible_policies)
        register_visibility(Enrolment, selectors.visible_enrolments)
        register_visibility(Claim, selectors.visible_claims)
        audit.register_actions(
            {
                "protection.filed": pgettext_lazy("audit action", "보호 지원 신청"),
                "protection.updated": pgettext_lazy("audit action", "보호 지원 신청 내용 수정"),
                "protection.policy_created": pgettext_lazy("audit action", "배상책임보험 등록"),
                "protection.policy_updated": pgettext_lazy("audit action", "배상책임보험 정보 수정"),
                "protection.enrolled": pgettext_lazy("audit action", "보험 가입"),
                "protection.unit_enrolled": pgettext_lazy("audit action", "부서 단위 보험 가입"),
                "protection.claim_filed": pgettext_lazy("audit action", "보험금 청구"),
            }
        )
        officer = roles(Role.PROTECTION_OFFICER)
        register(
            NavItem(_("보호 지원 신청"), "protection:list", officer),
            NavItem(_("배상책임보험"), "protection:policy_list", officer),
            section="protection",
        )
        register(NavItem(_("내 보호 지원 신청"), "protection:mine", roles(Role.OFFICIAL)), section="work")
        register_link_provider("protection", _("보호 지원"), links.requests_of)
        add_demo_step("protection", demo.seed)
        indicators.register()
