"""The states of a best-practice case and who may move them (ADR 0016).

Case roles (computed per case by `case_roles`, never stored):
- "author": the staff member who wrote the case (an official of the institution);
- "reviewer": the institution's active administration officer or HR officer, never on a
  case they wrote themselves.

    draft ─submit→ in_review ─publish→ published
      ↑               │  └─withdraw (author)─┐       │
      └──return (reason)──┘ ←────────────────┘       │
      └────────────── unpublish (reason) ────────────┘
"""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.access import Actor
from core.workflow import Transition, Workflow
from library.models import BestPractice
from library.permissions import REVIEW_ROLES, WRITE_ROLES

S = BestPractice.Status

AUTHOR = "author"
REVIEWER = "reviewer"
CASE_ROLES = (AUTHOR, REVIEWER)

#: States in which the author may change the text, officials and images.
EDITABLE = frozenset({S.DRAFT})


def _complete(case: BestPractice) -> str | None:
    """What a case needs before it goes to review."""
    for name, message in (
        ("problem", gettext("문제 상황을 입력해 주십시오.")),
        ("action", gettext("적극행정 내용을 입력해 주십시오.")),
        ("result", gettext("성과를 입력해 주십시오.")),
    ):
        if not str(getattr(case, name)).strip():
            return message
    return None


LIBRARY = Workflow(
    "library",
    S,
    [
        Transition("submit", _("검토 요청"), {S.DRAFT}, S.IN_REVIEW, roles={AUTHOR}, guards=[_complete]),
        Transition("withdraw", _("검토 요청 취소"), {S.IN_REVIEW}, S.DRAFT, roles={AUTHOR}),
        Transition("publish", _("승인·공개"), {S.IN_REVIEW}, S.PUBLISHED, roles={REVIEWER}),
        Transition("return", _("보완 요청(돌려보냄)"), {S.IN_REVIEW}, S.DRAFT, roles={REVIEWER}, requires_reason=True),
        Transition("unpublish", _("공개 중단"), {S.PUBLISHED}, S.DRAFT, roles={REVIEWER}, requires_reason=True),
    ],
)


def is_reviewer(actor: Actor) -> bool:
    return actor.has(*REVIEW_ROLES)


def is_writer(actor: Actor) -> bool:
    return actor.has(*WRITE_ROLES)


def case_roles(actor: Actor, case: BestPractice) -> frozenset[str]:
    """The actor's roles on this case (empty for another institution)."""
    if actor.institution_id is None or actor.institution_id != case.institution_id or actor.user is None:
        return frozenset()
    found: set[str] = set()
    if case.author_id == actor.user.pk and is_writer(actor):
        found.add(AUTHOR)
    elif is_reviewer(actor):
        found.add(REVIEWER)
    return frozenset(found)
