"""The only code that writes contests (ADR 0020): settings, entries, judges, scores, the
finalists, grades and the workflow. Each service locks the contest, checks, saves and
audits in one transaction; notifications go out on commit. The public vote is in
contests/voting.py."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from contests.models import MAX_SCORE, Contest, ContestJudge, Entry, FinalScore, PreliminaryReview
from contests.permissions import is_organiser
from contests.workflow import CONTEST, EDITABLE, ENTRY_STATES, FINAL_STATES, contest_roles
from core import audit, notifications, numbering
from core.access import Actor
from core.errors import DomainError, TransitionNotAllowed
from library.models import BestPractice
from library.selectors import visible_cases

MAX_TEXT = 5_000
MAX_COMMENT = 2_000
FIELDS = [
    "title",
    "description",
    "scope",
    "entry_opens_on",
    "entry_closes_on",
    "vote_opens_at",
    "vote_closes_at",
    "weight_panel",
    "weight_expert",
    "weight_public",
    "finalists",
]


@dataclass(frozen=True)
class Settings:
    """What the organiser types for a contest."""

    title: str
    entry_opens_on: datetime.date
    entry_closes_on: datetime.date
    weight_panel: int
    weight_expert: int
    weight_public: int
    finalists: int
    description: str = ""
    scope: str = Contest.Scope.INTERNAL
    vote_opens_at: datetime.datetime | None = None
    vote_closes_at: datetime.datetime | None = None


def _refuse(message: str, field: str | None = None) -> TransitionNotAllowed:
    return TransitionNotAllowed(message, field=field)


def check_weights(panel: Any, expert: Any, public: Any) -> None:
    """Each weight a whole number from 0 to 100, the three summing to 100."""
    for name, value in (("weight_panel", panel), ("weight_expert", expert), ("weight_public", public)):
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_SCORE:
            raise DomainError(_("비중은 0에서 100 사이의 정수로 입력해 주십시오."), field=name)
    if panel + expert + public != MAX_SCORE:
        raise DomainError(
            _("세 비중의 합이 100이어야 합니다(지금 %(total)d).") % {"total": panel + expert + public},
            field="weight_public",
        )


def _values(data: Settings) -> dict[str, Any]:
    title = " ".join((data.title or "").split())
    if not title:
        raise DomainError(_("대회 이름을 입력해 주십시오."), field="title")
    if len(title) > 200:
        raise DomainError(_("대회 이름은 200자까지 쓸 수 있습니다."), field="title")
    description = (data.description or "").strip()
    if len(description) > MAX_TEXT:
        raise DomainError(_("소개는 %(n)s자까지 쓸 수 있습니다.") % {"n": f"{MAX_TEXT:,}"}, field="description")
    if data.scope not in Contest.Scope.values:
        raise DomainError(_("구분을 목록에서 골라 주십시오."), field="scope")
    if data.entry_closes_on < data.entry_opens_on:
        raise DomainError(_("출품 마감일은 시작일과 같거나 뒤여야 합니다."), field="entry_closes_on")
    if (data.vote_opens_at is None) != (data.vote_closes_at is None):
        raise DomainError(_("투표 시작과 마감을 함께 입력해 주십시오."), field="vote_closes_at")
    if data.vote_opens_at is not None and data.vote_closes_at is not None:
        if data.vote_closes_at <= data.vote_opens_at:
            raise DomainError(_("투표 마감은 시작보다 뒤여야 합니다."), field="vote_closes_at")
        if data.vote_opens_at.date() < data.entry_closes_on:
            raise DomainError(_("국민 투표는 출품 마감 뒤에 시작해야 합니다."), field="vote_opens_at")
    check_weights(data.weight_panel, data.weight_expert, data.weight_public)
    if not isinstance(data.finalists, int) or not 1 <= data.finalists <= 50:
        raise DomainError(_("본선 진출 수는 1에서 50 사이로 입력해 주십시오."), field="finalists")
    return {
        "title": title,
        "description": description,
        "scope": data.scope,
        "entry_opens_on": data.entry_opens_on,
        "entry_closes_on": data.entry_closes_on,
        "vote_opens_at": data.vote_opens_at,
        "vote_closes_at": data.vote_closes_at,
        "weight_panel": data.weight_panel,
        "weight_expert": data.weight_expert,
        "weight_public": data.weight_public,
        "finalists": data.finalists,
    }


def _lock(contest: Contest) -> Contest:
    return Contest.objects.select_for_update().get(pk=contest.pk)


def _check_organiser(actor: Actor, contest: Contest) -> None:
    if not contest_roles(actor, contest):
        raise _refuse(_("경진대회 담당자(적극행정 책임관·인사 담당자)만 할 수 있습니다."))


def _refresh(stale: Contest, fresh: Contest) -> None:
    if stale is not fresh:
        stale.__dict__.update({k: v for k, v in fresh.__dict__.items() if not k.startswith("_")})


def _state_error(contest: Contest) -> TransitionNotAllowed:
    return _refuse(_("현재 상태(%(state)s)에서는 할 수 없습니다.") % {"state": CONTEST.label_of(contest.status)})


# --- The contest ----------------------------------------------------------------------


def contest_create(*, actor: Actor, data: Settings) -> Contest:
    """An organiser opens a contest (state draft), numbered per institution and year."""
    if not is_organiser(actor) or actor.user is None or actor.institution_id is None:
        raise _refuse(_("경진대회 담당자(적극행정 책임관·인사 담당자)만 할 수 있습니다."))
    values = _values(data)
    year = data.entry_opens_on.year
    with transaction.atomic():
        number = numbering.next_number(institution_id=actor.institution_id, series="contest", year=year)
        contest = Contest.objects.create(
            institution_id=actor.institution_id, organiser=actor.user, year=year, number=number, **values
        )
        audit.record(actor=actor, action="contest.created", target=contest, changes=audit.snapshot(contest, FIELDS))
    return contest


def contest_update(*, actor: Actor, contest: Contest, data: Settings) -> Contest:
    """The organiser changes the settings until the public vote opens."""
    values = _values(data)
    with transaction.atomic():
        current = _lock(contest)
        _check_organiser(actor, current)
        if current.status not in EDITABLE:
            raise _state_error(current)
        audit.save_changes(current, values, fields=FIELDS, actor=actor, action="contest.updated")
    _refresh(contest, current)
    return current


def contest_act(*, actor: Actor, contest: Contest, action: str) -> Contest:
    """One step of the workflow without a form: open entries, start the preliminary round,
    open or close the vote, publish the results."""
    if action not in {"open_entries", "start_preliminary", "open_vote", "close_vote", "publish"}:
        raise _refuse(_("알 수 없는 처리입니다."))
    with transaction.atomic():
        current = _lock(contest)
        fields: list[str] = []
        if action == "publish":
            current.published_at = timezone.now()
            fields.append("published_at")
        CONTEST.apply(current, action, actor=actor, roles=contest_roles(actor, current), update_fields=fields)
        if action == "start_preliminary":
            _tell_judges(current, ContestJudge.Kind.PRELIMINARY, _("우수사례 경진대회 예선 심사 요청"))
    _refresh(contest, current)
    return current


def _tell_judges(contest: Contest, kind: str, title: str) -> None:
    users = User.objects.filter(pk__in=contest.judges.filter(kind=kind).values("user_id"))
    notifications.notify(
        recipients=users,
        title=f"{title}: {contest.title}"[:200],
        url=_scoring_url(contest, kind),
        institution=contest.institution,
    )


def _scoring_url(contest: Contest, kind: str) -> str:
    from django.urls import reverse

    name = "contests:preliminary" if kind == ContestJudge.Kind.PRELIMINARY else "contests:expert"
    return reverse(name, kwargs={"pk": contest.pk})


# --- Entries ----------------------------------------------------------------------------


def entry_add(*, actor: Actor, contest: Contest, case: BestPractice) -> Entry:
    """The organiser enters a case of the institution's library (one entry per case)."""
    with transaction.atomic():
        current = _lock(contest)
        _check_organiser(actor, current)
        if current.status not in ENTRY_STATES:
            raise _state_error(current)
        if case.institution_id != current.institution_id or not visible_cases(actor).filter(pk=case.pk).exists():
            raise DomainError(_("이 기관의 우수사례를 골라 주십시오."), field="case")
        if current.entries.filter(best_practice=case).exists():
            raise DomainError(_("이미 출품한 사례입니다."), field="case")
        assert actor.user is not None
        entry = Entry.objects.create(contest=current, best_practice=case, added_by=actor.user)
        audit.record(
            actor=actor, action="contest.entry_added", target=current, changes={"entry": entry.pk, "case": case.title}
        )
    return entry


