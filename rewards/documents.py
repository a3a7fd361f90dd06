"""The compliance reports (이행 점검) of the incentives promised to selected officials — per
round and per year, as XLSX (core.exporter) and PDF (core.documents) — and the award
certificate of a selected official (ADR 0021).

Every report is a fixed number of queries whatever its size: the selected candidates, their
incentives (one query each, grouped here) and the counts, aggregated in the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.documents import pdf_response, render_pdf
from core.exporter import Sheet, xlsx_response
from core.notifications import users_with_roles
from core.roles import Role
from institutions.models import Institution
from rewards.models import Candidate, Incentive, Round

PLANNED = Incentive.Status.PLANNED
EXECUTED = Incentive.Status.EXECUTED
CANCELLED = Incentive.Status.CANCELLED


@dataclass(frozen=True)
class Row:
    """One line of a report: an incentive (or a selected official still without one)."""

    person: str
    employee_number: str
    unit: str
    round: str
    kind: str
    major: bool | None
    due_on: datetime.date | None
    responsible: str
    status: str
    executed_on: datetime.date | None
    reference: str
    #: days after the due date it was carried out, or has been open (None: on time)
    days_late: int | None
    #: still planned and past its due date
    open_overdue: bool
    #: a selected official without any major incentive planned or carried out
    missing_major: bool = False


@dataclass
class Summary:
    selected: int
    promised: int
    major: int
    executed: int
    executed_late: int
    open_overdue: int
    cancelled: int
    without_major: int


@dataclass
class Report:
    institution: Institution
    title: str
    rows: list[Row]
    summary: Summary
    today: datetime.date
    #: per round (the year report only): rounds annotated with their counts
    rounds: Sequence[Round] = ()


def _days_late(incentive: Incentive, today: datetime.date) -> tuple[int | None, bool]:
    if incentive.status == EXECUTED and incentive.executed_on is not None:
        late = (incentive.executed_on - incentive.due_on).days
        return (late if late > 0 else None), False
    if incentive.status == PLANNED and incentive.due_on < today:
        return (today - incentive.due_on).days, True
    return None, False


def _row(incentive: Incentive, round_title: str, today: datetime.date) -> Row:
    late, overdue = _days_late(incentive, today)
    person = incentive.person
    responsible = incentive.responsible
    return Row(
        person=person.name,
        employee_number=person.employee_number,
        unit=_unit_name(incentive.candidate) if incentive.candidate is not None else _name(person.unit),
        round=round_title,
        kind=str(incentive.get_kind_display()),
        major=incentive.is_major,
        due_on=incentive.due_on,
        responsible=str(responsible) if responsible is not None else "",
        status=str(incentive.get_status_display()),
        executed_on=incentive.executed_on,
        reference=incentive.reference,
        days_late=late,
        open_overdue=overdue,
    )


def _name(obj: Any) -> str:
    return str(obj.name) if obj is not None else ""


def _unit_name(candidate: Candidate) -> str:
    return _name(candidate.unit) or _name(candidate.person.unit)


def _rows(candidates: Iterable[Candidate], incentives: Iterable[Incentive], today: datetime.date) -> list[Row]:
    """Each selected candidate's incentives (or one line saying there is none yet), then the
    incentives that come from no selection (commendation entitlements)."""
    by_candidate: dict[int | None, list[Incentive]] = {}
    for incentive in incentives:
        by_candidate.setdefault(incentive.candidate_id, []).append(incentive)
    rows: list[Row] = []
    for candidate in candidates:
        mine = by_candidate.pop(candidate.pk, [])
        covered = any(i.is_major and i.status != CANCELLED for i in mine)
        if not mine:
            rows.append(
                Row(
                    person=candidate.person.name,
                    employee_number=candidate.person.employee_number,
                    unit=_unit_name(candidate),
                    round=candidate.round.title,
                    kind="",
                    major=None,
                    due_on=None,
                    responsible="",
                    status=_("계획 없음"),
                    executed_on=None,
                    reference="",
                    days_late=None,
                    open_overdue=False,
                    missing_major=True,
                )
            )
        for incentive in mine:
            row = _row(incentive, candidate.round.title, today)
            rows.append(row if covered else _replace_missing(row))
    for incentive in by_candidate.pop(None, []):
        source = _("포상: %(t)s") % {"t": incentive.commendation.title} if incentive.commendation else ""
        rows.append(_row(incentive, source, today))
    for leftovers in by_candidate.values():  # a candidate not selected (should not happen)
        rows.extend(_row(i, i.candidate.round.title if i.candidate else "", today) for i in leftovers)
    return rows


def _replace_missing(row: Row) -> Row:
    from dataclasses import replace

    return replace(row, missing_major=True)


def _summary(selected: int, incentives: QuerySet[Incentive], without_major: int, today: datetime.date) -> Summary:
    live = ~Q(status=CANCELLED)
    counts = incentives.aggregate(
        promised=Count("pk", filter=live),
        major=Count("pk", filter=live & Q(kind__in=Incentive.MAJOR)),
        executed=Count("pk", filter=Q(status=EXECUTED)),
        executed_late=Count("pk", filter=Q(status=EXECUTED, executed_on__gt=F("due_on"))),
        open_overdue=Count("pk", filter=Q(status=PLANNED, due_on__lt=today)),
        cancelled=Count("pk", filter=Q(status=CANCELLED)),
    )
    return Summary(selected=selected, without_major=without_major, **counts)


def _selected(qs: QuerySet[Candidate]) -> list[Candidate]:
    return list(
        qs.filter(status=Candidate.Status.SELECTED)
        .select_related("person__unit", "unit", "round")
        .order_by("round__nominations_open", "round_id", "rank", "person__name", "pk")
    )


def _incentives(qs: QuerySet[Incentive]) -> QuerySet[Incentive]:
    return qs.select_related(
        "person__unit",
        "candidate__round",
        "candidate__unit",
        "candidate__person__unit",
        "commendation",
        "responsible__person",
    ).order_by("due_on", "pk")


def round_report(round_: Round) -> Report:
    today = timezone.localdate()
    candidates = _selected(Candidate.objects.filter(round=round_))
    incentives = Incentive.objects.filter(candidate__round=round_)
    rows = _rows(candidates, _incentives(incentives), today)
    summary = _summary(len(candidates), incentives, _without_major(candidates, incentives), today)
    return Report(round_.institution, round_.title, rows, summary, today)


def _without_major(candidates: Sequence[Candidate], incentives: QuerySet[Incentive]) -> int:
    covered = set(
        incentives.filter(kind__in=Incentive.MAJOR)
        .exclude(status=CANCELLED)
        .values_list("candidate_id", flat=True)
        .distinct()
    )
    return sum(1 for c in candidates if c.pk not in covered)


def year_rounds(institution_id: int, year: int) -> QuerySet[Round]:
    """The rounds of a year with their counts (one query)."""
    inc = "candidates__incentives"
    live = ~Q(**{f"{inc}__status": CANCELLED})
    today = timezone.localdate()
    return (
        Round.objects.filter(institution_id=institution_id, year=year)
        .annotate(
            n_selected=Count("candidates", filter=Q(candidates__status=Candidate.Status.SELECTED), distinct=True),
            n_promised=Count(inc, filter=live, distinct=True),
            n_major=Count(inc, filter=live & Q(**{f"{inc}__kind__in": Incentive.MAJOR}), distinct=True),
            n_executed=Count(inc, filter=Q(**{f"{inc}__status": EXECUTED}), distinct=True),
            n_late=Count(
                inc,
                filter=Q(**{f"{inc}__status": EXECUTED, f"{inc}__executed_on__gt": F(f"{inc}__due_on")}),
                distinct=True,
            ),
            n_overdue=Count(inc, filter=Q(**{f"{inc}__status": PLANNED, f"{inc}__due_on__lt": today}), distinct=True),
        )
        .order_by("nominations_open", "pk")
    )


def year_report(institution: Institution, year: int) -> Report:
    today = timezone.localdate()
    candidates = _selected(Candidate.objects.filter(round__institution=institution, round__year=year))
    incentives = Incentive.objects.filter(institution=institution).filter(
        Q(candidate__round__year=year) | Q(candidate__isnull=True, commendation__awarded_on__year=year)
    )
    rows = _rows(candidates, _incentives(incentives), today)
    summary = _summary(len(candidates), incentives, _without_major(candidates, incentives), today)
    title = _("%(y)d년 적극행정 우수공무원 인센티브 이행 현황") % {"y": year}
    return Report(institution, title, rows, summary, today, rounds=list(year_rounds(institution.pk, year)))


# --- Output --------------------------------------------------------------------------------


def _headers() -> list[str]:
    return [
        _("성명"),
        _("공무원 번호"),
        _("부서"),
        _("선발(근거)"),
        _("인센티브"),
        _("주요 인센티브"),
        _("시행 기한"),
        _("시행 담당자"),
        _("상태"),
        _("시행일"),
        _("근거 문서번호"),
        _("지연 일수"),
        _("기한 경과(미시행)"),
    ]


def _yes(value: bool | None) -> str:
    if value is None:
        return ""
    return _("예") if value else _("아니요")


def _cells(row: Row) -> list[Any]:
    return [
        row.person,
        row.employee_number,
        row.unit,
        row.round,
        row.kind or _("주요 인센티브 계획 없음"),
        _yes(row.major),
        row.due_on,
        row.responsible,
        row.status,
        row.executed_on,
        row.reference,
        row.days_late,
        _yes(row.open_overdue),
    ]


def _summary_sheet(summary: Summary) -> Sheet:
    return Sheet(
        headers=[_("항목"), _("건수")],
        title=_("요약"),
        rows=[
            (_("선발된 공무원"), summary.selected),
            (_("주요 인센티브가 없는 선발자"), summary.without_major),
            (_("약속된 인센티브(취소 제외)"), summary.promised),
            (_("그중 주요 인센티브"), summary.major),
            (_("시행 완료"), summary.executed),
            (_("기한 후 시행"), summary.executed_late),
            (_("기한 경과·미시행"), summary.open_overdue),
            (_("취소"), summary.cancelled),
        ],
    )


def _rounds_sheet(rounds: Sequence[Round]) -> Sheet:
    return Sheet(
        headers=[
            _("선발 번호"),
            _("명칭"),
            _("상태"),
            _("선발 확정일"),
            _("선발 인원"),
            _("약속된 인센티브"),
            _("주요 인센티브"),
            _("시행 완료"),
            _("기한 후 시행"),
            _("기한 경과·미시행"),
        ],
        title=_("선발별 요약"),
        rows=[
            (
                r.number,
                r.title,
                r.get_status_display(),
                r.decided_on,
                r.n_selected,  # type: ignore[attr-defined]
                r.n_promised,  # type: ignore[attr-defined]
                r.n_major,  # type: ignore[attr-defined]
                r.n_executed,  # type: ignore[attr-defined]
                r.n_late,  # type: ignore[attr-defined]
                r.n_overdue,  # type: ignore[attr-defined]
            )
            for r in rounds
        ],
    )


def report_xlsx(report: Report, filename: str) -> FileResponse:
    extra = [_summary_sheet(report.summary)]
    if report.rounds:
        extra.append(_rounds_sheet(report.rounds))
    return xlsx_response(
        filename, _headers(), (_cells(r) for r in report.rows), sheet_title=_("이행 현황"), extra_sheets=extra
    )


def report_pdf(report: Report, filename: str, *, document_number: str = "") -> HttpResponse:
    pdf = render_pdf(
        "rewards/documents/report.html",
        {
            "document_title": report.title,
            "document_number": document_number,
            "institution_name": report.institution.name,
            "issued_on": report.today,
            "report": report,
            "headers": _headers(),
        },
    )
    return pdf_response(pdf, filename)


def head_title(institution: Institution) -> str:
    """The title of the institution's head for a signature: "새솔구 구청장" (the position of
    the person holding the HEAD role), else "새솔구청장"-style "<institution>장"."""
    head = users_with_roles(institution.pk, Role.HEAD).select_related("person").first()
    position = head.person.position.strip() if head is not None and head.person is not None else ""
    return f"{institution.name} {position}" if position else _("%(name)s장") % {"name": institution.name}


def certificate_pdf(candidate: Candidate) -> HttpResponse:
    round_ = candidate.round
    institution = round_.institution
    number = f"{round_.number}-{candidate.pk}" if round_.number else str(candidate.pk)
    pdf = render_pdf(
        "rewards/documents/certificate.html",
        {
            "document_title": _("적극행정 우수공무원 선발 증서"),
            "document_number": number,
            "institution_name": institution.name,
            "candidate": candidate,
            "person": candidate.person,
            "unit_name": _unit_name(candidate),
            "round": round_,
            "head_title": head_title(institution),
        },
    )
    return pdf_response(pdf, _("우수공무원_선발증서_%(name)s") % {"name": candidate.person.name})
