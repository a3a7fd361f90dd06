"""Every change to a selection round, its candidates and the incentives (ADR 0021). Each is
one transaction: lock, check the workflow and the rules, change, audit; notifications go out
on commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committee.models import CommitteeMember
from core import audit, deadlines, files
from core.access import Actor
from core.errors import DomainError, TransitionNotAllowed
from core.models import Deadline
from core.notifications import notify, users_with_roles
from core.numbering import document_reference, next_number
from core.roles import Role
from institutions.models import Institution, Person
from portal.public import clean_text
from rewards.models import (
    CRITERIA,
    SCORE_MAX,
    SCORE_MIN,
    Candidate,
    Commendation,
    Conflict,
    Incentive,
    Nomination,
    Round,
    Score,
)
from rewards.selectors import DEADLINE_KIND, is_hr, is_organiser, member_of
from rewards.workflow import HR, INCENTIVE, ORGANISER, ROUND

NUMBER_SERIES = "reward_round"
NUMBER_PREFIX = "우수공무원선발"
EVIDENCE = "nomination_evidence"
EXECUTION = "incentive_evidence"
#: days HR has to act on a special-promotion entitlement from a national commendation
ENTITLEMENT_DAYS = 90
MAX_FILES = 5


# --- Helpers ---------------------------------------------------------------------------


def round_roles(actor: Actor, round_: Round) -> set[str]:
    return {ORGANISER} if is_organiser(actor) and actor.institution_id == round_.institution_id else set()


def incentive_roles(actor: Actor, incentive: Incentive) -> set[str]:
    if actor.institution_id != incentive.institution_id:
        return set()
    held = set()
    if is_organiser(actor):
        held.add(ORGANISER)
    if is_hr(actor):
        held.add(HR)
    return held


def _lock_round(round_: Round) -> Round:
    return Round.objects.select_for_update(of=("self",)).select_related("institution").get(pk=round_.pk)


def _lock_candidate(candidate: Candidate) -> Candidate:
    return Candidate.objects.select_for_update(of=("self",)).select_related("round", "person").get(pk=candidate.pk)


def _refuse(message: str, field: str | None = None) -> TransitionNotAllowed:
    return TransitionNotAllowed(message, field=field)


def _require_organiser(actor: Actor, round_: Round) -> None:
    if not round_roles(actor, round_):
        raise _refuse(_("이 선발을 관리할 권한이 없습니다."))


def _check_dates(opens: datetime.date | None, closes: datetime.date | None) -> tuple[datetime.date, datetime.date]:
    if opens is None:
        raise DomainError(_("후보 접수 시작일을 입력해 주십시오."), field="nominations_open")
    if closes is None:
        raise DomainError(_("후보 접수 마감일을 입력해 주십시오."), field="nominations_close")
    if closes < opens:
        raise DomainError(_("마감일이 시작일보다 빠릅니다."), field="nominations_close")
    return opens, closes


def _check_count(select_count: int | None) -> int:
    if select_count is None or not 1 <= int(select_count) <= 1000:
        raise DomainError(_("선발 인원은 1명에서 1,000명 사이로 입력해 주십시오."), field="select_count")
    return int(select_count)


# --- Rounds ------------------------------------------------------------------------------


def round_create(
    *,
    actor: Actor,
    title: str,
    year: int,
    period: str,
    nominations_open: datetime.date | None,
    nominations_close: datetime.date | None,
    select_count: int | None,
    meeting: Any = None,
) -> Round:
    """A new round of the actor's institution, with the policy's weights of today."""
    from institutions.selectors import policy_of

    if not is_organiser(actor) or actor.institution is None:
        raise _refuse(_("우수공무원 선발을 만들 권한이 없습니다."))
    institution: Institution = actor.institution
    title = clean_text(title, "title", limit=200)
    if period not in Round.Period.values:
        raise DomainError(_("기간을 선택해 주십시오."), field="period")
    if not 2000 <= int(year or 0) <= 2100:
        raise DomainError(_("연도를 확인해 주십시오."), field="year")
    policy = policy_of(institution)
    annual = policy.selection_frequency == policy.SelectionFrequency.ANNUAL
    if annual != (period == Round.Period.ANNUAL):
        raise DomainError(
            _("기관 정책의 선발 주기(%(f)s)와 맞지 않는 기간입니다.") % {"f": policy.get_selection_frequency_display()},
            field="period",
        )
    opens, closes = _check_dates(nominations_open, nominations_close)
    count = _check_count(select_count)
    _check_meeting(meeting, institution.pk)
    try:
        with transaction.atomic():
            n = next_number(institution_id=institution.pk, series=NUMBER_SERIES, year=year)
            round_ = Round.objects.create(
                institution=institution,
                number=document_reference(prefix=NUMBER_PREFIX, year=year, number=n),
                title=title,
                year=year,
                period=period,
                nominations_open=opens,
                nominations_close=closes,
                select_count=count,
                meeting=meeting,
                created_by=actor.user,
                **{field: getattr(policy, field) for _key, _label, field in CRITERIA},
            )
            audit.record(
                actor=actor,
                action="reward_round.created",
                target=round_,
                changes={"year": year, "period": period, "select_count": count, "weights": round_.weights},
            )
    except IntegrityError as exc:
        raise DomainError(_("같은 기간의 선발이 이미 있습니다."), field="period") from exc
    return round_


def _check_meeting(meeting: Any, institution_id: int) -> None:
    if meeting is not None and meeting.institution_id != institution_id:
        raise DomainError(_("이 기관의 위원회 회의를 선택해 주십시오."), field="meeting")


def round_update(
    *,
    actor: Actor,
    round_: Round,
    title: str,
    nominations_open: datetime.date | None,
    nominations_close: datetime.date | None,
    select_count: int | None,
    meeting: Any = None,
) -> Round:
    title = clean_text(title, "title", limit=200)
    opens, closes = _check_dates(nominations_open, nominations_close)
    count = _check_count(select_count)
    with transaction.atomic():
        current = _lock_round(round_)
        _require_organiser(actor, current)
        if current.status not in {Round.Status.DRAFT, Round.Status.NOMINATING, Round.Status.SCORING}:
            raise _refuse(_("위원회에 상정된 뒤에는 고칠 수 없습니다."))
        _check_meeting(meeting, current.institution_id)
        before = {
            "title": current.title,
            "nominations_open": current.nominations_open,
            "nominations_close": current.nominations_close,
            "select_count": current.select_count,
            "meeting": current.meeting_id,
        }
        current.title = title
        current.nominations_open = opens
        current.nominations_close = closes
        current.select_count = count
        current.meeting = meeting
        current.save()
        after = {
            "title": title,
            "nominations_open": opens,
            "nominations_close": closes,
            "select_count": count,
            "meeting": current.meeting_id,
        }
        changes = {k: [before[k], after[k]] for k in before if before[k] != after[k]}
        audit.record(actor=actor, action="reward_round.updated", target=current, changes=changes)
    return current


def round_open(*, actor: Actor, round_: Round) -> Round:
    with transaction.atomic():
        current = _lock_round(round_)
        ROUND.apply(current, "open", actor=actor, roles=round_roles(actor, current))
        institution = current.institution
        url = current.get_absolute_url()
        title = _("우수공무원 후보 추천을 받습니다: %(t)s (%(a)s ~ %(b)s)") % {
            "t": current.title,
            "a": current.nominations_open,
            "b": current.nominations_close,
        }
        heads = list(users_with_roles(institution.pk, Role.DEPT_HEAD))
        transaction.on_commit(lambda: notify(recipients=heads, title=title, url=url, institution=institution))
    return current


def round_start_scoring(*, actor: Actor, round_: Round) -> Round:
    with transaction.atomic():
        current = _lock_round(round_)
        ROUND.check(current, "start_scoring", round_roles(actor, current))
        if not current.candidates.filter(status=Candidate.Status.PROPOSED).exists():
            raise _refuse(_("심사할 후보가 없습니다."))
        ROUND.apply(current, "start_scoring", actor=actor, roles=round_roles(actor, current))
        members = [m.user for m in scorers(current) if m.user is not None and m.user.is_active]
        institution = current.institution
        url = current.get_absolute_url()
        title = _("우수공무원 후보 심사를 시작합니다: %(t)s") % {"t": current.title}
        transaction.on_commit(lambda: notify(recipients=members, title=title, url=url, institution=institution))
    return current


def scorers(round_: Round) -> list[CommitteeMember]:
    """The members who score: those named for the round's meeting, else the whole pool."""
    today = timezone.localdate()
    if round_.meeting_id is not None:
        pool = CommitteeMember.objects.filter(seats__meeting_id=round_.meeting_id)
    else:
        pool = CommitteeMember.objects.filter(institution_id=round_.institution_id)
    return [m for m in pool.select_related("user") if m.in_pool(today)]