def entry_remove(*, actor: Actor, contest: Contest, entry: Entry) -> None:
    with transaction.atomic():
        current = _lock(contest)
        _check_organiser(actor, current)
        if current.status not in ENTRY_STATES:
            raise _state_error(current)
        found = current.entries.filter(pk=entry.pk).select_related("best_practice").first()
        if found is None:
            raise DomainError(_("이 대회의 출품작이 아닙니다."))
        audit.record(
            actor=actor,
            action="contest.entry_removed",
            target=current,
            changes={"entry": found.pk, "case": found.best_practice.title},
        )
        found.delete()


# --- Judges -----------------------------------------------------------------------------


def judge_assign(*, actor: Actor, contest: Contest, user: User, kind: str) -> ContestJudge:
    with transaction.atomic():
        current = _lock(contest)
        _check_organiser(actor, current)
        if current.results_open:
            raise _state_error(current)
        if kind not in ContestJudge.Kind.values:
            raise DomainError(_("심사 구분을 목록에서 골라 주십시오."), field="kind")
        if not user.is_active or user.institution_id != current.institution_id:
            raise DomainError(_("이 기관의 직원만 심사위원으로 지정할 수 있습니다."), field="user")
        if current.judges.filter(user=user, kind=kind).exists():
            raise DomainError(_("이미 지정한 심사위원입니다."), field="user")
        judge = ContestJudge.objects.create(contest=current, user=user, kind=kind)
        audit.record(
            actor=actor, action="contest.judge_assigned", target=current, changes={"user": str(user), "kind": kind}
        )
        # inside the transaction: the notice is rolled back with the assignment, its e-mail waits for commit
        notifications.notify(
            recipients=[user],
            title=f"{_('우수사례 경진대회 심사위원으로 지정되었습니다')}: {current.title}"[:200],
            url=_scoring_url(current, kind),
            institution=current.institution,
        )
    return judge


