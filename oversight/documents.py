"""The periodic check report's content, PDF and XLSX (ADR 0024).

For one institution the report gives every figure of the period beside the previous
period and, for a year or a half, quarter by quarter; for a supervising body it gives
every figure of every institution below it, a table per section. Both begin with the
warnings the dashboards show (`indicators.flags`: an institution past its due date without
an approved plan). The content is collected first (with progress), then both files are
written from the same content, so the PDF and the spreadsheet never disagree.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from core.documents import render_pdf
from core.exporter import Sheet, write_xlsx
from institutions.models import Institution
from oversight import indicators
from oversight.indicators import Measure, Section
from oversight.models import CheckReport
from oversight.period import Period

Progress = Callable[[int, str], None]


@dataclass
class SectionContent:
    section: Section
    measures: list[Measure]
    #: one row per measure (institution scope) or per institution (subordinates scope)
    rows: list[list[Any]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)


@dataclass
class Content:
    report: CheckReport
    period: Period
    institutions: list[Institution]
    sections: list[SectionContent]
    generated_at: Any
    #: the dashboards' warnings: (institution, its warnings) for the flagged ones, in name order
    flags: list[tuple[Institution, list[str]]] = field(default_factory=list)

    @property
    def flag_rows(self) -> list[list[str]]:
        """One row per warning: the institution's name and the warning."""
        return [[i.name, message] for i, messages in self.flags for message in messages]


def collect(report: CheckReport, *, progress: Progress) -> Content:
    period = Period.parse(report.period)
    if report.scope == CheckReport.Scope.SUBORDINATES:
        below = Institution.objects.filter(pk__in=report.institution.descendant_ids())
        institutions = list(below.only("pk", "name", "code").order_by("name", "pk"))
    else:
        institutions = [report.institution]
    ids = [i.pk for i in institutions]
    flagged = indicators.flags(ids, period)
    flags = [(i, flagged[i.pk]) for i in institutions if flagged.get(i.pk)]
    all_sections = indicators.sections()
    contents: list[SectionContent] = []
    columns = [period, period.previous()] + (period.quarters() if period.kind != "quarter" else [])
    for n, (section, measures) in enumerate(all_sections):
        progress(int(90 * n / max(len(all_sections), 1)), str(section.label))
        content = SectionContent(section, measures)
        if report.scope == CheckReport.Scope.SUBORDINATES:
            values = indicators.figures(ids, period, section=section.key)
            content.headers = [_("기관"), *[str(m.label) for m in measures]]
            content.rows = [[i.name, *[values[i.pk].get(m.key) for m in measures]] for i in institutions]
        else:
            by_column = [indicators.figures(ids, p, section=section.key)[ids[0]] for p in columns]
            content.headers = [_("지표"), *[p.label for p in columns]]
            content.rows = [[str(m.label), *[col.get(m.key) for col in by_column]] for m in measures]
        contents.append(content)
    return Content(report, period, institutions, contents, timezone.localtime(), flags)


def filename(report: CheckReport, content: Content) -> str:
    scope = _("하위기관비교") if report.scope == CheckReport.Scope.SUBORDINATES else _("점검")
    return f"{report.institution.code}-{content.period.key}-{scope}-{report.pk}"


def title(content: Content) -> str:
    if content.report.scope == CheckReport.Scope.SUBORDINATES:
        return _("%(period)s 적극행정 정기 점검 보고서(하위 기관 비교)") % {"period": content.period.label}
    return _("%(period)s 적극행정 정기 점검 보고서") % {"period": content.period.label}


def pdf(report: CheckReport, content: Content) -> bytes:
    return render_pdf(
        "oversight/check_report_pdf.html",
        {
            "document_title": title(content),
            "institution_name": report.institution.name,
            "issued_on": content.generated_at.date(),
            "content": content,
            "subordinates": report.scope == CheckReport.Scope.SUBORDINATES,
        },
    )


def xlsx(report: CheckReport, content: Content) -> bytes:
    sheets = [
        Sheet(
            headers=[_("항목"), _("내용")],
            rows=[
                [_("보고서"), title(content)],
                [_("기관"), report.institution.name],
                [_("점검 기간"), f"{content.period.label} ({content.period.start} ~ {content.period.end})"],
                [_("기준일"), content.period.as_of(content.generated_at.date())],
                [_("작성 시각"), content.generated_at],
                [_("대상 기관 수"), len(content.institutions)],
                [_("주의가 필요한 기관 수"), len(content.flags)],
            ],
            title=_("개요"),
        ),
        Sheet(headers=[_("기관"), _("주의할 사항")], rows=content.flag_rows, title=_("주의")),
    ]
    for s in content.sections:
        sheets.append(Sheet(headers=s.headers, rows=s.rows, title=str(s.section.label)[:31]))
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets)
    return buffer.getvalue()
