"""The states of a periodic check report (ADR 0024).

    queued ─start→ running ─finish→ done
    running ─fail→ failed;  queued ─fail→ failed (the task could not start)

"requester" (HEAD, AA_OFFICER or SUPERVISOR) asks for it; "system" (the background task)
moves it on. A failed report stays in the archive with its error; asking again makes a new one.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow
from oversight.models import CheckReport

S = CheckReport.Status
SYSTEM = "system"

REPORT = Workflow(
    "check_report",
    S,
    [
        Transition("start", _("점검 보고서 작성 시작"), {S.QUEUED}, S.RUNNING, roles={SYSTEM}),
        Transition("finish", _("점검 보고서 작성 완료"), {S.RUNNING}, S.DONE, roles={SYSTEM}),
        Transition("fail", _("점검 보고서 작성 실패"), {S.QUEUED, S.RUNNING}, S.FAILED, roles={SYSTEM}),
    ],
)
