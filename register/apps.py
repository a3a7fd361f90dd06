from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RegisterConfig(AppConfig):
    name = "register"
    verbose_name = _("업무 등록부")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import audit
        from core.access import register_visibility, roles
        from core.importer import register_spec
        from institutions import importers as institution_importers
        from office.navigation import NavItem, register
        from register import importers, selectors
        from register.models import WorkItem
        from register.permissions import READ_ROLES

        register_visibility(WorkItem, selectors.visible_work_items)
        audit.register_actions(
            {
                "register.work_item_created": pgettext_lazy("audit action", "업무 등록"),
                "register.work_item_updated": pgettext_lazy("audit action", "업무 정보 수정"),
            }
        )
        register_spec(importers.SPEC)
        # The units/people import specs live in institutions/importers.py; registered here
        # until institutions/apps.py does it (registering twice is harmless).
        register_spec(institution_importers.UNITS)
        register_spec(institution_importers.PEOPLE)
        register(NavItem(_("업무 등록부"), "register:list", roles(*READ_ROLES)), section="work")

        # The shared importer's clean-up of abandoned previews (core/tasks_import.py).
        from core.scheduler import register_periodic
        from core.tasks_import import expire_import_previews

        register_periodic("expire_import_previews", expire_import_previews, every_seconds=6 * 60 * 60)
