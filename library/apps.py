from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LibraryConfig(AppConfig):
    name = "library"
    verbose_name = _("적극행정 우수사례")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import audit
        from core.access import register_visibility, roles
        from institutions.demo import add_demo_step
        from library import demo, indicators, selectors
        from library.models import BestPractice
        from library.permissions import LIST_ROLES, REVIEW_ROLES
        from office.navigation import NavItem, register

        register_visibility(BestPractice, selectors.visible_cases)
        audit.register_actions(
            {
                "library.created": pgettext_lazy("audit action", "우수사례 작성"),
                "library.updated": pgettext_lazy("audit action", "우수사례 수정"),
                "library.image_removed": pgettext_lazy("audit action", "우수사례 사진 삭제"),
            }
        )
        register(NavItem(_("적극행정 우수사례"), "library:list", roles(*LIST_ROLES)), section="recognition")
        register(NavItem(_("우수사례 검토"), "library:queue", roles(*REVIEW_ROLES)), section="recognition")
        add_demo_step("library", demo.seed)
        indicators.register()
        # a restored database has other published cases than the kept years and windows
        from core.backup import restored

        restored.connect(_forget_after_restore, dispatch_uid="library.forget_after_restore")


def _forget_after_restore(**_kwargs: object) -> None:
    from library.selectors import forget_published_years

    forget_published_years()
