from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteeConfig(AppConfig):
    name = "committee"
    verbose_name = _("적극행정위원회")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import pgettext_lazy

        import committee.workflow  # noqa: F401 - declaring the workflow registers its audit labels
        from committee import demo, selectors
        from committee.models import CommitteeMember
        from core import audit
        from core.access import register_visibility, roles
        from core.roles import Role
        from institutions.demo import add_demo_step
        from office.navigation import NavItem, register

        register_visibility(CommitteeMember, selectors.visible_members)
        audit.register_actions(
            {
                "committee.member_appointed": pgettext_lazy("audit action", "위원 위촉·지정"),
                "committee.member_updated": pgettext_lazy("audit action", "위원 정보 수정"),
                "committee.member_renewed": pgettext_lazy("audit action", "위원 연임"),
                "committee.chair_designated": pgettext_lazy("audit action", "위원장 지정"),
                "committee.chair_released": pgettext_lazy("audit action", "위원장 교체로 위원장 해제"),
            }
        )
        register(
            NavItem(_("위원 명단"), "committee:pool", roles(*selectors.POOL_READERS)),
            NavItem(_("내 위원 정보"), "committee:mine", roles(Role.COMMITTEE_MEMBER)),
            section="committee",
        )
        add_demo_step("committee", demo.seed)

        from committee import indicators, wiring_deliberation, wiring_meetings, wiring_requests

        wiring_meetings.ready()
        wiring_deliberation.ready()
        wiring_requests.ready()
        indicators.register()