def submit_list(*, actor: Actor, round_: Round, candidate_ids: Iterable[int], tie_reason: str = "") -> Round:
    """The organiser proposes the list to the committee: at most `select_count` scored
    candidates. Leaving out a candidate tied with one on the list needs a reason (the
    committee reads it)."""
    from rewards.selectors import ranking

    ids = {int(pk) for pk in candidate_ids}
    tie_reason = clean_text(tie_reason, "tie_reason", required=False)
    with transaction.atomic():
        current = _lock_round(round_)
        ROUND.check(current, "submit_list", round_roles(actor, current))
        rows = {row.candidate.pk: row for row in ranking(current)}
        if not ids:
            raise DomainError(_("선발안에 넣을 후보를 한 명 이상 고르십시오."), field="candidates")
        if len(ids) > current.select_count:
            raise DomainError(
                _("선발 인원(%(n)d명)보다 많이 고를 수 없습니다.") % {"n": current.select_count}, field="candidates"
            )
        for pk in ids:
            row = rows.get(pk)
            if row is None or row.candidate.status != Candidate.Status.PROPOSED:
                raise DomainError(_("이 선발의 후보만 고를 수 있습니다."), field="candidates")
            if row.total is None:
                raise DomainError(
                    _("아직 점수가 없는 후보는 고를 수 없습니다: %(p)s") % {"p": row.candidate.person.name},
                    field="candidates",
                )
        chosen_totals = [rows[pk].total for pk in ids]
        lowest = min(t for t in chosen_totals if t is not None)
        left_out = [
            r
            for r in rows.values()
            if r.candidate.pk not in ids and r.total is not None and r.candidate.status == Candidate.Status.PROPOSED
        ]
        passed_over = [r for r in left_out if r.total is not None and r.total >= lowest]
        if passed_over and not tie_reason:
            names = ", ".join(r.candidate.person.name for r in passed_over)
            raise DomainError(
                _("점수가 같거나 높은 후보(%(names)s)를 빼려면 그 사유를 적어야 합니다.") % {"names": names},
                field="tie_reason",
            )
        Candidate.objects.filter(round=current).update(on_list=False)
        Candidate.objects.filter(round=current, pk__in=ids).update(on_list=True)
        ROUND.apply(
            current,
            "submit_list",
            actor=actor,
            roles=round_roles(actor, current),
            reason=tie_reason,
            changes={"candidates": sorted(ids)},
        )
        secretaries = list(users_with_roles(current.institution_id, Role.COMMITTEE_SECRETARY))
        institution = current.institution
        url = current.get_absolute_url()
        title = _("우수공무원 선발안이 위원회 상정을 기다립니다: %(t)s") % {"t": current.title}
        transaction.on_commit(lambda: notify(recipients=secretaries, title=title, url=url, institution=institution))
    return current


