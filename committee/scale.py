"""seed_scale: the committees of the SCALE- institutions (institutions/scale_kit.py).

- a member pool per institution (an external chair, the head of the audit unit, internal
  members from the staff, external experts; each with a term);
- meetings (a third of `ctx.cases` in all, split like the people) over the last three years,
  most held and closed, a few cancelled, the next ones drafted or convened; each with its
  seated members, one to four agenda items (decided with their tally once held) and, for
  some items, the opinions heard (audit unit opinions with their deadline, some overdue);
- officials' advice requests (a tenth of `ctx.cases`) in every state, the followed ones with
  the officials' presumptions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Model
from django.utils import timezone

from committee.models import AdviceRequest, AgendaItem, CommitteeMember, Meeting, MeetingMember, Opinion, Term
from committee.services.meetings import REFERENCE_PREFIX
from committee.services.opinions import DEADLINE_KIND, queue_url, roll_to_working_day
from committee.services.requests import PREFIX as ADVICE_PREFIX
from core.models import Deadline
from exemptions.models import Presumption
from institutions import scale
from institutions.models import Policy
from institutions.scale import PEOPLE_NAMES, PREFIX
from institutions.scale_kit import (
    SCALE_NUMBER_BASE,
    Dice,
    at,
    bulk,
    content_type,
    counts,
    days_before,
    deadline,
    history_day,
    institution_chunk,
    institution_ids,
    later,
    not_after,
    plan,
    salt,
    seed,
    staff,
    state,
    today,
    work_item,
)

SALT = salt("committee")
MEETING_SHARE = 1 / 3
ADVICE_SHARE = 0.1
OPINION_DAYS = Policy._meta.get_field("audit_opinion_days").get_default()
INTERNAL = 4
EXTERNAL = 6
SEATS = 8

MS = Meeting.Status
IS = AgendaItem.Status
MEETING_STATUSES = ((MS.CLOSED, 86), (MS.CANCELLED, 4), (MS.CONVENED, 5), (MS.DRAFT, 5))
ITEM_KINDS = (
    (AgendaItem.Kind.REFERRAL, 25, "사전컨설팅 부의 안건: 인허가 조건 변경의 타당성"),
    (AgendaItem.Kind.ADVICE, 20, "불명확한 규정의 해석에 대한 자문"),
    (AgendaItem.Kind.SELECTION, 15, "적극행정 우수공무원 선발"),
    (AgendaItem.Kind.EXEMPTION, 10, "감사기구에 대한 면책 건의"),
    (AgendaItem.Kind.LITIGATION, 5, "소송 지원 여부"),
    (AgendaItem.Kind.ACTION_PLAN, 10, "적극행정 실행계획 검토"),
    (AgendaItem.Kind.RATIFICATION, 5, "긴급 안전조치의 사후 추인"),
    (AgendaItem.Kind.OTHER, 10, "적극행정 활성화 방안"),
)
RESULTS = ((AgendaItem.Result.ADOPTED, 85), (AgendaItem.Result.REJECTED, 10), (AgendaItem.Result.NO_QUORUM, 5))
OPINION_KINDS = (
    (Opinion.Kind.AUDIT, 50),
    (Opinion.Kind.LEGAL, 20),
    (Opinion.Kind.STAKEHOLDER_WRITTEN, 20),
    (Opinion.Kind.STAKEHOLDER_HEARING, 10),
)
ORGANISATIONS = (
    "한국행정연구원",
    "법무법인 바른길",
    "시립대학교 행정학과",
    "건축사협회",
    "회계법인 다온",
    "시민단체 연대",
)
AR = AdviceRequest.Status
ADVICE_STATUSES = (
    (AR.OUTCOME_RECORDED, 55),
    (AR.ADVISED, 15),
    (AR.ON_AGENDA, 10),
    (AR.SUBMITTED, 10),
    (AR.WITHDRAWN, 10),
)
FOLLOWED = (
    (Presumption.Followed.FOLLOWED, 85),
    (Presumption.Followed.PARTLY, 10),
    (Presumption.Followed.NOT_FOLLOWED, 5),
)
ADVICE_TOPICS = (
    ("재난 복구 자재의 긴급 구매 절차", "지방계약법 시행령 제25조 제1항 제1호"),
    ("공공시설 야간 개방 시 관리 책임", "공유재산법 제20조"),
    ("보조사업 변경 승인 없이 집행한 경비의 처리", "지방보조금법 제13조"),
    ("민원 처리 기간 연장의 사유 해석", "민원처리법 시행령 제21조"),
)


# --- The member pool ----------------------------------------------------------------------


def step_members(ctx: scale.Context) -> int:
    """A pool for each institution that has none (with each member's first term)."""
    have = counts(CommitteeMember, "institution_id", institution_ids(ctx))
    work = [(pk, 0, 1) for pk in institution_ids(ctx) if not have.get(pk)]
    made = 0

    def build(inst: int, _k: int) -> list[CommitteeMember]:
        dice = Dice(SALT, inst, 0)
        people = [pk for pk, _ in staff(ctx).get(inst, [])][: INTERNAL + 1]
        rows = []
        for i in range(1 + EXTERNAL + len(people)):
            external = i <= EXTERNAL
            starts = days_before(ctx, dice.number(60, 700))
            rows.append(
                CommitteeMember(
                    institution_id=inst,
                    kind=CommitteeMember.Kind.EXTERNAL if external else CommitteeMember.Kind.INTERNAL,
                    person_id=None if external else people[i - EXTERNAL - 1],
                    name=dice.pick(PEOPLE_NAMES),
                    organisation=dice.pick(ORGANISATIONS) if external else "",
                    position="교수" if external and i % 2 else ("변호사" if external else "과장"),
                    gender=dice.pick(CommitteeMember.Gender.values),
                    is_chair=i == 0,
                    is_audit_head=i == EXTERNAL + 1,
                    term_starts_on=starts,
                    term_ends_on=starts + datetime.timedelta(days=730) if external else None,
                    created_at=at(starts),
                    updated_at=at(starts),
                )
            )
        return rows

    def save(chunks: list[list[CommitteeMember]]) -> int:
        nonlocal made
        members = bulk(ctx, [m for chunk in chunks for m in chunk])
        bulk(
            ctx,
            [
                Term(
                    member_id=m.pk,
                    number=0,
                    starts_on=m.term_starts_on,
                    ends_on=m.term_ends_on,
                    created_at=m.created_at,
                )
                for m in members
            ],
        )
        made += len(members)
        return len(chunks)

    seed(ctx, "committee members (institutions)", work, build, save, per_chunk=institution_chunk(ctx))
    ctx.cache.pop("committee_pool", None)
    return made


def pool(ctx: scale.Context) -> dict[int, list[tuple[int, bool]]]:
    """Institution pk -> (member pk, is chair) of its active members, chair first."""
    found: dict[int, list[tuple[int, bool]]] | None = ctx.cache.get("committee_pool")
    if found is None:
        found = {}
        rows = (
            CommitteeMember.objects.filter(
                institution_id__in=institution_ids(ctx), status=CommitteeMember.Status.ACTIVE
            )
            .order_by("institution_id", "-is_chair", "pk")
            .values_list("institution_id", "pk", "is_chair")
        )
        for inst, pk, chair in rows:
            found.setdefault(inst, []).append((pk, chair))
        ctx.cache["committee_pool"] = found
    return found


# --- Meetings -------------------------------------------------------------------------------


@dataclass
class ItemSpec:
    item: AgendaItem
    opinion: Opinion | None = None


@dataclass
class MeetingSpec:
    meeting: Meeting
    seats: list[MeetingMember]
    items: list[ItemSpec] = field(default_factory=list)


def build_meeting(ctx: scale.Context, inst: int, k: int) -> MeetingSpec:
    dice = Dice(SALT, inst, k, 1)
    status = state(ctx, dice, MEETING_STATUSES)
    if status in (MS.CLOSED, MS.CANCELLED):
        day = history_day(ctx, dice, newest=1)
    else:
        day = today(ctx) + datetime.timedelta(days=dice.number(3, 20) if status == MS.CONVENED else dice.number(10, 40))
    starts = at(day, 14)
    written = dice.chance(0.15)
    number = SCALE_NUMBER_BASE + k
    meeting = Meeting(
        institution_id=inst,
        year=day.year,
        number=number,
        reference=f"{PREFIX}{REFERENCE_PREFIX}-{day.year}-{number}",
        title=f"{day.year}년 적극행정위원회 제{k + 1}차 회의",
        mode=Meeting.Mode.WRITTEN if written else Meeting.Mode.IN_PERSON,
        written_reason=dice.pick(Meeting.WrittenReason.values) if written else "",
        starts_at=starts,
        place="" if written else "본관 3층 소회의실",
        vote_deadline=starts + datetime.timedelta(days=3) if written else None,
        status=status,
        created_at=at(day - datetime.timedelta(days=21)),
        updated_at=at(day - datetime.timedelta(days=7)),
    )
    held = status == MS.CLOSED
    if status != MS.DRAFT:
        meeting.convened_at = at(day - datetime.timedelta(days=7), 10)
    if held:
        meeting.closed_at = starts + datetime.timedelta(hours=2)
        meeting.updated_at = meeting.closed_at
        meeting.notes = "상정된 안건을 심의하여 의결하였습니다."
    members = pool(ctx).get(inst, [])
    seats = [
        MeetingMember(
            member_id=pk,
            is_chair=chair,
            attendance=MeetingMember.Attendance.CONFIRMED if status != MS.DRAFT else MeetingMember.Attendance.PENDING,
            invited_at=meeting.convened_at,
            responded_at=meeting.convened_at + datetime.timedelta(days=1) if meeting.convened_at else None,
            present=(chair or dice.chance(0.9)) if held else None,
        )
        for pk, chair in members[: SEATS + 1]
    ]
    spec = MeetingSpec(meeting, seats)
    present = sum(1 for s in seats if s.present)
    for order in range(1, dice.number(1, 4) + 1):
        kind, title = dice.weighted([((kind, title), w) for kind, w, title in ITEM_KINDS])
        item = AgendaItem(
            institution_id=inst,
            order=order,
            kind=kind,
            title=title,
            summary="담당 부서의 검토 의견과 관계 법령을 첨부합니다.",
            status=IS.PENDING,
            created_at=meeting.created_at,
            updated_at=meeting.updated_at,
        )
        if status == MS.CANCELLED or (held and dice.chance(0.04)):
            item.status = IS.WITHDRAWN
        elif held:
            result = dice.weighted(RESULTS) if present * 2 > len(seats) else AgendaItem.Result.NO_QUORUM
            against = dice.number(0, max(0, present // 3))
            item.status, item.result = IS.DECIDED, result
            item.opened_at = starts + datetime.timedelta(minutes=10 * order)
            item.decided_at = item.opened_at + datetime.timedelta(minutes=20)
            item.resolution = "원안대로 의결함" if result == AgendaItem.Result.ADOPTED else "부결함"
            item.eligible_count, item.present_count = len(seats), present
            if result != AgendaItem.Result.NO_QUORUM:
                votes_for = present - against if result == AgendaItem.Result.ADOPTED else against
                item.votes_for, item.votes_against = votes_for, present - votes_for
                item.votes_abstain = 0
        spec.items.append(ItemSpec(item, _opinion(ctx, dice, inst, day, held) if dice.chance(0.3) else None))
    return spec


def _opinion(ctx: scale.Context, dice: Dice, inst: int, day: datetime.date, held: bool) -> Opinion:
    kind = dice.weighted(OPINION_KINDS)
    requested = day - datetime.timedelta(days=dice.number(12, 25))
    opinion = Opinion(
        institution_id=inst,
        kind=kind,
        author={Opinion.Kind.AUDIT: "감사담당관", Opinion.Kind.LEGAL: "법무법인 바른길"}.get(
            kind, dice.pick(PEOPLE_NAMES)
        ),
        status=Opinion.Status.RECEIVED,
        created_at=at(requested),
    )
    if kind == Opinion.Kind.AUDIT:
        opinion.request_note = "안건에 대한 감사부서의 검토 의견을 제출해 주십시오."
        opinion.requested_on = requested
        opinion.due_on = roll_to_working_day(requested + datetime.timedelta(days=OPINION_DAYS))
    received = later(requested, 3, 15, dice)
    if held or (received <= today(ctx) and dice.chance(0.5)):
        opinion.received_on = not_after(ctx, received)
        opinion.body = "관계 법령과 선례를 검토한 결과 안건의 처리 방향이 타당하다고 봅니다."
    else:
        opinion.status = Opinion.Status.REQUESTED
    opinion.updated_at = at(opinion.received_on or requested)
    return opinion


def save_meetings(ctx: scale.Context, specs: list[MeetingSpec]) -> int:
    bulk(ctx, [s.meeting for s in specs])
    for s in specs:
        for seat in s.seats:
            seat.meeting_id = s.meeting.pk
        for i in s.items:
            i.item.meeting_id = s.meeting.pk
    bulk(ctx, [seat for s in specs for seat in s.seats])
    bulk(ctx, [i.item for s in specs for i in s.items])
    heard = [i for s in specs for i in s.items if i.opinion is not None]
    for i in heard:
        i.opinion.item_id = i.item.pk  # type: ignore[union-attr]
    bulk(ctx, [i.opinion for i in heard if i.opinion is not None])
    url = queue_url()
    clocks: list[Deadline] = [
        deadline(
            ctx,
            target=i.opinion,
            kind=DEADLINE_KIND,
            label=f"감사부서 의견: {i.item.title}",
            url=url,
            starts_on=i.opinion.requested_on,
            due_on=i.opinion.due_on,
            closed_on=i.opinion.received_on,
        )
        for i in heard
        if i.opinion is not None and i.opinion.requested_on is not None and i.opinion.due_on is not None
    ]
    bulk(ctx, clocks)
    return len(specs)


# --- Items that other modules' scale steps put on the agenda --------------------------------


def meetings(ctx: scale.Context) -> dict[int, list[tuple[datetime.date, int, str]]]:
    """Institution pk -> (day, meeting pk, status) of its scale meetings, by day (loaded once
    per run, after this module's step)."""
    found: dict[int, list[tuple[datetime.date, int, str]]] | None = ctx.cache.get("committee_meetings")
    if found is None:
        found = {}
        rows = (
            Meeting.objects.filter(institution_id__in=institution_ids(ctx), reference__startswith=PREFIX)
            .order_by("institution_id", "starts_at", "pk")
            .values_list("institution_id", "starts_at", "pk", "status")
        )
        for inst, starts, pk, status in rows:
            found.setdefault(inst, []).append((timezone.localdate(starts), pk, status))
        ctx.cache["committee_meetings"] = found
    return found


def sitting(ctx: scale.Context, inst: int, after: datetime.date, *, held: bool) -> tuple[datetime.date, int] | None:
    """The first meeting of the institution from `after` on: held (closed) within 60 days,
    or still to come (drafted or convened); None when there is none."""
    for day, pk, status in meetings(ctx).get(inst, []):
        if day < after:
            continue
        if held and status == MS.CLOSED and day <= after + datetime.timedelta(days=60):
            return day, pk
        if not held and status in Meeting.OPEN_STATES:
            return day, pk
    return None


def linked_item(
    *, institution_id: int, meeting: tuple[datetime.date, int], case: Model, kind: str, title: str, held: bool
) -> AgendaItem:
    """An agenda item deciding (or to decide) `case` at `meeting` (the case link of
    committee/linking.py), adopted when the meeting was held."""
    day, meeting_id = meeting
    starts = at(day, 14)
    item = AgendaItem(
        institution_id=institution_id,
        meeting_id=meeting_id,
        order=9,
        kind=kind,
        title=title[:300],
        case_type=content_type(type(case)),
        case_id=case.pk,
        status=IS.DECIDED if held else IS.PENDING,
        created_at=at(day - datetime.timedelta(days=10)),
        updated_at=starts,
    )
    if held:
        item.result = AgendaItem.Result.ADOPTED
        item.opened_at = starts + datetime.timedelta(minutes=90)
        item.decided_at = item.opened_at + datetime.timedelta(minutes=20)
        item.resolution = "원안대로 의결함"
    return item


# --- Advice requests ------------------------------------------------------------------------


def build_advice(ctx: scale.Context, inst: int, k: int) -> AdviceRequest:
    dice = Dice(SALT, inst, k, 2)
    status = state(ctx, dice, ADVICE_STATUSES)
    person, unit = dice.pick(staff(ctx)[inst])
    open_ = status in (AR.SUBMITTED, AR.ON_AGENDA)
    submitted = history_day(ctx, dice, oldest=40) if open_ else history_day(ctx, dice, newest=60)
    title, rule = dice.pick(ADVICE_TOPICS)
    number = SCALE_NUMBER_BASE + k
    request = AdviceRequest(
        institution_id=inst,
        year=submitted.year,
        number=number,
        reference=f"{PREFIX}{ADVICE_PREFIX}-{submitted.year}-{number}",
        requester_id=person,
        unit_id=unit,
        title=title,
        task=f"{title}에 관한 업무를 처리하려 합니다.",
        rule=rule,
        options="규정을 넓게 해석해 처리하는 방안과 상급기관 질의 후 처리하는 방안을 검토했습니다.",
        work_item_id=work_item(ctx, dice, inst, 0.4),
        status=status,
        submitted_on=submitted,
        created_at=at(submitted),
    )
    last = submitted
    if status in (AR.ADVISED, AR.OUTCOME_RECORDED):
        request.advised_on = last = not_after(ctx, later(submitted, 10, 45, dice))
        request.advice = "규정의 취지에 비추어 첫째 방안으로 처리할 수 있습니다."
    if status == AR.OUTCOME_RECORDED:
        request.followed = dice.weighted(FOLLOWED)
        request.acted_on = last = not_after(ctx, later(last, 3, 30, dice))
        request.outcome_note = "위원회 자문에 따라 처리함"
    elif status == AR.WITHDRAWN:
        last = not_after(ctx, later(submitted, 1, 10, dice))
    request.updated_at = at(last, 16)
    return request


def save_advice(ctx: scale.Context, rows: list[AdviceRequest]) -> int:
    bulk(ctx, rows)
    source_type = content_type(AdviceRequest)
    bulk(
        ctx,
        [
            Presumption(
                institution_id=r.institution_id,
                person_id=r.requester_id,
                work_item_id=r.work_item_id,
                act=r.title,
                source=Presumption.Source.COMMITTEE_ADVICE,
                source_type=source_type,
                source_id=r.pk,
                source_reference=r.reference,
                advice_given_on=r.advised_on,
                acted_on=r.acted_on,
                followed=r.followed,
                created_at=r.updated_at,
                updated_at=r.updated_at,
            )
            for r in rows
            if r.status == AR.OUTCOME_RECORDED and r.advised_on is not None
        ],
    )
    return len(rows)


def step(ctx: scale.Context) -> int:
    ctx.cache.pop("committee_meetings", None)  # meetings(): read again after this step
    created = step_members(ctx)
    with_pool = set(pool(ctx))
    meetings = [w for w in plan(ctx, Meeting, int(ctx.cases * MEETING_SHARE)) if w[0] in with_pool]
    created += seed(
        ctx, "committee meetings", meetings, lambda i, k: build_meeting(ctx, i, k), lambda s: save_meetings(ctx, s)
    )
    with_staff = set(staff(ctx))
    advice = [w for w in plan(ctx, AdviceRequest, int(ctx.cases * ADVICE_SHARE)) if w[0] in with_staff]
    return created + seed(
        ctx, "committee advice requests", advice, lambda i, k: build_advice(ctx, i, k), lambda r: save_advice(ctx, r)
    )


scale.add_step(scale.Step("committee", step))
