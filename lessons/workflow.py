"""The states of a shared lesson and who may move them (ADR 0019).

Case roles (computed per lesson by `case_roles`, never stored):
- "author": the audit unit of the lesson's institution (AA officer, audit staff), who
  prepare lessons from the institution's reports;
- "reviewer": an AA officer of the institution who neither wrote nor changed the text
  (four eyes on the anonymisation).

    draft / returned ─submit→ in_review ─publish (anonymisation confirmed)→ published
    in_review ─return (reason)→ returned (edited, then submitted again)
    published ─withdraw (reason)→ withdrawn ─revise→ draft

Submitting and publishing refuse a text that still holds a name, unit, number or contact
of the case (lessons/anonymity.py).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.access import Actor
from core.roles import Role
from core.workflow import Transition, Workflow
from lessons.models import Lesson

S = Lesson.Status

AUTHOR = "author"
REVIEWER = "reviewer"
CASE_ROLES = (AUTHOR, REVIEWER)

#: who prepares lessons (the audit unit) and who may publish them
AUDIT_ROLES = (Role.AA_OFFICER, Role.AUDIT_STAFF)
REVIEW_ROLES = (Role.AA_OFFICER,)

#: states in which the audit unit may change the text
EDITABLE = frozenset({S.DRAFT, S.RETURNED})


LESSONS = Workflow(
    "lesson",
    S,
    [
        Transition("submit", _("검토 요청"), EDITABLE, S.IN_REVIEW, roles={AUTHOR}),
        Transition(
            "return", _("보완 요청(돌려보냄)"), {S.IN_REVIEW}, S.RETURNED, roles={REVIEWER}, requires_reason=True
        ),
        Transition("publish", _("비식별 확인 후 공유"), {S.IN_REVIEW}, S.PUBLISHED, roles={REVIEWER}),
        Transition(
            "withdraw", _("공유 중단"), {S.PUBLISHED}, S.WITHDRAWN, roles={AUTHOR, REVIEWER}, requires_reason=True
        ),
        Transition("revise", _("다시 고치기"), {S.WITHDRAWN}, S.DRAFT, roles={AUTHOR}),
    ],
)


def is_audit(actor: Actor) -> bool:
    return actor.institution_id is not None and actor.has(*AUDIT_ROLES)


def case_roles(actor: Actor, lesson: Lesson) -> frozenset[str]:
    """The actor's roles on this lesson (empty for another institution)."""
    if actor.user is None or actor.institution_id is None or actor.institution_id != lesson.institution_id:
        return frozenset()
    found: set[str] = set()
    if actor.has(*AUDIT_ROLES):
        found.add(AUTHOR)
    wrote = actor.user.pk == lesson.author_id or actor.user.pk in (lesson.writer_ids or [])
    if actor.has(*REVIEW_ROLES) and not wrote:
        found.add(REVIEWER)
    return frozenset(found)
