"""seed_scale: passive administration reports of the SCALE- institutions
(institutions/scale_kit.py).

`ctx.cases` reports in all, split over the institutions like their people, in every state
(most closed, a quarter found not passive), received over the last three years; about one in
twenty came from another institution (with its `ReportTransfer`); each has its processing
deadline (the open ones recent, some overdue), and the substantiated ones name officials.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from core.models import Deadline
from institutions import scale
from institutions.models import Policy
from institutions.scale import PEOPLE_NAMES, PREFIX
from institutions.scale_kit import (
    Dice,
    at,
    bulk,
    calendar,
    deadline,
    digest,
    history_day,
    later,
    not_after,
    people_of,
    plan,
    salt,
    seed,
    state,
    today,
    units,
    user,
)
from reports.models import Report, ReportTransfer
from reports.selectors import DEADLINE_KIND
from reports.services import NUMBER_PREFIX

SALT = salt("reports")
S = Report.Status
OUT = Report.Outcome
DAYS = Policy._meta.get_field("report_days").get_default()

STATUSES = (
    (S.CLOSED, 55),
    (S.NOT_PASSIVE, 25),
    (S.RECEIVED, 5),
    (S.INVESTIGATING, 11),
    (S.REVIEW_REQUESTED, 4),
)
OUTCOMES = (
    (OUT.CORRECTED, 35),
    (OUT.WARNING, 25),
    (OUT.TRAINING, 15),
    (OUT.DISCIPLINARY, 10),
    (OUT.NOT_SUBSTANTIATED, 15),
)
KINDS = (
    (Report.Kind.PERFUNCTORY, 30),
    (Report.Kind.NEGLECT, 35),
    (Report.Kind.DESK_BOUND, 20),
    (Report.Kind.AUTHORITY, 15),
)
WHAT = (
    "민원을 접수하고 한 달이 지나도록 아무런 안내가 없었습니다.",
    "담당자가 규정에 없다는 이유만 들어 신청서를 받지 않았습니다.",
    "다른 부서 소관이라며 세 차례나 전화를 돌렸습니다.",
    "현장 확인 없이 서류만 보고 불허 처분을 했습니다.",
    "같은 서류를 여러 번 다시 내라고 요구했습니다.",
    "법령이 바뀌었는데도 예전 기준으로 처리했습니다.",
    "처리 기한이 지났는데 이유를 알려 주지 않았습니다.",
    "위험 신고를 했는데 조치 없이 종결 처리되었습니다.",
)
HARM = (
    "사업 착공이 두 달 늦어져 추가 비용이 들었습니다.",
    "지원금 신청 기간을 놓쳤습니다.",
    "생업을 쉬고 여러 번 방문해야 했습니다.",
    "",
)
PLACES = ("민원실", "구청 건축과", "주민센터", "전화 상담", "현장")
RESULTS = {
    OUT.CORRECTED: "신고하신 내용을 확인하여 처리 절차를 바로잡고 민원을 다시 처리하였습니다.",
    OUT.WARNING: "담당 공무원에게 주의 조치하고 업무 처리 절차를 개선하였습니다.",
    OUT.TRAINING: "관련 부서 직원에게 적극행정 교육을 실시하였습니다.",
    OUT.DISCIPLINARY: "조사 결과 소극행정으로 확인되어 징계를 요구하였습니다.",
    OUT.NOT_SUBSTANTIATED: "조사하였으나 신고 내용이 사실로 확인되지 않았습니다.",
}
NOT_PASSIVE_REASON = "관련 법령에 따라 처리할 수 없는 사항으로, 소극행정에 해당하지 않습니다."


@dataclass
class Spec:
    report: Report
    officials: list[int]
    #: (from institution, when) for a report sent on by another institution
    transfer: tuple[int, datetime.date] | None
    #: the current deadline: (starts on, closed on or None)
    clock: tuple[datetime.date, datetime.date | None]


def build(ctx: scale.Context, inst: int, k: int) -> Spec:
    dice = Dice(SALT, inst, k)
    status = state(ctx, dice, STATUSES)
    received = _received_on(ctx, dice, status)
    unit_ids = units(ctx, inst)
    anonymous = dice.chance(0.7)
    report = Report(
        institution_id=inst,
        unit_id=dice.pick(unit_ids) if unit_ids and dice.chance(0.7) else None,
        number=f"{PREFIX}{NUMBER_PREFIX}-{received.year}-{k + 1:05d}",
        kind=dice.weighted(KINDS),
        what=dice.text(WHAT, 2),
        occurred=f"{received.year}년 {received.month}월경",
        place=dice.pick(PLACES),
        harm=dice.pick(HARM),
        anonymous=anonymous,
        reporter_name="" if anonymous else dice.pick(PEOPLE_NAMES),
        reporter_email="" if anonymous else f"reporter{inst}x{k}@example.com",
        receipt_hash=digest("report-receipt", inst, k),
        submission_key=digest("report-form", inst, k),
        status=status,
        created_at=at(received, dice.number(8, 21), dice.number(0, 59)),
    )
    others = [pk for pk, _ in ctx.institution_rows if pk != inst]
    transfer = None
    starts = received
    if others and status != S.REVIEW_REQUESTED and dice.chance(0.05):
        moved = not_after(ctx, later(received, 1, 5, dice))
        transfer, starts = (dice.pick(others), moved), moved
    handler = user(ctx, inst, "aa")
    last = starts
    closed: datetime.date | None = None
    officials: list[int] = []
    if status != S.RECEIVED:
        report.handler_id = handler
    if status in (S.CLOSED, S.NOT_PASSIVE, S.REVIEW_REQUESTED):
        late = dice.chance(0.1)
        closed = last = not_after(ctx, later(starts, 21, 40, dice) if late else later(starts, 2, 19, dice))
        report.closed_by_id = handler
        report.closed_at = at(closed, 16, dice.number(0, 59))
        if status == S.NOT_PASSIVE or (status == S.REVIEW_REQUESTED and dice.chance(0.4)):
            report.result_text = NOT_PASSIVE_REASON
        else:
            outcome = dice.weighted(OUTCOMES)
            report.outcome, report.result_text = outcome, RESULTS[outcome]
            if outcome == OUT.DISCIPLINARY:
                report.disciplinary_demand = "관련 공무원에 대한 경징계 의결 요구"
            if outcome != OUT.NOT_SUBSTANTIATED:
                officials = dice.sample(people_of(ctx, inst), dice.number(1, 2))
    if status == S.REVIEW_REQUESTED:
        asked = not_after(ctx, later(closed or last, 3, 20, dice))
        report.review_reason = "조사 결과가 신고 내용과 다르므로 다시 검토해 주시기 바랍니다."
        report.review_requested_at = at(asked, 11)  # the outcome stands until reopened
        starts, closed, last = asked, None, asked
    elif status == S.CLOSED and closed is not None and dice.chance(0.05):
        # the reporter asked for a review; another handler reopened and closed it again
        asked = later(closed, 3, 20, dice)
        again = later(asked, 5, 15, dice)
        if again <= today(ctx):
            report.review_reason = "조사 결과가 신고 내용과 다르므로 다시 검토해 주시기 바랍니다."
            report.review_requested_at = at(asked, 11)
            report.closed_at = at(again, 16)
            starts, closed, last = asked, again, again
    report.updated_at = at(last, 17)
    return Spec(report, officials, transfer, (starts, closed))


def _received_on(ctx: scale.Context, dice: Dice, status: str) -> datetime.date:
    if status == S.RECEIVED:
        return history_day(ctx, dice, oldest=12)
    if status == S.INVESTIGATING:
        return history_day(ctx, dice, oldest=35)
    if status == S.REVIEW_REQUESTED:
        return history_day(ctx, dice, newest=45, oldest=120)
    return history_day(ctx, dice, newest=45)


def save(ctx: scale.Context, specs: list[Spec]) -> int:
    for s in specs:  # the queue's copy of the deadline below (core.deadlines mirrors it)
        s.report.due_on = calendar(ctx).add(s.clock[0], DAYS)
    bulk(ctx, [s.report for s in specs])
    through = Report.officials.through
    bulk(ctx, [through(report_id=s.report.pk, person_id=p) for s in specs for p in s.officials])
    transfers: list[ReportTransfer] = []
    clocks: list[Deadline] = []
    for s in specs:
        report = s.report
        if s.transfer is not None:
            source, moved = s.transfer
            transfers.append(
                ReportTransfer(
                    report_id=report.pk,
                    number=report.number,
                    from_institution_id=source,
                    to_institution_id=report.institution_id,
                    reason="신고 내용이 이송받는 기관의 소관 업무입니다.",
                    by_id=user(ctx, source, "aa"),
                    created_at=at(moved, 14),
                )
            )
        starts, closed = s.clock
        clocks.append(
            deadline(
                ctx,
                target=report,
                kind=DEADLINE_KIND,
                label=str(report),
                url=report.get_absolute_url(),
                starts_on=starts,
                working_days=DAYS,
                closed_on=closed,
            )
        )
    bulk(ctx, transfers)
    bulk(ctx, clocks)
    return len(specs)


def step(ctx: scale.Context) -> int:
    work = plan(ctx, Report, ctx.cases)
    return seed(ctx, "reports", work, lambda inst, k: build(ctx, inst, k), lambda specs: save(ctx, specs))


scale.add_step(scale.Step("reports", step))
