"""seed_scale: selection rounds of excellent officials and their incentives for the SCALE-
institutions (institutions/scale_kit.py).

One annual round per institution and year of the last three years (the past ones closed,
this year's in the state its calendar puts it in). A round selects about one official per
200 staff (1 to 30) out of about twice as many candidates (ranked by their total, each
with its nomination); each selected official gets a major incentive and often a second
one, carried out by HR before its due date in most cases, late in some, and still
pending past its due date in a few (the overdue ones of the dashboard), each with its
deadline.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from core.models import Deadline
from institutions import scale
from institutions.models import Person
from institutions.scale import PREFIX
from institutions.scale_kit import (
    Dice,
    at,
    bulk,
    counts,
    deadline,
    institution_chunk,
    institution_ids,
    not_after,
    salt,
    seed,
    staff,
    today,
    user,
)
from rewards.models import Candidate, Incentive, Nomination, Round
from rewards.selectors import DEADLINE_KIND
from rewards.services import NUMBER_PREFIX

SALT = salt("rewards")
YEARS = 3
PEOPLE_PER_SELECTED = 200
MAX_SELECTED = 30
R = Round.Status
C = Candidate.Status
I = Incentive.Status  # noqa: E741
MAJOR = (
    (Incentive.Kind.SPECIAL_PROMOTION, 10),
    (Incentive.Kind.SPECIAL_STEP, 15),
    (Incentive.Kind.TOP_BONUS, 35),
    (Incentive.Kind.EXTRA_POINTS, 30),
    (Incentive.Kind.SHORTER_PROMOTION, 10),
)
MINOR = (Incentive.Kind.REWARD_LEAVE, Incentive.Kind.COMMENDATION, Incentive.Kind.PREFERRED_POSTING)
ACTS = (
    "집중호우 피해 주택의 복구 지원 절차를 간소화해 주민의 조기 귀가를 도왔습니다.",
    "규정이 불분명한 인허가를 사전컨설팅으로 해결해 사업이 제때 착공되었습니다.",
    "위기 가구 발굴 체계를 만들어 복지 사각지대를 줄였습니다.",
    "불필요한 첨부서류를 정비해 민원 처리기간을 절반으로 줄였습니다.",
)
EFFECTS = ("주민 불편 해소와 예산 절감", "민원 처리기간 단축", "지역 경제 활성화", "안전사고 예방")


@dataclass
class RoundSpec:
    round: Round
    candidates: list[Candidate] = field(default_factory=list)
    #: per candidate (same order): incentives for the selected ones
    incentives: list[list[Incentive]] = field(default_factory=list)


def calendar(year: int) -> tuple[datetime.date, datetime.date, datetime.date]:
    """Nominations open and close, and the committee's decision, of a year's round."""
    return datetime.date(year, 9, 1), datetime.date(year, 9, 30), datetime.date(year, 11, 20)


def state(ctx: scale.Context, year: int) -> str:
    opens, closes, decided = calendar(year)
    now = today(ctx)
    if year < now.year:
        return R.CLOSED
    if now < opens:
        return R.DRAFT
    if now <= closes:
        return R.NOMINATING
    if now < decided - datetime.timedelta(days=14):
        return R.SCORING
    return R.AT_COMMITTEE if now < decided else R.DECIDED


def build(ctx: scale.Context, inst: int, people: int) -> list[RoundSpec]:
    existing = set(Round.objects.filter(institution_id=inst).values_list("year", flat=True))
    now = today(ctx)
    specs = []
    for year in range(now.year - YEARS + 1, now.year + 1):
        if year in existing:
            continue
        specs.append(_round(ctx, inst, year, max(1, min(MAX_SELECTED, people // PEOPLE_PER_SELECTED))))
    return specs


def _round(ctx: scale.Context, inst: int, year: int, select: int) -> RoundSpec:
    dice = Dice(SALT, inst, year)
    opens, closes, decided = calendar(year)
    status = state(ctx, year)
    round_ = Round(
        institution_id=inst,
        number=f"{PREFIX}{NUMBER_PREFIX}-{year}",
        title=f"{year}년 적극행정 우수공무원 선발",
        year=year,
        period=Round.Period.ANNUAL,
        nominations_open=opens,
        nominations_close=closes,
        select_count=select,
        status=status,
        created_by_id=user(ctx, inst, "hr"),
        created_at=at(opens - datetime.timedelta(days=20)),
        updated_at=at(not_after(ctx, decided)),
    )
    spec = RoundSpec(round_)
    if status == R.DRAFT:
        return spec
    done = status in (R.DECIDED, R.CLOSED)
    if done:
        round_.decided_on = decided
        round_.resolution = "심사 결과 순위에 따라 선발안을 원안대로 의결함"
    if status == R.CLOSED:
        round_.closed_at = at(decided + datetime.timedelta(days=dice.number(30, 90)), 17)
        round_.updated_at = round_.closed_at
    people = staff(ctx).get(inst, [])
    chosen = dice.sample(people, min(len(people), 2 * select + 1))
    scored = status != R.NOMINATING
    for rank, (person, unit) in enumerate(chosen, start=1):
        candidate = Candidate(
            person_id=person,
            unit_id=unit,
            status=C.PROPOSED,
            created_at=at(opens + datetime.timedelta(days=dice.number(0, 29))),
            updated_at=round_.updated_at,
        )
        if scored:
            candidate.total = Decimal(str(round(95 - rank * 40 / len(chosen) - dice.frac(), 2)))
            candidate.rank = rank
            candidate.on_list = rank <= select
        incentives: list[Incentive] = []
        if done:
            if rank <= select:
                candidate.status = C.SELECTED
                incentives = _incentives(ctx, dice, inst, person, decided)
            else:
                candidate.status = C.WITHDRAWN if rank == len(chosen) and rank > 3 else C.NOT_SELECTED
        spec.candidates.append(candidate)
        spec.incentives.append(incentives)
    return spec


def _incentives(ctx: scale.Context, dice: Dice, inst: int, person: int, decided: datetime.date) -> list[Incentive]:
    kinds = [dice.weighted(MAJOR)] + ([dice.pick(MINOR)] if dice.chance(0.4) else [])
    rows = []
    for kind in kinds:
        due = decided + datetime.timedelta(days=dice.number(60, 180))
        incentive = Incentive(
            institution_id=inst,
            person_id=person,
            kind=kind,
            detail="선발에 따른 인사상 우대",
            responsible_id=user(ctx, inst, "hr"),
            due_on=due,
            status=I.PLANNED,
            created_at=at(decided, 17),
            updated_at=at(decided, 17),
        )
        if due < today(ctx):
            incentive.status = dice.weighted(((I.EXECUTED, 85), (I.PLANNED, 10), (I.CANCELLED, 5)))
        elif dice.chance(0.3):
            incentive.status = I.EXECUTED
        if incentive.status == I.EXECUTED:
            late = dice.chance(0.1)
            executed = (
                due + datetime.timedelta(days=dice.number(1, 30))
                if late
                else due - datetime.timedelta(days=dice.number(0, 50))
            )
            incentive.executed_on = not_after(ctx, max(decided, executed))
            incentive.executed_by_id = incentive.responsible_id
            incentive.reference = f"인사-{incentive.executed_on.year}-{dice.number(100, 999)}"
            incentive.updated_at = at(incentive.executed_on, 16)
        elif incentive.status == I.CANCELLED:
            incentive.note = "대상자 전출로 시행하지 않음"
        rows.append(incentive)
    return rows


def save(ctx: scale.Context, chunks: list[list[RoundSpec]]) -> int:
    specs = [s for chunk in chunks for s in chunk]
    bulk(ctx, [s.round for s in specs])
    for s in specs:
        for c in s.candidates:
            c.round_id = s.round.pk
    bulk(ctx, [c for s in specs for c in s.candidates])
    nominations = []
    incentives = []
    for s in specs:
        for i, (c, promised) in enumerate(zip(s.candidates, s.incentives, strict=True)):
            nominations.append(
                Nomination(
                    candidate_id=c.pk,
                    source=Nomination.Source.DEPARTMENT if i % 4 else Nomination.Source.SELF,
                    act=ACTS[(c.person_id + i) % len(ACTS)],
                    effect=EFFECTS[(c.person_id + i) % len(EFFECTS)],
                    nominated_by_id=user(ctx, s.round.institution_id, "official"),
                    created_at=c.created_at,
                )
            )
            for incentive in promised:
                incentive.candidate_id = c.pk
                incentives.append(incentive)
    bulk(ctx, nominations)
    bulk(ctx, incentives)
    names = {
        pk: f"{name} ({number})"
        for pk, name, number in Person.objects.filter(pk__in={i.person_id for i in incentives}).values_list(
            "pk", "name", "employee_number"
        )
    }
    clocks: list[Deadline] = []
    for incentive in incentives:
        decided = incentive.created_at.date() if incentive.created_at else incentive.due_on
        closed = incentive.executed_on
        if incentive.status == I.CANCELLED:
            closed = not_after(ctx, decided + datetime.timedelta(days=30))
        clocks.append(
            deadline(
                ctx,
                target=incentive,
                kind=DEADLINE_KIND,
                label=f"{names.get(incentive.person_id, '')} · {incentive.get_kind_display()}",
                url=incentive.get_absolute_url(),
                starts_on=min(decided, incentive.due_on - datetime.timedelta(days=1)),
                due_on=incentive.due_on,
                closed_on=closed,
            )
        )
    bulk(ctx, clocks)
    return len(specs)


def step(ctx: scale.Context) -> int:
    """The rounds each institution with staff lacks, a chunk of institutions at a time."""
    have = counts(Round, "institution_id", institution_ids(ctx))
    with_staff = staff(ctx)
    people = dict(zip(institution_ids(ctx), ctx.shares(ctx.people), strict=True))
    work = [(pk, 0, 1) for pk in institution_ids(ctx) if pk in with_staff and have.get(pk, 0) < YEARS]
    made = 0

    def save_chunk(chunks: list[list[RoundSpec]]) -> int:
        nonlocal made
        made += save(ctx, chunks)
        return len(chunks)

    seed(
        ctx,
        "reward rounds (institutions)",
        work,
        lambda inst, _k: build(ctx, inst, people[inst]),
        save_chunk,
        per_chunk=institution_chunk(ctx),
    )
    return made


scale.add_step(scale.Step("rewards", step))
