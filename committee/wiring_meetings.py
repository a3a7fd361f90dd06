"""Registrations of the committee's meetings part (visibility, audit labels, navigation, the
download guard of restricted papers), called from CommitteeConfig.ready()."""

from __future__ import annotations


def ready() -> None:
    from django.utils.translation import gettext_lazy as _
    from django.utils.translation import pgettext_lazy

    from committee import demo, selectors_meetings
    from committee.models import AgendaItem, Meeting
    from committee.services.meetings import restricted_refusal
    from core import audit
    from core.access import register_visibility, roles
    from core.files import register_download_guard
    from core.roles import Role
    from institutions.demo import add_demo_step
    from office.navigation import NavItem, register

    register_visibility(Meeting, selectors_meetings.visible_meetings)
    register_visibility(AgendaItem, selectors_meetings.visible_items)
    register_download_guard(AgendaItem, restricted_refusal, audit_action="committee.restricted_paper_refused")
    audit.register_actions(
        {
            "committee.meeting_created": pgettext_lazy("audit action", "위원회 회의 등록"),
            "committee.meeting_updated": pgettext_lazy("audit action", "위원회 회의 수정"),
            "committee.item_added": pgettext_lazy("audit action", "안건 상정"),
            "committee.item_updated": pgettext_lazy("audit action", "안건 수정"),
            "committee.item_moved": pgettext_lazy("audit action", "안건 순서 변경"),
            "committee.selection_set": pgettext_lazy("audit action", "회의 위원 지명"),
            "committee.attendance_answered": pgettext_lazy("audit action", "회의 참석 여부 응답"),
            "committee.attendance_recorded": pgettext_lazy("audit action", "회의 출석 기록"),
            "committee.restricted_paper_refused": pgettext_lazy("audit action", "열람 제한 자료 열람 거부"),
            "committee.member_account_opened": pgettext_lazy("audit action", "위원 로그인 계정 발급"),
            "committee.member_role_ended": pgettext_lazy("audit action", "해촉에 따른 위원 역할 종료"),
            "committee.member_role_extended": pgettext_lazy("audit action", "연임에 따른 위원 역할 연장"),
        }
    )
    register(
        NavItem(_("회의"), "committee:meetings", roles(*selectors_meetings.MEETING_READERS)),
        NavItem(_("내 회의"), "committee:my_meetings", roles(Role.COMMITTEE_MEMBER)),
        section="committee",
    )
    add_demo_step("committee_meeting", demo.seed_meeting)
