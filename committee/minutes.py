"""The minutes of a meeting (one PDF, core.documents) and its vote results as CSV / XLSX
(core.exporter). Both read `selectors_deliberation.meeting_record`, a fixed number of
queries per meeting."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from typing import Any

from django.http import HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from committee.models import Meeting
from committee.selectors_deliberation import ItemRecord, MeetingRecord, meeting_record
from core.documents import render_pdf
from core.exporter import xlsx_response

TEMPLATE = "documents/committee_minutes.html"


def minutes_context(meeting: Meeting, *, presiding: bool, record: MeetingRecord | None = None) -> dict[str, Any]:
    """``presiding``: the reader is the secretary or the meeting's chair (vote secrecy,
    `selectors_deliberation.votes_visible`)."""
    record = record or meeting_record(meeting, presiding=presiding)
    return {
        "record": record,
        "meeting": meeting,
        "draft": record.is_draft,
        "document_title": _("적극행정위원회 회의록") + (" (" + _("초안") + ")" if record.is_draft else ""),
        "document_number": meeting.reference,
        "institution_name": meeting.institution.name,
        "issued_on": timezone.localdate(meeting.closed_at) if meeting.closed_at else None,
    }


def minutes_pdf(meeting: Meeting, *, presiding: bool) -> bytes:
    return render_pdf(TEMPLATE, minutes_context(meeting, presiding=presiding))


def filename(meeting: Meeting, what: str) -> str:
    return f"{meeting.reference} {what}"


# --- Vote export ----------------------------------------------------------------------------


def headers() -> list[str]:
    return [
        _("안건 순서"),
        _("안건"),
        _("위원"),
        _("구분"),
        _("이해충돌 신고"),
        _("제척·기피·회피"),
        _("출석"),
        _("표결"),
        _("의결 결과"),
    ]


def _yes_no(value: bool | None) -> str:
    if value is None:
        return "—"
    return _("예") if value else _("아니요")


def _item_rows(entry: ItemRecord, written: bool) -> Iterator[list[Any]]:
    item = entry.item
    for row in entry.rows:
        member = row.seat.member
        declaration = row.declaration.get_kind_display() if row.declaration else _("미신고")
        present = (row.vote is not None if entry.votes_shown else None) if written else row.present
        yield [
            item.order,
            item.title,
            member.name,
            member.get_kind_display(),
            declaration,
            _yes_no(row.recused),
            _yes_no(present if not row.recused else None),
            row.vote.get_choice_display() if row.vote and not row.recused else "",
            "",
        ]
    t = entry.tally
    result = item.get_result_display() if item.result else _("의결 전")
    counts = (
        [
            _("재적 %(n)s") % {"n": t.eligible},
            _("출석 %(n)s") % {"n": t.present},
            _("찬성 %(f)s · 반대 %(a)s · 기권 %(b)s") % {"f": t.votes_for, "a": t.votes_against, "b": t.votes_abstain},
        ]
        if t is not None
        else ["", "", _("의결 후 공개")]
    )
    yield [item.order, item.title, _("합계"), "", "", *counts, result]


def export_rows(record: MeetingRecord) -> list[list[Any]]:
    written = record.meeting.mode == Meeting.Mode.WRITTEN
    return [row for entry in record.items for row in _item_rows(entry, written)]


def csv_response(name: str, head: Sequence[str], rows: Sequence[Sequence[Any]]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(head)
    for row in rows:
        # a cell that starts like a formula is kept as text in a spreadsheet
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in {"=", "+", "-", "@"} else v for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name + ".csv")
    response["Cache-Control"] = "private, no-store"
    return response


def votes_response(meeting: Meeting, fmt: str, *, presiding: bool) -> HttpResponseBase:
    record = meeting_record(meeting, presiding=presiding)
    name = filename(meeting, _("표결 결과"))
    rows = export_rows(record)
    if fmt == "xlsx":
        return xlsx_response(name, headers(), rows, sheet_title=_("표결 결과"))
    return csv_response(name, headers(), rows)
