"""Compliance reports (XLSX and PDF, per round and per year) and award certificates."""

from __future__ import annotations

import datetime
import io
import re
import zlib
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.access import actor_for
from rewards import documents, services
from rewards.models import Commendation, Incentive
from rewards.tests import factories as f
from rewards.tests.conftest import TODAY
from tests.cast import Cast

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
K = Incentive.Kind


def pdf_text(pdf: bytes) -> str:
    """The text of a WeasyPrint PDF: the glyphs of every TJ array mapped back to characters
    through the fonts' ToUnicode maps (enough to find a name in a test)."""
    streams = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            streams.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    glyphs: dict[str, str] = {}
    for stream in streams:
        for block in re.findall(rb"beginbfchar(.*?)endbfchar", stream, re.S):
            for code, char in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>", block):
                glyphs[code.decode().lower()] = bytes.fromhex(char.decode()).decode("utf-16-be", "replace")
    lines = []
    for stream in streams:
        for array in re.findall(rb"\[(.*?)\]\s*TJ", stream, re.S):
            codes = b"".join(re.findall(rb"<([0-9a-fA-F]*)>", array)).decode().lower()
            lines.append("".join(glyphs.get(codes[i : i + 4], "?") for i in range(0, len(codes), 4)))
    return re.sub(r"\s", "", "".join(lines))


def plan(cast: Cast, candidate: Any, kind: str = K.SPECIAL_PROMOTION, due: datetime.date | None = None) -> Incentive:
    return services.plan_incentive(
        actor=f.organiser(cast),
        candidate=candidate,
        kind=kind,
        due_on=due or TODAY + 10 * DAY,
        responsible=cast.users["hr_officer"],
    )


def scenario(cast: Cast) -> tuple[Any, list[Any], dict[str, Incentive]]:
    """A decided round with three selected officials: one carried out late, one overdue and
    still open, one with only a non-major incentive."""
    round_, chosen, _others = f.decided_round(cast, (9, 8, 7), selected=3, select_count=3)
    a, b, c = chosen
    done = plan(cast, a, due=TODAY)
    Incentive.objects.filter(pk=done.pk).update(due_on=TODAY - 5 * DAY)
    done.refresh_from_db()
    services.execute_incentive(
        actor=actor_for(cast.users["hr_officer"]), incentive=done, executed_on=TODAY, reference="인사발령 제2026-31호"
    )
    late = plan(cast, b, K.TOP_BONUS, due=TODAY)
    Incentive.objects.filter(pk=late.pk).update(due_on=TODAY - 7 * DAY)
    minor = plan(cast, c, K.REWARD_LEAVE)
    return round_, chosen, {"done": done, "late": late, "minor": minor}


def test_round_report_counts_and_rows(cast: Cast) -> None:
    round_, chosen, _made = scenario(cast)
    report = documents.round_report(round_)
    s = report.summary
    assert (s.selected, s.promised, s.major, s.executed, s.executed_late, s.open_overdue, s.without_major) == (
        3,
        3,
        2,
        1,
        1,
        1,
        1,
    )
    rows = {r.person: r for r in report.rows}
    a, b, c = (x.person.name for x in chosen)
    assert rows[a].days_late == 5
    assert rows[a].reference == "인사발령 제2026-31호"
    assert not rows[a].open_overdue
    assert rows[b].days_late == 7
    assert rows[b].open_overdue
    assert rows[c].missing_major
    assert rows[c].major is False