def return_list(*, actor: Actor, round_: Round, reason: str, roles: frozenset[str] | None = None) -> Round:
    reason = clean_text(reason, "reason")
    with transaction.atomic():
        current = _lock_round(round_)
        held = roles if roles is not None else round_roles(actor, current)
        ROUND.apply(current, "return_list", actor=actor, roles=held, reason=reason)
        Candidate.objects.filter(round=current).update(on_list=False)
    return current


def decide(*, actor: Actor, round_: Round, resolution: str, decided_on: datetime.date, roles: frozenset[str]) -> Round:
    """The committee adopted the list: its candidates are selected, the others not. Called
    by the committee's write-back (rewards/links.py) inside the meeting's transaction."""
    with transaction.atomic():
        current = _lock_round(round_)
        ROUND.check(current, "decide", roles)
        chosen = list(
            Candidate.objects.filter(round=current, on_list=True, status=Candidate.Status.PROPOSED).select_related(
                "person__unit"
            )
        )
        if not chosen:
            raise DomainError(_("선발안에 후보가 없습니다."))
        current.resolution = resolution
        current.decided_on = decided_on
        ROUND.apply(
            current,
            "decide",
            actor=actor,
            roles=roles,
            changes={"selected": [c.pk for c in chosen]},
            update_fields=["resolution", "decided_on"],
        )
        Candidate.objects.filter(pk__in=[c.pk for c in chosen]).update(status=Candidate.Status.SELECTED)
        Candidate.objects.filter(round=current, status=Candidate.Status.PROPOSED).exclude(
            pk__in=[c.pk for c in chosen]
        ).update(status=Candidate.Status.NOT_SELECTED)
        _tell_selected(current, chosen)
        _tell_recommenders(current)
    return current


def _tell_selected(round_: Round, chosen: Sequence[Candidate]) -> None:
    """The officials selected and the heads of their units are told (on commit)."""
    from accounts.models import User

    institution = round_.institution
    people = {c.person_id for c in chosen}
    officials = list(User.objects.filter(person_id__in=people, is_active=True))
    unit_ids = {c.person.unit_id for c in chosen if c.person.unit_id is not None}
    heads: list[Any] = []
    for unit_id in unit_ids:
        heads.extend(users_with_roles(institution.pk, Role.DEPT_HEAD, unit_id=unit_id))
    hr = list(users_with_roles(institution.pk, Role.HR_OFFICER))
    url = round_.get_absolute_url()
    names = ", ".join(c.person.name for c in chosen)
    mine = _("적극행정 우수공무원으로 선발되었습니다: %(t)s") % {"t": round_.title}
    theirs = _("부서 직원이 적극행정 우수공무원으로 선발되었습니다: %(names)s") % {"names": names}
    plan = _("선발된 우수공무원의 인센티브를 계획해 주십시오: %(t)s") % {"t": round_.title}

    def send() -> None:
        notify(recipients=officials, title=mine, institution=institution)
        notify(recipients={u.pk: u for u in heads}.values(), title=theirs, institution=institution)
        notify(recipients=hr, title=plan, url=url, institution=institution)

    transaction.on_commit(send)


