"""Selection rounds for tests (shared by the rounds and the incentives tests).

Everything goes through rewards.services (audit trail and rules included) except where a
helper says otherwise. The dates follow today (the conftest freezes it at 2026-06-15): a
round opened here takes nominations from two weeks ago to two weeks ahead.

    round_factory(cast)                      -> a NOMINATING round of cast.district
    nominate(cast, round_, person)           -> a department nomination (by the unit's head or the AA officer)
    scorers(cast, 2)                         -> committee members with login accounts (cast.member first)
    scoring_round(cast)                      -> (round in SCORING, [candidates], [members])
    score_candidate(member, candidate, 7)    -> every criterion 7 (or a dict of the four)
    scored_round(cast, [80, 70, 60])         -> (round in SCORING, candidates ranked, members)
    decided_round(cast, selected=1)          -> (round DECIDED, [selected], [not selected])
    verified_recommendation(cast, person)    -> a VERIFIED public recommendation (rows made directly)
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
from collections.abc import Mapping, Sequence
from typing import Any

import factory
from django.utils import timezone

from committee.models import CommitteeMember
from committee.tests.factories import CommitteeMemberFactory, member_user
from core.access import Actor, actor_for
from institutions.models import Person, Unit
from rewards import services
from rewards.links import COMMITTEE_ROLES
from rewards.models import CRITERIA, Candidate, Nomination, Round
from tests.cast import Cast
from tests.factories import InstitutionFactory, PersonFactory

_seq = itertools.count(1)


class RoundFactory(factory.django.DjangoModelFactory[Round]):
    """Rows made directly (bulk lists, query counts); use round_factory for a real round."""

    class Meta:
        model = Round

    institution = factory.SubFactory(InstitutionFactory)
    number = factory.Sequence(lambda n: f"우수공무원선발-2026-{n:04d}")
    title = factory.Sequence(lambda n: f"시험 선발 {n}")
    year = factory.Sequence(lambda n: 1990 + n)
    period = Round.Period.ANNUAL
    nominations_open = datetime.date(2026, 6, 1)
    nominations_close = datetime.date(2026, 6, 30)
    select_count = 2
    status = Round.Status.NOMINATING


def organiser(cast: Cast) -> Actor:
    return actor_for(cast.users["aa_officer"])


def round_factory(
    cast: Cast,
    *,
    status: str = Round.Status.NOMINATING,
    title: str = "2026년 적극행정 우수공무원 선발",
    year: int | None = None,
    period: str = Round.Period.ANNUAL,
    select_count: int = 2,
    meeting: Any = None,
    by: str = "aa_officer",
) -> Round:
    """A round of cast.district made by the organiser (`by`), opened unless status DRAFT;
    of this year unless told (an earlier year when this year's period is taken).
    For a later status use scoring_round / scored_round / decided_round."""
    today = timezone.localdate()
    actor = actor_for(cast.users[by])
    if year is None:  # this year, or the latest earlier one without a round of that period
        year = today.year
        while Round.objects.filter(institution=cast.district, year=year, period=period).exists():
            year -= 1
    round_ = services.round_create(
        actor=actor,
        title=title,
        year=year,
        period=period,
        nominations_open=today - datetime.timedelta(days=14),
        nominations_close=today + datetime.timedelta(days=14),
        select_count=select_count,
        meeting=meeting,
    )
    if status == Round.Status.DRAFT:
        return round_
    if status != Round.Status.NOMINATING:
        raise ValueError("round_factory makes DRAFT or NOMINATING rounds; use scoring_round and the others")
    return services.round_open(actor=actor, round_=round_)


def person(cast: Cast, name: str | None = None, unit: Unit | None = None) -> Person:
    """Another official of cast.district (in the building department unless told)."""
    return PersonFactory(institution=cast.district, unit=unit or cast.building, name=name or f"후보{next(_seq):03d}")


def nominate(
    cast: Cast,
    round_: Round,
    who: Person,
    *,
    by: str | None = None,
    source: str = Nomination.Source.DEPARTMENT,
    act: str = "민원 처리 절차를 줄여 처리 기간을 절반으로 줄였습니다.",
    effect: str = "민원인의 방문 횟수가 세 번에서 한 번으로 줄었습니다.",
    **kwargs: Any,
) -> Nomination:
    """A nomination through the service: by the cast's dept_head when the person is in the
    building department, else by the AA officer (or the user named `by`)."""
    if by is None:
        by = "dept_head" if who.unit_id == cast.building.pk else "aa_officer"
    return services.nominate(
        actor=actor_for(cast.users[by]),
        round_=round_,
        person=who,
        source=source,
        act=act,
        effect=effect,
        **kwargs,
    )


def scorers(cast: Cast, count: int = 2) -> list[CommitteeMember]:
    """Serving committee members of cast.district with login accounts: cast.member (an
    internal member) first, then external members scorer01, scorer02, ..."""
    members: list[CommitteeMember] = []
    for index in range(count):
        if index == 0:
            user = cast.users["member"]
            existing = CommitteeMember.objects.filter(user=user).first()
            if existing is not None:
                members.append(existing)
                continue
            members.append(
                CommitteeMemberFactory(
                    institution=cast.district,
                    kind=CommitteeMember.Kind.INTERNAL,
                    person=user.person,
                    user=user,
                    name=str(user),
                    term_ends_on=None,
                )
            )
            continue
        username = f"scorer{index:02d}"
        if username in cast.users:  # asked again in the same test: the same members
            members.append(CommitteeMember.objects.get(user=cast.users[username]))
            continue
        user = member_user(cast, username)
        cast.users[username] = user
        members.append(CommitteeMemberFactory(institution=cast.district, user=user, name=username))
    return members


def scoring_round(
    cast: Cast, *, candidates: int = 3, members: int = 2, select_count: int = 2
) -> tuple[Round, list[Candidate], list[CommitteeMember]]:
    """A round in SCORING with `candidates` nominated officials (cast.official first, then
    new people of the building department) and `members` scorers."""
    pool = scorers(cast, members)
    round_ = round_factory(cast, select_count=select_count)
    people = [cast.users["official"].person] + [person(cast) for _ in range(candidates - 1)]
    found = [nominate(cast, round_, p).candidate for p in people[:candidates]]
    round_ = services.round_start_scoring(actor=organiser(cast), round_=round_)
    return round_, found, pool


def score_candidate(member: CommitteeMember, candidate: Candidate, values: int | Mapping[str, int] = 7) -> Any:
    """The member scores the candidate: every criterion `values`, or a dict of the four."""
    if isinstance(values, int):
        values = {key: values for key, _label, _field in CRITERIA}
    return services.score(actor=actor_for(member.user), candidate=candidate, values=values)


def scored_round(
    cast: Cast, levels: Sequence[int] = (9, 7, 5), *, members: int = 2, select_count: int = 2
) -> tuple[Round, list[Candidate], list[CommitteeMember]]:
    """A round in SCORING whose candidates every member scored `levels[i]` on every
    criterion (so candidate i's total is levels[i] * 10). Candidates come back refreshed,
    in the order of `levels`."""
    round_, found, pool = scoring_round(cast, candidates=len(levels), members=members, select_count=select_count)
    for candidate, level in zip(found, levels, strict=True):
        for member in pool:
            score_candidate(member, candidate, level)
    for candidate in found:
        candidate.refresh_from_db()
    round_.refresh_from_db()
    return round_, found, pool


def submitted_round(
    cast: Cast, levels: Sequence[int] = (9, 7, 5), *, selected: int = 1, members: int = 2, select_count: int = 2
) -> tuple[Round, list[Candidate], list[CommitteeMember]]:
    """A round AT_COMMITTEE whose list is the first `selected` candidates."""
    round_, found, pool = scored_round(cast, levels, members=members, select_count=select_count)
    round_ = services.submit_list(
        actor=organiser(cast),
        round_=round_,
        candidate_ids=[c.pk for c in found[:selected]],
        tie_reason="" if selected >= len(levels) else "점수 순서대로 선발안을 만들었습니다.",
    )
    return round_, found, pool


def decide(cast: Cast, round_: Round, resolution: str = "원안 가결") -> Round:
    """The committee's write-back without a meeting (rewards.links calls the same service)."""
    return services.decide(
        actor=actor_for(cast.users["secretary"]),
        round_=round_,
        resolution=resolution,
        decided_on=timezone.localdate(),
        roles=COMMITTEE_ROLES,
    )


def decided_round(
    cast: Cast, levels: Sequence[int] = (9, 7, 5), *, selected: int = 1, members: int = 2, select_count: int = 2
) -> tuple[Round, list[Candidate], list[Candidate]]:
    """A round DECIDED: (round, selected candidates, not selected candidates)."""
    round_, found, _pool = submitted_round(cast, levels, selected=selected, members=members, select_count=select_count)
    round_ = decide(cast, round_)
    for candidate in found:
        candidate.refresh_from_db()
    return round_, found[:selected], found[selected:]


def selected_candidates(cast: Cast, count: int = 1) -> list[Candidate]:
    """`count` SELECTED candidates of a DECIDED round (the incentives tests start here)."""
    levels = [9 - i for i in range(count)]
    _round, chosen, _others = decided_round(cast, levels, selected=count, select_count=max(count, 1))
    return chosen


def verified_recommendation(
    cast: Cast,
    who: Person | None = None,
    *,
    team_unit: Unit | None = None,
    institution: Any = None,
    status: str = "verified",
) -> Any:
    """A public recommendation in status `status` (rows made directly, not through the
    recommendations services): of `who`, or a team one of `team_unit`."""
    from recommendations.models import Recommendation

    n = next(_seq)
    team = team_unit is not None
    return Recommendation.objects.create(
        institution=institution or cast.district,
        unit=team_unit if team else (who.unit if who is not None else None),
        unit_name=(team_unit.name if team_unit is not None else ""),
        number=f"국민추천-2026-{n:04d}",
        nominee_kind=Recommendation.NomineeKind.TEAM if team else Recommendation.NomineeKind.PERSON,
        nominee_name=team_unit.name if team_unit is not None else (who.name if who is not None else "누구"),
        what="여러 번 방문해야 하던 건축 신고를 한 번에 끝나도록 바꾸었습니다.",
        effect="처리 기간이 열흘에서 사흘로 줄었습니다.",
        recommender_name="김추천",
        recommender_email="rec@example.com",
        receipt_hash=hashlib.sha256(f"receipt-{n}".encode()).hexdigest(),
        submission_key=hashlib.sha256(f"key-{n}".encode()).hexdigest(),
        status=status,
        person=None if team else who,
        decided_at=timezone.now(),
    )
