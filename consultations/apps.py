from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User
    from core.access import Actor
    from core.models import Deadline
    from register.links import LinkedCase
    from register.models import WorkItem


def _deadline_recipients(deadline: Deadline) -> Iterable[User]:
    from core.notifications import users_with_roles
    from core.roles import Role

    return users_with_roles(deadline.institution_id, Role.AA_OFFICER, Role.AUDIT_STAFF)


def _linked(item: WorkItem, actor: Actor) -> list[LinkedCase]:
    """The requests about one register entry that the actor may see (one query)."""
    from consultations.selectors import visible_consultations
    from register.links import LinkedCase

    rows = visible_consultations(actor).filter(work_item=item).order_by("-created_at", "-pk")[:200]
    return [
        LinkedCase(
            _("사전컨설팅"),
            str(c),
            c.get_status_display(),
            c.get_absolute_url(),
            c.submitted_on or c.created_at,
        )
        for c in rows
    ]


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = _("사전컨설팅")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from consultations import demo, indicators, selectors
        from consultations.models import Consultation
        from consultations.permissions import QUEUE_ROLES, WRITE_ROLES
        from core import audit
        from core.access import register_visibility, roles
        from core.deadlines import register_deadline_kind
        from institutions.demo import add_demo_step
        from office.navigation import NavItem, register
        from register.links import register_link_provider

        register_visibility(Consultation, selectors.visible_consultations)
        register_deadline_kind(selectors.DEADLINE_KIND, _("사전컨설팅 처리기한"), _deadline_recipients)
        audit.register_actions(
            {
                "consultation.created": pgettext_lazy("audit action", "사전컨설팅 요청 작성"),
                "consultation.updated": pgettext_lazy("audit action", "사전컨설팅 요청 수정"),
                "consultation.presumption_exception": pgettext_lazy("audit action", "면책 추정 예외 기록"),
            }
        )
        register_link_provider("consultations", _("사전컨설팅"), _linked)
        register(NavItem(_("사전컨설팅"), "consultations:list", roles(*WRITE_ROLES)), section="work")
        register(NavItem(_("사전컨설팅 접수·검토"), "consultations:queue", roles(*QUEUE_ROLES)), section="audit")
        add_demo_step("consultations", demo.seed)
        indicators.register()