def _tell_recommenders(round_: Round) -> None:
    """A public recommendation pulled into the round learns what came of it."""
    from recommendations import services as recommendation_services

    for nomination in Nomination.objects.filter(candidate__round=round_, recommendation__isnull=False).select_related(
        "candidate", "recommendation"
    ):
        selected = nomination.candidate.status == Candidate.Status.SELECTED
        recommendation_services.record_round_outcome(
            recommendation=nomination.recommendation,  # type: ignore[arg-type]
            selected=selected,
            round_title=round_.title,
        )


def round_close(*, actor: Actor, round_: Round) -> Round:
    """Refused while a selected official has no major incentive planned or carried out."""
    with transaction.atomic():
        current = _lock_round(round_)
        ROUND.check(current, "close", round_roles(actor, current))
        missing = without_major_incentive(current)
        if missing:
            names = ", ".join(c.person.name for c in missing)
            raise _refuse(
                _("주요 인사 인센티브가 계획되지 않은 선발자가 있어 종료할 수 없습니다: %(names)s") % {"names": names}
            )
        current.closed_at = timezone.now()
        ROUND.apply(current, "close", actor=actor, roles=round_roles(actor, current), update_fields=["closed_at"])
    return current


def without_major_incentive(round_: Round) -> list[Candidate]:
    """The selected candidates with no major incentive planned or carried out."""
    covered = Incentive.objects.filter(
        candidate__round=round_,
        kind__in=Incentive.MAJOR,
        status__in=[Incentive.Status.PLANNED, Incentive.Status.EXECUTED],
    ).values("candidate_id")
    return list(
        Candidate.objects.filter(round=round_, status=Candidate.Status.SELECTED)
        .exclude(pk__in=covered)
        .select_related("person")
        .order_by("person__name", "pk")
    )


# --- Candidates -------------------------------------------------------------------------


def nominate(
    *,
    actor: Actor,
    round_: Round,
    person: Person,
    source: str,
    act: str,
    effect: str,
    work_item: Any = None,
    uploads: Sequence[UploadedFile[bytes]] = (),
    on: datetime.date | None = None,
) -> Nomination:
    """A department nomination (the head of the person's unit, or an organiser) or a
    self-nomination. The same official proposed twice is one candidate with both
    nominations."""
    if source not in {Nomination.Source.DEPARTMENT, Nomination.Source.SELF}:
        raise DomainError(_("추천 경로를 선택해 주십시오."), field="source")
    act = clean_text(act, "act")
    effect = clean_text(effect, "effect")
    if len(uploads) > MAX_FILES:
        raise DomainError(_("파일은 %(n)d개까지 올릴 수 있습니다.") % {"n": MAX_FILES}, field="files")
    today = on or timezone.localdate()
    with transaction.atomic():
        current = _lock_round(round_)
        if actor.institution_id != current.institution_id:
            raise _refuse(_("이 선발에 추천할 권한이 없습니다."))
        if current.status != Round.Status.NOMINATING or not (
            current.nominations_open <= today <= current.nominations_close
        ):
            raise _refuse(_("후보 접수 기간이 아닙니다."))
        if person.institution_id != current.institution_id or person.status == Person.Status.RETIRED:
            raise DomainError(_("이 기관에 재직 중인 공무원만 추천할 수 있습니다."), field="person")
        if source == Nomination.Source.SELF and actor.person_id != person.pk:
            raise DomainError(_("자기 추천은 본인만 할 수 있습니다."), field="person")
        if source == Nomination.Source.DEPARTMENT and not (
            is_organiser(actor) or actor.has_for_unit(Role.DEPT_HEAD, person.unit_id)
        ):
            raise DomainError(_("소속 부서의 부서장만 부서 추천을 할 수 있습니다."), field="person")
        if work_item is not None and work_item.institution_id != current.institution_id:
            raise DomainError(_("이 기관의 업무 등록부 항목을 선택해 주십시오."), field="work_item")
        nomination = _add_nomination(
            actor,
            current,
            person,
            source=source,
            act=act,
            effect=effect,
            work_item=work_item,
        )
        for upload in uploads:
            files.attach(actor=actor, target=nomination, upload=upload, purpose=EVIDENCE)
    return nomination


def _add_nomination(actor: Actor, round_: Round, person: Person, **values: Any) -> Nomination:
    candidate, created = Candidate.objects.get_or_create(round=round_, person=person, defaults={"unit": person.unit})
    if candidate.status == Candidate.Status.WITHDRAWN:
        raise DomainError(_("후보에서 철회된 공무원입니다."), field="person")
    nomination = Nomination.objects.create(candidate=candidate, nominated_by=actor.user, **values)
    audit.record(
        actor=actor,
        action="reward.nominated",
        target=candidate,
        changes={"source": values["source"], "merged": not created, "nomination": nomination.pk},
    )
    return nomination


