from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RecommendationsConfig(AppConfig):
    name = "recommendations"
    verbose_name = _("국민추천")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from core import audit
        from core.access import register_visibility, roles
        from core.scheduler import register_periodic
        from institutions.demo import add_demo_step
        from office.navigation import NavItem, register
        from portal.follow import Followable, register_followable
        from recommendations import demo, indicators, portal_views, selectors, services, tasks, workflow  # noqa: F401
        from recommendations.models import Recommendation, RecommendationMessage

        register_visibility(Recommendation, selectors.visible_recommendations)
        register_visibility(RecommendationMessage, selectors.visible_messages)
        audit.register_actions(
            {
                "recommendation.submitted": pgettext_lazy("audit action", "국민추천 접수"),
                services.ERASE_ACTION: pgettext_lazy("audit action", "추천인 개인정보 파기"),
                services.NOMINATED_ACTION: pgettext_lazy("audit action", "우수공무원 선발 후보로 등록"),
                services.ROUND_OUTCOME_ACTION: pgettext_lazy("audit action", "우수공무원 선발 결과"),
            }
        )
        register_followable(
            Followable(
                key="recommendations",
                label=_("국민추천"),
                find=services.find_by_digest,
                render=portal_views.status_page,
            )
        )
        register_periodic(
            "recommendation_contact_erasure", tasks.erase_expired_recommender_contacts, every_seconds=24 * 60 * 60
        )
        verifiers = roles(*selectors.VERIFIER_ROLES)
        register(NavItem(_("국민추천 확인"), "recommendations:queue", verifiers), section="recognition")
        add_demo_step("recommendations", demo.seed)
        indicators.register()
