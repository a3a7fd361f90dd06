"""Demo of the selection of excellent officials in 새솔구 (institutions/demo.py step
"rewards"): last year's round, decided by the committee, with three selected officials and
their incentives — one carried out, one planned, one overdue — all through the services (the
committee's decision through the same service its write-back calls). A second run finds the
round by its title and creates nothing."""

from __future__ import annotations

import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from committee.models import CommitteeMember
from core.access import Actor, actor_for
from core.models import Deadline
from institutions.models import Institution, Person, Policy
from rewards import services
from rewards.links import COMMITTEE_ROLES
from rewards.models import CRITERIA, Incentive, Nomination, Round
from rewards.selectors import DEADLINE_KIND

TITLE = "%d년 적극행정 우수공무원 선발(시연)"
CANDIDATES = [
    # (employee number, act, effect, score on every criterion)
    (
        "S-0007",
        "건축 인허가 사전 상담 창구를 열어 보완 요구를 한 번에 안내했습니다.",
        "처리기간이 평균 40일에서 18일로 줄었습니다.",
        9,
    ),
    (
        "S-0006",
        "부설주차장 야간 개방 협약을 맺어 주택가 주차난을 덜었습니다.",
        "주차면 420면을 새로 확보했습니다.",
        8,
    ),
    (
        "S-0004",
        "폐지된 서식을 요구하던 관행을 찾아 고치도록 했습니다.",
        "민원 서류가 평균 두 장 줄었습니다.",
        7,
    ),
]
#: days overdue of the demo's overdue incentive
OVERDUE_DAYS = 20


def _actor(username: str, institution: Institution) -> Actor | None:
    user = User.objects.filter(username=username, institution=institution).select_related("person").first()
    return actor_for(user) if user is not None else None


def seed() -> int:
    institution = Institution.objects.filter(code="SAESOL").first()
    if institution is None:
        return 0
    year = timezone.localdate().year - 1
    title = TITLE % year
    if Round.objects.filter(institution=institution, title=title).exists():
        return 0
    if Round.objects.filter(institution=institution, year=year, period=Round.Period.ANNUAL).exists():
        return 0  # the period is taken by another round
    organiser = _actor("aa_officer", institution)
    hr = _actor("hr", institution)
    secretary = _actor("secretary", institution)
    member = CommitteeMember.objects.filter(institution=institution, user__isnull=False).select_related("user").first()
    people = {p.employee_number: p for p in Person.objects.filter(institution=institution)}
    if organiser is None or hr is None or secretary is None or member is None or member.user is None:
        return 0
    if any(number not in people for number, *_rest in CANDIDATES):
        return 0
    policy = Policy.objects.filter(institution=institution).first()
    if policy is not None and policy.selection_frequency != Policy.SelectionFrequency.ANNUAL:
        return 0
    with transaction.atomic():
        return _build(
            institution=institution,
            year=year,
            title=title,
            organiser=organiser,
            hr=hr,
            secretary=secretary,
            member=member,
            people=people,
        )


def _build(
    *,
    institution: Institution,
    year: int,
    title: str,
    organiser: Actor,
    hr: Actor,
    secretary: Actor,
    member: CommitteeMember,
    people: dict[str, Person],
) -> int:
    today = timezone.localdate()
    opens = datetime.date(year, 3, 2)
    round_ = services.round_create(
        actor=organiser,
        title=title,
        year=year,
        period=Round.Period.ANNUAL,
        nominations_open=opens,
        nominations_close=datetime.date(year, 3, 31),
        select_count=len(CANDIDATES),
    )
    round_ = services.round_open(actor=organiser, round_=round_)
    candidates = []
    for number, act, effect, _level in CANDIDATES:
        nomination = services.nominate(
            actor=organiser,
            round_=round_,
            person=people[number],
            source=Nomination.Source.DEPARTMENT,
            act=act,
            effect=effect,
            on=opens,
        )
        candidates.append(nomination.candidate)
    round_ = services.round_start_scoring(actor=organiser, round_=round_)
    scorer = actor_for(member.user)
    for candidate, (_number, _act, _effect, level) in zip(candidates, CANDIDATES, strict=True):
        services.score(actor=scorer, candidate=candidate, values={key: level for key, _l, _f in CRITERIA})
    round_ = services.submit_list(actor=organiser, round_=round_, candidate_ids=[c.pk for c in candidates])
    round_ = services.decide(
        actor=secretary,
        round_=round_,
        resolution="선발안 원안 가결(시연)",
        decided_on=today,
        roles=COMMITTEE_ROLES,
    )
    first, second, third = candidates
    hr_user = hr.user
    done = services.plan_incentive(
        actor=organiser,
        candidate=first,
        kind=Incentive.Kind.SPECIAL_PROMOTION,
        due_on=today + datetime.timedelta(days=30),
        responsible=hr_user,
        detail="6급 → 5급 특별승진",
    )
    services.execute_incentive(
        actor=hr, incentive=done, executed_on=today, reference="새솔구 인사발령 제2026-101호", note="시연"
    )
    services.plan_incentive(
        actor=organiser,
        candidate=second,
        kind=Incentive.Kind.TOP_BONUS,
        due_on=today + datetime.timedelta(days=60),
        responsible=hr_user,
        detail="다음 성과상여금 S등급",
    )
    late = services.plan_incentive(
        actor=organiser,
        candidate=third,
        kind=Incentive.Kind.EXTRA_POINTS,
        due_on=today,
        responsible=hr_user,
        detail="근무성적평정 가점 0.5점",
    )
    _backdate(late, today - datetime.timedelta(days=OVERDUE_DAYS))
    return 1 + len(candidates) + 3


def _backdate(incentive: Incentive, due_on: datetime.date) -> None:
    """Demo only: an incentive planned long ago and still not carried out. The service
    refuses a due date in the past, so the plan is made for today and moved back here, its
    deadline with it."""
    Incentive.objects.filter(pk=incentive.pk).update(due_on=due_on)
    Deadline.objects.filter(
        content_type=ContentType.objects.get_for_model(Incentive), object_id=incentive.pk, kind=DEADLINE_KIND
    ).update(due_on=due_on, starts_on=due_on - datetime.timedelta(days=1), working_days=1)
