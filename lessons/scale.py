"""seed_scale: the casebook of passive administration lessons of the SCALE- institutions
(institutions/scale_kit.py).

About two in three reports closed with a disciplinary demand become an anonymised lesson
written by the institution's audit staff account; most are published (the anonymisation
confirmed by the active administration officer, a few shared with the institutions under
the same supervising body), the others in review, sent back, drafted or withdrawn.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from institutions import scale
from institutions.scale import PREFIX
from institutions.scale_kit import Dice, at, bulk, institution_ids, later, not_after, required_user, salt, seed, user
from lessons.models import Lesson
from lessons.services import NUMBER_PREFIX
from reports import scale as reports_scale  # noqa: F401 - the reports step is added first
from reports.models import Report

SALT = salt("lessons")
SHARE = 0.65
S = Lesson.Status
STATUSES = ((S.PUBLISHED, 60), (S.IN_REVIEW, 10), (S.RETURNED, 8), (S.DRAFT, 12), (S.WITHDRAWN, 10))
KIND_TITLES: dict[str, str] = {
    Report.Kind.PERFUNCTORY: "민원을 형식적으로 처리해 주민 피해가 생긴 사례",
    Report.Kind.NEGLECT: "처리 기한을 넘겨 방치해 징계된 사례",
    Report.Kind.DESK_BOUND: "현장 확인 없이 옛 기준으로 처리한 사례",
    Report.Kind.AUTHORITY: "소관이 아니라며 민원을 떠넘긴 사례",
}


def build(ctx: scale.Context, row: tuple[int, int, str, datetime.date]) -> Lesson:
    pk, inst, kind, closed = row
    dice = Dice(SALT, pk)
    status = dice.weighted(STATUSES)
    year = closed.year
    written = not_after(ctx, later(closed, 5, 30, dice))
    author = required_user(ctx, inst, "audit")
    lesson = Lesson(
        institution_id=inst,
        report_id=pk,
        number=f"{PREFIX}{NUMBER_PREFIX}-{year}-{pk:06d}",
        title=KIND_TITLES.get(kind, "소극행정 징계 사례"),
        kind=kind,
        what_happened="민원인이 요청한 처리를 담당자가 정당한 이유 없이 미루었습니다.",
        what_went_wrong="법령상 처리할 수 있는 사안이었으나 선례가 없다는 이유로 검토하지 않았습니다.",
        measures=str(Report.Outcome.DISCIPLINARY.label),
        lessons_learned="규정이 불분명하면 사전컨설팅을 받아 적극적으로 처리해야 합니다.",
        year=year,
        status=status,
        share_with_group=dice.chance(0.3),
        author_id=author,
        writer_ids=[author],
        created_at=at(written),
    )
    last = written
    if status != S.DRAFT:
        lesson.submitted_at = at(not_after(ctx, later(written, 1, 10, dice)), 11)
        last = lesson.submitted_at.date()
    if status == S.RETURNED:
        lesson.return_reason = "기관과 부서를 알아볼 수 있는 표현을 지워 주십시오."
    if status in (S.PUBLISHED, S.WITHDRAWN):
        reviewer = user(ctx, inst, "aa")
        published = not_after(ctx, later(last, 1, 10, dice))
        lesson.reviewer_id = lesson.anonymisation_confirmed_by_id = reviewer
        lesson.anonymisation_confirmed_at = lesson.published_at = at(published, 15)
        last = published
        if status == S.WITHDRAWN:
            last = not_after(ctx, later(published, 10, 200, dice))
            lesson.withdrawn_at = at(last, 15)
            lesson.withdraw_reason = "같은 유형의 새 사례로 대체함"
    lesson.updated_at = at(last, 16)
    return lesson


def step(ctx: scale.Context) -> int:
    """A lesson for the chosen disciplinary reports that have none (the choice is fixed by the
    report, so a second run finds nothing to do)."""
    rows = [
        (pk, inst, kind, timezone.localdate(closed))
        for pk, inst, kind, closed in Report.objects.filter(
            institution_id__in=institution_ids(ctx),
            status=Report.Status.CLOSED,
            outcome=Report.Outcome.DISCIPLINARY,
            lesson__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", "institution_id", "kind", "closed_at")
        if closed is not None and Dice(SALT, pk, 1).chance(SHARE) and user(ctx, inst, "audit")
    ]
    work = [(i, 0, 1) for i in range(len(rows))]  # one spec per chosen report (by its position)
    return seed(ctx, "lessons", work, lambda i, _k: build(ctx, rows[i]), lambda lessons: len(bulk(ctx, lessons)))


scale.add_step(scale.Step("lessons", step), after="reports")