def judge_remove(*, actor: Actor, contest: Contest, judge: ContestJudge) -> None:
    with transaction.atomic():
        current = _lock(contest)
        _check_organiser(actor, current)
        if current.results_open:
            raise _state_error(current)
        found = current.judges.filter(pk=judge.pk).select_related("user").first()
        if found is None:
            raise DomainError(_("이 대회의 심사위원이 아닙니다."))
        audit.record(
            actor=actor,
            action="contest.judge_removed",
            target=current,
            changes={"user": str(found.user), "kind": found.kind},
        )
        found.delete()


def is_assigned(actor: Actor, contest: Contest, kind: str) -> bool:
    return (
        actor.user is not None
        and actor.institution_id == contest.institution_id
        and contest.judges.filter(user=actor.user, kind=kind).exists()
    )


# --- Scores -----------------------------------------------------------------------------

Scores = Mapping[int, tuple[int, str]]


def _check_scores(scores: Scores, allowed: set[int]) -> None:
    for entry_pk, (score, comment) in scores.items():
        if entry_pk not in allowed:
            raise DomainError(_("이 대회에서 심사할 출품작이 아닙니다."))
        if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= MAX_SCORE:
            raise DomainError(_("점수는 0에서 100 사이의 정수로 입력해 주십시오."), field=f"score_{entry_pk}")
        if len(comment or "") > MAX_COMMENT:
            raise DomainError(
                _("의견은 %(n)s자까지 쓸 수 있습니다.") % {"n": f"{MAX_COMMENT:,}"}, field=f"comment_{entry_pk}"
            )


def preliminary_score(*, actor: Actor, contest: Contest, scores: Scores) -> int:
    """A preliminary reviewer scores entries (a later score replaces the reviewer's own)."""
    with transaction.atomic():
        current = _lock(contest)
        if not is_assigned(actor, current, ContestJudge.Kind.PRELIMINARY):
            raise _refuse(_("이 대회의 예선 심사위원만 채점할 수 있습니다."))
        if current.status != Contest.Status.PRELIMINARY:
            raise _state_error(current)
        _check_scores(scores, set(current.entries.values_list("pk", flat=True)))
        assert actor.user is not None
        for entry_pk, (score, comment) in scores.items():
            PreliminaryReview.objects.update_or_create(
                entry_id=entry_pk, reviewer=actor.user, defaults={"score": score, "comment": (comment or "").strip()}
            )
        if scores:
            audit.record(
                actor=actor,
                action="contest.preliminary_scored",
                target=current,
                changes={"scores": {str(k): v[0] for k, v in sorted(scores.items())}},
            )
    return len(scores)