def test_round_report_xlsx(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    round_, chosen, _made = scenario(cast)
    client = client_for("hr_officer")
    url = reverse("rewards:round_report_xlsx", args=[round_.pk])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["이행 현황", "요약"]
    rows = list(book["이행 현황"].iter_rows(values_only=True))
    assert rows[0][0] == "성명"
    names = {row[0] for row in rows[1:]}
    assert names == {c.person.name for c in chosen}
    late = next(row for row in rows[1:] if row[4] == "성과급 최고등급")
    assert late[11] == 7
    assert late[12] == "예"
    summary = dict(book["요약"].iter_rows(min_row=2, values_only=True))
    assert summary["기한 경과·미시행"] == 1
    n = len(few.captured_queries)
    for candidate in chosen:
        plan(cast, candidate, K.PREFERRED_POSTING)
        plan(cast, candidate, K.COMMENDATION)
    with django_assert_max_num_queries(n):
        client.get(url)


def test_round_report_pdf_names_the_officials(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    round_, chosen, _made = scenario(cast)
    response = client_for("aa_officer").get(reverse("rewards:round_report_pdf", args=[round_.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for candidate in chosen:
        assert candidate.person.name in text
    assert "인사발령제2026-31호" in text
    assert "?" not in "".join(c.person.name for c in chosen)


def test_reports_only_for_decided_rounds(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    round_, _found, _pool = f.scoring_round(cast)
    client = client_for("aa_officer")
    assert client.get(reverse("rewards:round_report_xlsx", args=[round_.pk])).status_code == 404
    assert client.get(reverse("rewards:round_report_pdf", args=[round_.pk])).status_code == 404


def test_year_report_includes_commendation_entitlements(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _round, chosen, _made = scenario(cast)
    entitled = f.person(cast, "특진대상")
    services.record_commendation(
        actor=f.organiser(cast),
        person=entitled,
        level=Commendation.Level.PRESIDENT,
        title="대통령 표창",
        awarded_on=TODAY,
    )
    report = documents.year_report(cast.district, TODAY.year)
    assert {r.person for r in report.rows} == {c.person.name for c in chosen} | {"특진대상"}
    assert report.summary.promised == 4
    (row,) = report.rounds
    assert (row.n_selected, row.n_promised, row.n_major, row.n_executed, row.n_overdue) == (3, 3, 2, 1, 1)  # type: ignore[attr-defined]
    client = client_for("aa_officer")
    xlsx = client.get(reverse("rewards:year_report_xlsx", args=[TODAY.year]))
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert book.sheetnames == ["이행 현황", "요약", "선발별 요약"]
    assert "특진대상" in {row[0] for row in book["이행 현황"].iter_rows(values_only=True)}
    pdf = client.get(reverse("rewards:year_report_pdf", args=[TODAY.year]))
    assert pdf.content.startswith(b"%PDF")
    assert "특진대상" in pdf_text(pdf.content)
    empty = client.get(reverse("rewards:year_report_xlsx", args=[2001]))
    assert empty.status_code == 200
    other = client_for("aa_officer_b").get(reverse("rewards:year_report_xlsx", args=[TODAY.year]))
    names = {
        row[0]
        for row in load_workbook(io.BytesIO(b"".join(other.streaming_content)))["이행 현황"].iter_rows(values_only=True)
    }
    assert names == {"성명"}  # another institution sees none of it


def test_year_report_query_count_is_bounded(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    _round, chosen, _made = scenario(cast)
    client = client_for("aa_officer")
    url = reverse("rewards:year_report_xlsx", args=[TODAY.year])
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    n = len(few.captured_queries)
    for candidate in chosen:
        plan(cast, candidate, K.PREFERRED_POSTING)
    for index in range(3):
        services.record_commendation(
            actor=f.organiser(cast),
            person=f.person(cast),
            level=Commendation.Level.PRIME_MINISTER,
            title=f"총리 표창 {index}",
            awarded_on=TODAY,
        )
    with django_assert_max_num_queries(n):
        client.get(url)


def test_certificate_of_a_selected_official(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    round_, chosen, others = f.decided_round(cast)
    (candidate,) = chosen
    response = client_for("aa_officer").get(reverse("rewards:certificate", args=[candidate.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert candidate.person.name in text
    assert cast.building.name in text
    assert round_.title.split()[0] in text
    assert documents.head_title(cast.district).split()[0] in text
    assert client_for("aa_officer").get(reverse("rewards:certificate", args=[others[0].pk])).status_code == 404


def test_certificate_not_before_the_decision(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _round, found, _pool = f.scoring_round(cast)
    assert client_for("aa_officer").get(reverse("rewards:certificate", args=[found[0].pk])).status_code == 404


def test_head_title(cast: Cast) -> None:
    head = cast.users["head"].person
    head.position = "구청장"
    head.save()
    assert documents.head_title(cast.district) == "새솔구 구청장"
    head.position = ""
    head.save()
    assert documents.head_title(cast.district) == "새솔구장"