def pull_recommendation(
    *, actor: Actor, round_: Round, recommendation: Any, person: Person | None = None
) -> Nomination:
    """A verified public recommendation becomes a nomination (its history stays with the
    recommendation, linked). A team recommendation names one official of the team's unit."""
    from recommendations import services as recommendation_services
    from recommendations.models import Recommendation

    with transaction.atomic():
        current = _lock_round(round_)
        _require_organiser(actor, current)
        if current.status not in {Round.Status.NOMINATING, Round.Status.SCORING}:
            raise _refuse(_("후보를 더할 수 없는 단계입니다."))
        rec = Recommendation.objects.select_for_update(of=("self",)).select_related("person").get(pk=recommendation.pk)
        if rec.institution_id != current.institution_id or rec.status != Recommendation.Status.VERIFIED:
            raise DomainError(_("이 기관에서 확인 완료된 국민추천만 후보로 올릴 수 있습니다."), field="recommendation")
        if Nomination.objects.filter(recommendation=rec).exists():
            raise DomainError(_("이미 후보로 올린 국민추천입니다."), field="recommendation")
        official = rec.person or person
        if official is None:
            raise DomainError(_("팀 추천은 후보로 올릴 공무원을 지정해야 합니다."), field="person")
        if rec.person is None and rec.unit_id is not None and official.unit_id != rec.unit_id:
            raise DomainError(_("추천된 팀(부서)의 공무원을 지정해 주십시오."), field="person")
        if official.institution_id != current.institution_id:
            raise DomainError(_("이 기관의 공무원을 지정해 주십시오."), field="person")
        nomination = _add_nomination(
            actor,
            current,
            official,
            source=Nomination.Source.PUBLIC,
            act=rec.what,
            effect=rec.effect,
            recommendation=rec,
        )
        recommendation_services.mark_nominated(actor=actor, recommendation=rec, round_title=current.title)
    return nomination


AWARDED_CONTEST_STATES = ("closed", "published")


def awarded_entries(round_: Round) -> Any:
    """The graded entries of the institution's finished contests, with their officials, that
    can become nominations (newest contests first; bounded by the caller)."""
    from contests.models import Entry

    return (
        Entry.objects.filter(
            contest__institution_id=round_.institution_id,
            contest__status__in=AWARDED_CONTEST_STATES,
        )
        .exclude(grade="")
        .select_related("contest", "best_practice")
        .prefetch_related("best_practice__officials__unit")
        .order_by("-contest__year", "-contest__pk", "pk")
    )


def pull_contest_entry(*, actor: Actor, round_: Round, entry: Any, person: Person) -> Nomination:
    """A graded contest entry becomes a nomination of one of the officials of its case."""
    with transaction.atomic():
        current = _lock_round(round_)
        _require_organiser(actor, current)
        if current.status not in {Round.Status.NOMINATING, Round.Status.SCORING}:
            raise _refuse(_("후보를 더할 수 없는 단계입니다."))
        if (
            entry.contest.institution_id != current.institution_id
            or entry.contest.status not in AWARDED_CONTEST_STATES
            or not entry.grade
        ):
            raise DomainError(_("이 기관 경진대회의 입상작만 후보로 올릴 수 있습니다."), field="entry")
        case = entry.best_practice
        if not case.officials.filter(pk=person.pk).exists():
            raise DomainError(_("입상 사례의 담당 공무원 가운데에서 골라 주십시오."), field="person")
        if Nomination.objects.filter(contest_entry=entry, candidate__round=current, candidate__person=person).exists():
            raise DomainError(_("이미 후보로 올린 입상작입니다."), field="person")
        act = "\n\n".join(part for part in (case.title, case.action or case.problem) if part)
        effect = case.result or _("%(contest)s %(grade)s 수상") % {
            "contest": entry.contest.title,
            "grade": entry.get_grade_display(),
        }
        return _add_nomination(
            actor,
            current,
            person,
            source=Nomination.Source.CONTEST,
            act=act,
            effect=effect,
            work_item=case.work_item,
            contest_entry=entry,
        )


def withdraw(*, actor: Actor, candidate: Candidate, reason: str) -> Candidate:
    """An organiser withdraws a candidate (or the official withdraws themself) before the
    committee decides. Their scores stay recorded but no longer count."""
    reason = clean_text(reason, "reason")
    with transaction.atomic():
        current = _lock_candidate(candidate)
        round_ = current.round
        own = actor.person_id is not None and actor.person_id == current.person_id
        if actor.institution_id != round_.institution_id or not (round_roles(actor, round_) or own):
            raise _refuse(_("후보를 철회할 권한이 없습니다."))
        if round_.status not in {Round.Status.NOMINATING, Round.Status.SCORING}:
            raise _refuse(_("위원회에 상정된 뒤에는 철회할 수 없습니다."))
        if current.status != Candidate.Status.PROPOSED:
            raise _refuse(_("이미 철회된 후보입니다."))
        current.status = Candidate.Status.WITHDRAWN
        current.withdrawn_reason = reason
        current.on_list = False
        current.save(update_fields=["status", "withdrawn_reason", "on_list", "updated_at"])
        audit.record(actor=actor, action="reward.withdrawn", target=current, reason=reason)
        _store_rank(round_)  # the others move up; the withdrawn one loses its rank
    current.refresh_from_db(fields=["rank", "total"])
    return current


