from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from collections.abc import Iterable

    from accounts.models import User
    from core.models import Deadline


def _incentive_recipients(deadline: Deadline) -> Iterable[User]:
    """An incentive's reminders go to its responsible HR officer (all HR officers when none
    is named) and to the active administration officer."""
    from core.notifications import users_with_roles
    from core.roles import Role
    from rewards.models import Incentive

    incentive = Incentive.objects.filter(pk=deadline.object_id).select_related("responsible").first()
    people = {u.pk: u for u in users_with_roles(deadline.institution_id, Role.AA_OFFICER)}
    if incentive is not None and incentive.responsible is not None and incentive.responsible.is_active:
        people[incentive.responsible.pk] = incentive.responsible
    else:
        people.update({u.pk: u for u in users_with_roles(deadline.institution_id, Role.HR_OFFICER)})
    return list(people.values())


class RewardsConfig(AppConfig):
    name = "rewards"
    verbose_name = _("우수공무원 선발·인센티브")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import audit
        from core.access import LOGIN, register_visibility, roles
        from core.deadlines import register_deadline_kind
        from institutions.demo import add_demo_step
        from office.navigation import NavItem, register
        from office.selectors import register_deadline_roles
        from rewards import demo, indicators, links, selectors
        from rewards.models import Candidate, Incentive, Round

        register_visibility(Round, selectors.visible_rounds)
        register_visibility(Candidate, selectors.visible_candidates)
        register_visibility(Incentive, selectors.visible_incentives)
        register_deadline_kind(selectors.DEADLINE_KIND, _("인센티브 시행 기한"), _incentive_recipients)
        register_deadline_roles(selectors.DEADLINE_KIND, *selectors.HR_ROLES)
        links.register()
        audit.register_actions(
            {
                "reward_round.created": pgettext_lazy("audit action", "우수공무원 선발 계획"),
                "reward_round.updated": pgettext_lazy("audit action", "우수공무원 선발 계획 변경"),
                "reward.nominated": pgettext_lazy("audit action", "우수공무원 후보 추천"),
                "reward.withdrawn": pgettext_lazy("audit action", "우수공무원 후보 철회"),
                "reward.conflict_recorded": pgettext_lazy("audit action", "심사 이해충돌 기록"),
                "reward.scored": pgettext_lazy("audit action", "우수공무원 후보 평가"),
                "incentive.planned": pgettext_lazy("audit action", "인센티브 계획"),
                "incentive.entitled": pgettext_lazy("audit action", "특별승진 대상 등록"),
                "commendation.recorded": pgettext_lazy("audit action", "포상 기록"),
            }
        )
        add_demo_step("rewards", demo.seed)
        register(
            NavItem(_("우수공무원 선발"), "rewards:rounds", LOGIN),
            NavItem(_("인센티브 이행"), "rewards:incentives", roles(*selectors.ORGANISER_ROLES)),
            section="recognition",
        )
        indicators.register()
