from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ContestsConfig(AppConfig):
    name = "contests"
    verbose_name = _("우수사례 경진대회")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from contests import demo, selectors
        from contests.models import Contest
        from contests.permissions import ORGANISER
        from core import audit
        from core.access import register_visibility
        from institutions.demo import add_demo_step
        from office.navigation import NavItem, register

        register_visibility(Contest, selectors.visible_contests)
        audit.register_actions(
            {
                "contest.created": pgettext_lazy("audit action", "경진대회 등록"),
                "contest.updated": pgettext_lazy("audit action", "경진대회 수정"),
                "contest.entry_added": pgettext_lazy("audit action", "출품작 추가"),
                "contest.entry_removed": pgettext_lazy("audit action", "출품작 취소"),
                "contest.judge_assigned": pgettext_lazy("audit action", "심사위원 지정"),
                "contest.judge_removed": pgettext_lazy("audit action", "심사위원 지정 해제"),
                "contest.preliminary_scored": pgettext_lazy("audit action", "예선 채점"),
                "contest.expert_scored": pgettext_lazy("audit action", "본선 전문가 채점"),
                "contest.panel_scored": pgettext_lazy("audit action", "국민심사단 점수 입력"),
                "contest.grades_assigned": pgettext_lazy("audit action", "수상 등급 결정"),
                "contest.vote_cast": pgettext_lazy("audit action", "국민 투표"),
                "contest.vote_rate_limited": pgettext_lazy("audit action", "투표 확인 코드 시도 제한"),
            }
        )
        # Organisers by role (no query on every page); judges reach their scoring pages from the
        # notification of their assignment, which links to the list.
        register(NavItem(_("우수사례 경진대회"), "contests:list", ORGANISER), section="recognition")
        add_demo_step("contests", demo.seed)
