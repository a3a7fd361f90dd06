"""Registrations of the committee's requests part (visibility, audit labels, navigation, ...),
called from CommitteeConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def demo_seed() -> int:
    """One submitted advice request of the demo official of 새솔구 (a second run adds nothing)."""
    from accounts.models import User
    from committee.models import AdviceRequest
    from committee.services.requests import advice_request_submit
    from core.access import actor_for

    official = User.objects.filter(username="official", institution__code="SAESOL").first()
    if official is None or official.person_id is None:
        return 0
    title = "공사장 가설 울타리의 도로점용 허가 대상 여부"
    if AdviceRequest.objects.filter(requester_id=official.person_id, title=title).exists():
        return 0
    advice_request_submit(
        actor=actor_for(official),
        title=title,
        task="도로에 접한 건축공사장의 가설 울타리가 보도 일부(폭 0.5m)를 3개월간 차지합니다.",
        rule="도로법 제61조의 '도로의 점용'에 임시 가설물이 포함되는지, 점용료 감면 대상인지 분명하지 않습니다.",
        options="1안: 도로점용 허가와 점용료 부과. 2안: 안전시설로 보아 허가 없이 처리. 3안: 허가하되 감면.",
    )
    return 1


def ready() -> None:
    import exemptions.services.committee  # noqa: F401 - registers its audit label
    from committee import links, selectors_requests
    from committee.models import AdviceRequest, Opinion
    from committee.services import opinions
    from core import audit
    from core.access import register_visibility, roles
    from core.deadlines import register_deadline_kind
    from core.roles import AUDIT_ROLES, Role
    from institutions.demo import add_demo_step
    from office.navigation import NavItem, register

    register_visibility(AdviceRequest, selectors_requests.visible_requests)
    register_visibility(Opinion, selectors_requests.visible_opinions)
    register_deadline_kind(opinions.DEADLINE_KIND, _("위원회 감사부서 의견 제출기한"), opinions.deadline_recipients)
    audit.register_actions(
        {
            "committee.advice_request_submitted": pgettext_lazy("audit action", "위원회 자문 요청"),
            "committee.opinion_recorded": pgettext_lazy("audit action", "위원회 의견 접수 기록"),
            "committee.audit_opinion_requested": pgettext_lazy("audit action", "감사부서 의견 요청"),
            "committee.audit_opinion_extended": pgettext_lazy("audit action", "감사부서 의견 제출기한 연장"),
        }
    )
    links.register()
    register(
        NavItem(_("위원회 자문 요청"), "committee:advice_request_mine", roles(Role.OFFICIAL)),
        section="work",
    )
    register(
        NavItem(_("자문 요청 접수"), "committee:advice_request_queue", roles(Role.COMMITTEE_SECRETARY)),
        section="committee",
    )
    register(
        NavItem(_("위원회 의견 요청"), "committee:opinion_queue", roles(*AUDIT_ROLES)),
        section="audit",
    )
    add_demo_step("committee_requests", demo_seed)
