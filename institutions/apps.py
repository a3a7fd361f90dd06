from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "institutions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _
        from django.utils.translation import pgettext_lazy

        from core import audit
        from core.access import register_visibility, roles
        from core.roles import Role
        from institutions import selectors
        from institutions.models import Institution, Person, Unit
        from institutions.permissions import ADMINISTRATION
        from office.navigation import NavItem, register

        register_visibility(Institution, selectors.visible_institutions)
        register_visibility(Unit, selectors.visible_units)
        register_visibility(Person, selectors.visible_people)

        audit.register_actions(
            {
                "institutions.institution_created": pgettext_lazy("audit action", "기관 등록"),
                "institutions.institution_updated": pgettext_lazy("audit action", "기관 정보 수정"),
                "institutions.unit_created": pgettext_lazy("audit action", "부서 등록"),
                "institutions.unit_updated": pgettext_lazy("audit action", "부서 정보 수정"),
                "institutions.unit_deactivated": pgettext_lazy("audit action", "부서 사용 중지"),
                "institutions.unit_activated": pgettext_lazy("audit action", "부서 다시 사용"),
                "institutions.person_created": pgettext_lazy("audit action", "직원 등록"),
                "institutions.person_updated": pgettext_lazy("audit action", "직원 정보 수정"),
                "institutions.person_retired": pgettext_lazy("audit action", "퇴직 처리"),
                "institutions.account_created": pgettext_lazy("audit action", "로그인 계정 만들기"),
                "institutions.account_password_link_sent": pgettext_lazy("audit action", "비밀번호 설정 링크 보내기"),
                "institutions.role_assigned": pgettext_lazy("audit action", "역할 지정"),
                "institutions.role_ended": pgettext_lazy("audit action", "역할 지정 종료"),
                "institutions.policy_updated": pgettext_lazy("audit action", "운영 정책 변경"),
                "demo.seeded": pgettext_lazy("audit action", "데모 자료 만들기"),
                "scale.seeded": pgettext_lazy("audit action", "대량 시험 자료 만들기"),
            }
        )

        register(NavItem(_("기관·부서·직원 관리"), "institutions:home", ADMINISTRATION), section="admin")
        register(NavItem(_("하위 기관"), "institutions:subordinates", roles(Role.SUPERVISOR)), section="statistics")