def expert_score(*, actor: Actor, contest: Contest, scores: Scores) -> int:
    """An expert scores the finalists (a later score replaces the expert's own)."""
    with transaction.atomic():
        current = _lock(contest)
        if not is_assigned(actor, current, ContestJudge.Kind.EXPERT):
            raise _refuse(_("이 대회의 본선 전문가 심사위원만 채점할 수 있습니다."))
        if current.status not in FINAL_STATES:
            raise _state_error(current)
        _check_scores(scores, set(current.entries.filter(status=Entry.Status.FINALIST).values_list("pk", flat=True)))
        assert actor.user is not None
        for entry_pk, (score, comment) in scores.items():
            FinalScore.objects.update_or_create(
                entry_id=entry_pk, expert=actor.user, defaults={"score": score, "comment": (comment or "").strip()}
            )
        if scores:
            audit.record(
                actor=actor,
                action="contest.expert_scored",
                target=current,
                changes={"scores": {str(k): v[0] for k, v in sorted(scores.items())}},
            )
    return len(scores)


def panel_score(*, actor: Actor, contest: Contest, scores: Mapping[int, int | None]) -> int:
    """The organiser enters the citizen panel's score of each finalist (blank clears it)."""
    with transaction.atomic():
        current = _lock(contest)
        _check_organiser(actor, current)
        if current.status not in FINAL_STATES:
            raise _state_error(current)
        finalists = {e.pk: e for e in current.entries.filter(status=Entry.Status.FINALIST)}
        _check_scores({k: (v if v is not None else 0, "") for k, v in scores.items()}, set(finalists))
        changed: dict[str, Any] = {}
        for entry_pk, score in scores.items():
            entry = finalists[entry_pk]
            if entry.panel_score != score:
                changed[str(entry_pk)] = [entry.panel_score, score]
                entry.panel_score = score
                entry.save(update_fields=["panel_score", "updated_at"])
        if changed:
            audit.record(actor=actor, action="contest.panel_scored", target=current, changes={"panel": changed})
    return len(changed)


def select_finalists(*, actor: Actor, contest: Contest, entry_ids: list[int]) -> Contest:
    """The organiser confirms the finalists (the top N proposed, or chosen by hand); the
    others are eliminated and the contest moves to the final."""
    with transaction.atomic():
        current = _lock(contest)
        _check_organiser(actor, current)
        if current.status != Contest.Status.PRELIMINARY:
            raise _state_error(current)
        entries = {e.pk: e for e in current.entries.select_related("best_practice")}
        chosen = set(entry_ids)
        if not chosen:
            raise DomainError(_("본선 진출작을 한 건 이상 골라 주십시오."), field="entries")
        if chosen - set(entries):
            raise DomainError(_("이 대회의 출품작만 고를 수 있습니다."), field="entries")
        current.entries.filter(pk__in=chosen).update(status=Entry.Status.FINALIST, updated_at=timezone.now())
        current.entries.exclude(pk__in=chosen).update(status=Entry.Status.ELIMINATED, updated_at=timezone.now())
        CONTEST.apply(
            current,
            "select_finalists",
            actor=actor,
            roles=contest_roles(actor, current),
            changes={"finalists": sorted(entries[pk].best_practice.title for pk in chosen)},
        )
        _tell_judges(current, ContestJudge.Kind.EXPERT, _("우수사례 경진대회 본선 심사 요청"))
    _refresh(contest, current)
    return current


def assign_grades(*, actor: Actor, contest: Contest, grades: Mapping[int, str]) -> int:
    """The organiser sets the grade of each finalist once the vote closed ("" for none)."""
    with transaction.atomic():
        current = _lock(contest)
        _check_organiser(actor, current)
        if current.status != Contest.Status.CLOSED:
            raise _state_error(current)
        finalists = {e.pk: e for e in current.entries.filter(status=Entry.Status.FINALIST)}
        changed: dict[str, Any] = {}
        for entry_pk, grade in grades.items():
            if entry_pk not in finalists:
                raise DomainError(_("본선 진출작에만 등급을 줄 수 있습니다."))
            if grade and grade not in Entry.Grade.values:
                raise DomainError(_("수상 등급을 목록에서 골라 주십시오."), field=f"grade_{entry_pk}")
            entry = finalists[entry_pk]
            if entry.grade != grade:
                changed[str(entry_pk)] = [entry.grade, grade]
                entry.grade = grade
                entry.save(update_fields=["grade", "updated_at"])
        if changed:
            audit.record(actor=actor, action="contest.grades_assigned", target=current, changes={"grades": changed})
    return len(changed)