# --- Scoring ------------------------------------------------------------------------------


def conflict_of(member: CommitteeMember, candidate: Candidate) -> str | None:
    """Why a member may not score a candidate (None when they may): the candidate is the
    member, the member declared or was recorded a conflict, or the member stepped aside or was
    challenged on the round's selection item (committee/recusal.py)."""
    if member.person_id is not None and member.person_id == candidate.person_id:
        return _("본인이 후보입니다.")
    recorded = Conflict.objects.filter(candidate=candidate, member=member).values_list("reason", flat=True).first()
    if recorded is not None:
        return recorded
    from django.contrib.contenttypes.models import ContentType

    from committee.linking import link_for_model
    from committee.models import AgendaItem
    from committee.recusal import recused_member_ids

    if link_for_model(Round) is not None:
        items = AgendaItem.objects.filter(
            case_type=ContentType.objects.get_for_model(Round), case_id=candidate.round_id
        ).exclude(status=AgendaItem.Status.WITHDRAWN)
        for item in items:
            if member.pk in recused_member_ids(item):
                return _("이 선발 안건에서 제척·회피되었습니다.")
    return None


def record_conflict(*, actor: Actor, candidate: Candidate, member: CommitteeMember, reason: str) -> Conflict:
    """A member declares a conflict with a candidate (or an organiser records it). Their score
    of that candidate, if any, is removed."""
    reason = clean_text(reason, "reason")
    with transaction.atomic():
        current = _lock_candidate(candidate)
        round_ = current.round
        own = member.user_id is not None and actor.user is not None and member.user_id == actor.user.pk
        if member.institution_id != round_.institution_id or not (own or round_roles(actor, round_)):
            raise _refuse(_("이해충돌을 기록할 권한이 없습니다."))
        if round_.status not in {Round.Status.NOMINATING, Round.Status.SCORING} or (
            current.status != Candidate.Status.PROPOSED
        ):
            raise _refuse(_("심사가 끝난 뒤에는 이해충돌을 기록할 수 없습니다."))
        conflict, created = Conflict.objects.get_or_create(
            candidate=current, member=member, defaults={"reason": reason, "recorded_by": actor.user}
        )
        if not created:
            raise DomainError(_("이미 기록된 이해충돌입니다."), field="reason")
        removed, _detail = Score.objects.filter(candidate=current, member=member).delete()
        audit.record(
            actor=actor,
            action="reward.conflict_recorded",
            target=current,
            changes={"member": member.pk, "score_removed": bool(removed)},
            reason=reason,
        )
        if removed:
            _store_rank(round_)
    return conflict


