"""Registrations of the committee's deliberation part (visibility, audit labels, navigation, ...),
called from CommitteeConfig.ready()."""

from __future__ import annotations


def ready() -> None:
    from django.utils.translation import pgettext_lazy

    from committee.services import deliberation as d
    from core import audit

    audit.register_actions(
        {
            d.DECLARED: pgettext_lazy("audit action", "이해충돌 신고"),
            d.DECLARATION_CHANGED: pgettext_lazy("audit action", "이해충돌 신고 변경"),
            d.CHALLENGE_RAISED: pgettext_lazy("audit action", "기피 신청 접수"),
            d.CHALLENGE_VOTE_CAST: pgettext_lazy("audit action", "기피 신청 표결"),
            d.CHALLENGE_SELF_VOTE_REFUSED: pgettext_lazy("audit action", "기피 대상 위원의 표결 거부"),
            d.VOTE_CAST: pgettext_lazy("audit action", "안건 표결"),
            d.VOTE_CHANGED: pgettext_lazy("audit action", "안건 표결 변경"),
            d.VOTE_REMOVED: pgettext_lazy("audit action", "기피 인용으로 표결 삭제"),
            d.RECUSED_VOTE_REFUSED: pgettext_lazy("audit action", "제척·기피·회피 위원의 표결 거부"),
        }
    )
