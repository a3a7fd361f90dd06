from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LessonsConfig(AppConfig):
    name = "lessons"
    verbose_name = _("소극행정 사례 공유")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import audit
        from core.access import LOGIN, register_visibility, roles
        from institutions.demo import add_demo_step
        from lessons import demo, selectors
        from lessons.models import Lesson
        from lessons.workflow import AUDIT_ROLES
        from office.navigation import NavItem, register

        register_visibility(Lesson, selectors.visible_lessons)
        audit.register_actions(
            {
                "lesson.created": pgettext_lazy("audit action", "징계 사례 작성 시작"),
                "lesson.updated": pgettext_lazy("audit action", "징계 사례 수정"),
            }
        )
        register(NavItem(_("소극행정 징계 사례집"), "lessons:casebook", LOGIN), section="audit")
        register(NavItem(_("징계 사례 작성·공유"), "lessons:office", roles(*AUDIT_ROLES)), section="audit")
        add_demo_step("lessons", demo.seed)
