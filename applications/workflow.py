"""The states of a public application for active handling and who may move them (ADR 0018).

Case roles: "handler" (AA_OFFICER or AUDIT_STAFF of the application's institution) and
"committee" (the committee's write-back through committee/linking.py).

    received ─start→ reviewing ─answer→ answered (decision + answer, shown to the applicant)
    reviewing ─refer_consultation→ at_consultation ─resume→ reviewing
    reviewing ─refer_committee→ at_committee ─committee_advised→ reviewing (adopted item)
    at_committee ─resume→ reviewing (taken back before a decision)

The answer deadline (`policy.application_days` working days) runs from receipt to answer,
through consultation and committee; it can be extended with a reason the applicant sees.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from applications.models import Application
from core.workflow import Transition, Workflow

S = Application.Status

HANDLER = "handler"
COMMITTEE = "committee"

#: States in which the answer deadline runs (everything but answered).
OPEN = (S.RECEIVED, S.REVIEWING, S.AT_CONSULTATION, S.AT_COMMITTEE)

APPLICATION = Workflow(
    "application",
    S,
    [
        Transition("start", _("검토 착수"), {S.RECEIVED}, S.REVIEWING, roles={HANDLER}),
        Transition("refer_consultation", _("사전컨설팅 연계"), {S.REVIEWING}, S.AT_CONSULTATION, roles={HANDLER}),
        Transition("refer_committee", _("적극행정위원회 상정 요청"), {S.REVIEWING}, S.AT_COMMITTEE, roles={HANDLER}),
        Transition("committee_advised", _("위원회 심의 결과 기록"), {S.AT_COMMITTEE}, S.REVIEWING, roles={COMMITTEE}),
        Transition(
            "resume",
            _("검토 재개"),
            {S.AT_CONSULTATION, S.AT_COMMITTEE},
            S.REVIEWING,
            roles={HANDLER},
        ),
        Transition("answer", _("신청인에게 답변(종결)"), {S.REVIEWING}, S.ANSWERED, roles={HANDLER}),
    ],
)
