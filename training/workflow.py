"""The states of an enrolment and who may move them (ADR 0023).

Case role: "manager" (HR_OFFICER or AA_OFFICER of the session's institution).

    enrolled ─complete→ completed   (attendance recorded: a Completion is made with it)
    enrolled ─cancel→ cancelled
    cancelled ─reenrol→ enrolled    (enrolling the person again reuses the row)
    completed ─uncomplete→ enrolled (the completion was removed as recorded in error)
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.workflow import Transition, Workflow
from training.models import Enrolment

E = Enrolment.Status

MANAGER = "manager"

ENROLMENT = Workflow(
    "training_enrolment",
    E,
    [
        Transition("complete", _("교육 이수 처리"), {E.ENROLLED}, E.COMPLETED, roles={MANAGER}),
        Transition("cancel", _("수강 취소"), {E.ENROLLED}, E.CANCELLED, roles={MANAGER}),
        Transition("reenrol", _("다시 수강 신청"), {E.CANCELLED}, E.ENROLLED, roles={MANAGER}),
        Transition("uncomplete", _("이수 기록 취소"), {E.COMPLETED}, E.ENROLLED, roles={MANAGER}, requires_reason=True),
    ],
)
