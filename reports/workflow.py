"""The states of a passive administration report and who may move them (ADR 0015).

Case roles: "audit" (AA_OFFICER or AUDIT_STAFF of the report's institution) and
"reporter" (whoever holds the receipt; only the review request).

    received ─triage_not_passive→ not_passive (closed; the reason is shown to the reporter)
    received ─investigate→ investigating ─close→ closed (with an outcome)
    received / investigating ─transfer→ received (at the other institution, with its history)
    closed / not_passive ─request_review→ review_requested (once, with reasons)
    review_requested ─reopen→ investigating (with a handler other than the one who closed it)
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow
from reports.models import Report

S = Report.Status

AUDIT = "audit"
REPORTER = "reporter"

#: States in which the processing deadline runs.
CLOCK_RUNNING = frozenset({S.RECEIVED, S.INVESTIGATING, S.REVIEW_REQUESTED})
#: States in which the audit unit handles the report (the queue's default).
OPEN = (S.RECEIVED, S.INVESTIGATING, S.REVIEW_REQUESTED)
#: States the reporter may ask a review from.
FINISHED = frozenset({S.CLOSED, S.NOT_PASSIVE})


def _review_not_used(report: Report) -> str | None:
    if report.review_requested_at is not None:
        return str(_("재검토는 한 번만 요청할 수 있습니다."))
    return None


REPORT = Workflow(
    "report",
    S,
    [
        Transition("investigate", _("조사 착수"), {S.RECEIVED}, S.INVESTIGATING, roles={AUDIT}),
        Transition(
            "triage_not_passive",
            _("소극행정 아님으로 종결"),
            {S.RECEIVED},
            S.NOT_PASSIVE,
            roles={AUDIT},
            requires_reason=True,
        ),
        Transition(
            "transfer",
            _("다른 기관으로 이송"),
            {S.RECEIVED, S.INVESTIGATING},
            S.RECEIVED,
            roles={AUDIT},
            requires_reason=True,
        ),
        Transition("close", _("처리 결과 등록(종결)"), {S.INVESTIGATING}, S.CLOSED, roles={AUDIT}),
        Transition(
            "request_review",
            _("재검토 요청"),
            FINISHED,
            S.REVIEW_REQUESTED,
            roles={REPORTER},
            requires_reason=True,
            guards=[_review_not_used],
        ),
        Transition("reopen", _("재조사 착수"), {S.REVIEW_REQUESTED}, S.INVESTIGATING, roles={AUDIT}),
    ],
)
