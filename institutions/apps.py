from django.apps import AppConfig


class InstitutionsConfig(AppConfig):
    name = "institutions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from core.access import register_visibility, roles
        from core.roles import Role
        from institutions import selectors
        from institutions.models import Institution, Person, Unit
        from institutions.permissions import ADMINISTRATION
        from office.navigation import NavItem, register

        register_visibility(Institution, selectors.visible_institutions)
        register_visibility(Unit, selectors.visible_units)
        register_visibility(Person, selectors.visible_people)

        register(NavItem(_("기관·부서·직원 관리"), "institutions:home", ADMINISTRATION), section="admin")
        register(NavItem(_("하위 기관"), "institutions:subordinates", roles(Role.SUPERVISOR)), section="statistics")