def weighted_total(round_: Round, values: Mapping[str, int]) -> Decimal:
    """The weighted score on a 0-100 scale: sum(weight * score) / sum(weights) scaled from
    SCORE_MAX to 100, rounded half up to two decimals."""
    weights = round_.weights
    total_weight = sum(weights.values())
    if total_weight <= 0:
        raise DomainError(_("평가 가중치의 합이 0입니다. 기관 정책을 확인해 주십시오."))
    raw = sum(Decimal(weights[key]) * Decimal(values[key]) for key in weights)
    return (raw / Decimal(total_weight) * Decimal(100) / Decimal(SCORE_MAX)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def score(*, actor: Actor, candidate: Candidate, values: Mapping[str, Any]) -> Score:
    """A committee member scores a candidate on the four criteria (again: replaces their
    earlier score)."""
    clean: dict[str, int] = {}
    for key, label, _field in CRITERIA:
        raw = values.get(key)
        try:
            number = int(raw)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = None
        if number is None or not SCORE_MIN <= number <= SCORE_MAX:
            raise DomainError(
                _("%(label)s 점수는 %(a)d점에서 %(b)d점 사이로 입력해 주십시오.")
                % {"label": label, "a": SCORE_MIN, "b": SCORE_MAX},
                field=key,
            )
        clean[key] = number
    with transaction.atomic():
        current = _lock_candidate(candidate)
        round_ = current.round
        member = member_of(actor, round_.institution_id)
        if member is None or member not in scorers(round_):
            raise _refuse(_("이 선발을 심사하는 위원만 점수를 줄 수 있습니다."))
        if round_.status != Round.Status.SCORING:
            raise _refuse(_("심사 기간이 아닙니다."))
        if current.status != Candidate.Status.PROPOSED:
            raise _refuse(_("심사 대상이 아닌 후보입니다."))
        reason = conflict_of(member, current)
        if reason is not None:
            raise _refuse(_("이해충돌이 있어 이 후보를 평가할 수 없습니다: %(r)s") % {"r": reason})
        total = weighted_total(round_, clean)
        row, created = Score.objects.update_or_create(
            candidate=current, member=member, defaults={**clean, "total": total}
        )
        audit.record(
            actor=actor,
            action="reward.scored",
            target=current,
            changes={"member": member.pk, "total": str(total), "again": not created},
        )
        _store_rank(round_)
    return row


def _store_rank(round_: Round) -> None:
    """Keep each candidate's average and rank on the row (lists sort by them)."""
    from rewards.selectors import ranking

    rows = ranking(round_)
    updates = []
    for row in rows:
        row.candidate.total = row.total
        row.candidate.rank = row.rank
        updates.append(row.candidate)
    Candidate.objects.bulk_update(updates, ["total", "rank"])


# --- Incentives ------------------------------------------------------------------------


def _open_incentive_clock(incentive: Incentive) -> None:
    """The incentive's deadline (kind "incentive"): HR officers and the AA officer see it on
    their start page (office.selectors.register_deadline_roles, rewards/apps.py). An
    incentive due today still gets one: it turns overdue tomorrow."""
    today = timezone.localdate()
    deadlines.deadline_open(
        target=incentive,
        kind=DEADLINE_KIND,
        working_days=0,
        starts_on=min(today, incentive.due_on - datetime.timedelta(days=1)),
        due_on=incentive.due_on,
        label=str(incentive),
        url=incentive.get_absolute_url(),
    )


def deadline_of(incentive: Incentive) -> Deadline | None:
    return deadlines.deadline_for(incentive, DEADLINE_KIND)


def plan_incentive(
    *,
    actor: Actor,
    candidate: Candidate,
    kind: str,
    due_on: datetime.date | None,
    responsible: Any = None,
    detail: str = "",
) -> Incentive:
    if kind not in Incentive.Kind.values:
        raise DomainError(_("인센티브를 선택해 주십시오."), field="kind")
    if due_on is None:
        raise DomainError(_("시행 기한을 입력해 주십시오."), field="due_on")
    detail = clean_text(detail, "detail", required=False, limit=200)
    with transaction.atomic():
        current = _lock_candidate(candidate)
        round_ = current.round
        _require_organiser(actor, round_)
        if current.status != Candidate.Status.SELECTED:
            raise _refuse(_("선발된 공무원에게만 인센티브를 계획할 수 있습니다."))
        if round_.status == Round.Status.CLOSED:
            raise _refuse(_("종료된 선발입니다."))
        if due_on < timezone.localdate():
            raise DomainError(_("시행 기한은 오늘 이후여야 합니다."), field="due_on")
        if responsible is not None and responsible.pk not in {
            u.pk for u in users_with_roles(round_.institution_id, Role.HR_OFFICER)
        }:
            raise DomainError(_("인사 담당자 중에서 지정해 주십시오."), field="responsible")
        if Incentive.objects.filter(
            candidate=current, kind=kind, status__in=[Incentive.Status.PLANNED, Incentive.Status.EXECUTED]
        ).exists():
            raise DomainError(_("이미 계획된 인센티브입니다."), field="kind")
        incentive = Incentive.objects.create(
            institution_id=round_.institution_id,
            person=current.person,
            candidate=current,
            kind=kind,
            detail=detail,
            responsible=responsible,
            due_on=due_on,
        )
        audit.record(
            actor=actor,
            action="incentive.planned",
            target=incentive,
            changes={"kind": kind, "due_on": due_on, "major": incentive.is_major},
        )
        _open_incentive_clock(incentive)
        _tell_responsible(incentive, _("시행할 인센티브가 배정되었습니다: %(i)s") % {"i": incentive})
    return incentive


def _tell_responsible(incentive: Incentive, title: str) -> None:
    recipients = (
        [incentive.responsible]
        if incentive.responsible is not None
        else list(users_with_roles(incentive.institution_id, Role.HR_OFFICER))
    )
    institution = incentive.institution
    url = incentive.get_absolute_url()
    transaction.on_commit(lambda: notify(recipients=recipients, title=title, url=url, institution=institution))


def _lock_incentive(incentive: Incentive) -> Incentive:
    return Incentive.objects.select_for_update(of=("self",)).select_related("institution").get(pk=incentive.pk)


def execute_incentive(
    *,
    actor: Actor,
    incentive: Incentive,
    executed_on: datetime.date | None,
    reference: str,
    note: str = "",
    uploads: Sequence[UploadedFile[bytes]] = (),
) -> Incentive:
    """HR records that an incentive was carried out: the date, the reference of the
    personnel order, evidence. Once: a second execution is refused by the workflow."""
    reference = clean_text(reference, "reference", limit=100)
    note = clean_text(note, "note", required=False)
    if executed_on is None:
        raise DomainError(_("시행일을 입력해 주십시오."), field="executed_on")
    if executed_on > timezone.localdate():
        raise DomainError(_("시행일이 오늘보다 뒤입니다."), field="executed_on")
    if len(uploads) > MAX_FILES:
        raise DomainError(_("파일은 %(n)d개까지 올릴 수 있습니다.") % {"n": MAX_FILES}, field="files")
    with transaction.atomic():
        current = _lock_incentive(incentive)
        current.executed_on = executed_on
        current.reference = reference
        current.note = note
        current.executed_by = actor.user
        INCENTIVE.apply(
            current,
            "execute",
            actor=actor,
            roles=incentive_roles(actor, current),
            changes={"executed_on": executed_on, "reference": reference},
            update_fields=["executed_on", "reference", "note", "executed_by"],
        )
        for upload in uploads:
            files.attach(actor=actor, target=current, upload=upload, purpose=EXECUTION)
        deadlines.stop_clock(current, DEADLINE_KIND)
    return current


def _keep_a_major_after_closing(incentive: Incentive) -> None:
    """A closed round's selected official keeps at least one major incentive: its last one
    cannot be cancelled (nothing could be planned in its place any more)."""
    candidate = incentive.candidate
    if candidate is None or not incentive.is_major or candidate.round.status != Round.Status.CLOSED:
        return
    others = (
        Incentive.objects.filter(
            candidate=candidate,
            kind__in=Incentive.MAJOR,
            status__in=[Incentive.Status.PLANNED, Incentive.Status.EXECUTED],
        )
        .exclude(pk=incentive.pk)
        .exists()
    )
    if not others:
        raise _refuse(_("종료된 선발의 선발자에게 남은 유일한 주요 인센티브는 취소할 수 없습니다."))


def cancel_incentive(*, actor: Actor, incentive: Incentive, reason: str) -> Incentive:
    reason = clean_text(reason, "reason")
    with transaction.atomic():
        current = _lock_incentive(incentive)
        INCENTIVE.check(current, "cancel", incentive_roles(actor, current), reason)
        _keep_a_major_after_closing(current)
        INCENTIVE.apply(current, "cancel", actor=actor, roles=incentive_roles(actor, current), reason=reason)
        deadlines.stop_clock(current, DEADLINE_KIND)
    return current


def record_commendation(
    *,
    actor: Actor,
    person: Person,
    level: str,
    title: str,
    awarded_on: datetime.date | None,
    reference: str = "",
    candidate: Candidate | None = None,
) -> Commendation:
    """Record a commendation. At Prime Minister level or above it entitles the official to
    special promotion: an incentive HR must act on within ENTITLEMENT_DAYS."""
    if not (is_organiser(actor) or is_hr(actor)) or actor.institution_id != person.institution_id:
        raise _refuse(_("포상을 기록할 권한이 없습니다."))
    if level not in Commendation.Level.values:
        raise DomainError(_("훈격을 선택해 주십시오."), field="level")
    title = clean_text(title, "title", limit=200)
    reference = clean_text(reference, "reference", required=False, limit=100)
    if awarded_on is None:
        raise DomainError(_("수여일을 입력해 주십시오."), field="awarded_on")
    if awarded_on > timezone.localdate():
        raise DomainError(_("수여일이 오늘보다 뒤입니다."), field="awarded_on")
    if candidate is not None and candidate.person_id != person.pk:
        raise DomainError(_("다른 공무원의 선발 건입니다."), field="candidate")
    with transaction.atomic():
        commendation = Commendation.objects.create(
            institution_id=person.institution_id,
            person=person,
            level=level,
            title=title,
            awarded_on=awarded_on,
            reference=reference,
            candidate=candidate,
            recorded_by=actor.user,
        )
        audit.record(
            actor=actor,
            action="commendation.recorded",
            target=commendation,
            changes={"level": level, "awarded_on": awarded_on},
        )
        if commendation.entitles_special_promotion:
            due = max(awarded_on, timezone.localdate()) + datetime.timedelta(days=ENTITLEMENT_DAYS)
            incentive = Incentive.objects.create(
                institution_id=person.institution_id,
                person=person,
                candidate=candidate,
                commendation=commendation,
                kind=Incentive.Kind.SPECIAL_PROMOTION,
                detail=_("국무총리 표창 이상 수상에 따른 특별승진 대상"),
                due_on=due,
            )
            audit.record(
                actor=actor,
                action="incentive.entitled",
                target=incentive,
                changes={"commendation": commendation.pk, "due_on": due},
            )
            _open_incentive_clock(incentive)
            _tell_responsible(
                incentive, _("특별승진 대상자가 생겼습니다(국무총리 표창 이상): %(p)s") % {"p": person.name}
            )
    return commendation
