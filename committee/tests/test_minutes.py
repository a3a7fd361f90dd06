"""The minutes PDF and the vote export: who reads them, what they say, bounded queries."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from committee import minutes
from committee.models import AgendaItem, Challenge, Declaration, Meeting, MeetingMember, Opinion, Vote
from committee.selectors_deliberation import meeting_record
from committee.tests.deliberation_fixtures import Sitting, sit_fixture, sitting  # noqa: F401
from committee.tests.factories import AgendaItemFactory

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC)


def login(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def deliberated(s: Sitting) -> None:
    """One decided item with a declaration, an upheld challenge, an opinion and votes."""
    s.declare_all()
    Declaration.objects.filter(member=s.members[1]).update(kind="exclusion", grounds="relative", note="처남이 당사자")
    Challenge.objects.create(
        item=s.item,
        member=s.members[2],
        raised_by="김당사",
        grounds="상대방 자문",
        status="upheld",
        decided_at=NOW,
        votes_for=5,
        votes_against=1,
        votes_abstain=0,
    )
    MeetingMember.objects.filter(meeting=s.meeting, member=s.members[8]).update(present=False, attendance="declined")
    MeetingMember.objects.filter(meeting=s.meeting, member=s.members[7]).update(present=False)
    Opinion.objects.create(
        institution=s.cast.district,
        item=s.item,
        kind="audit",
        author="감사담당관",
        body="규정 해석상 가능함",
        status="received",
    )
    Opinion.objects.create(institution=s.cast.district, item=s.item, kind="legal", status="requested")
    for index, choice in [(0, "for"), (3, "for"), (4, "for"), (5, "against"), (6, "abstain")]:
        Vote.objects.create(item=s.item, member=s.members[index], choice=choice, cast_at=NOW)
    AgendaItem.objects.filter(pk=s.item.pk).update(
        status="decided",
        result="adopted",
        resolution="점용 허가 기준을 완화하도록 자문함",
        decided_at=NOW,
        eligible_count=7,
        present_count=5,
        votes_for=3,
        votes_against=1,
        votes_abstain=1,
    )


def test_the_minutes_say_who_was_there_and_what_was_decided(sit: Sitting) -> None:
    deliberated(sit)
    html = render_to_string(minutes.TEMPLATE, minutes.minutes_context(sit.meeting, presiding=True))
    assert "초안" in html  # the meeting is not closed
    for text in (
        sit.meeting.reference,
        "도로 점용 허가 기준 자문",
        "제척 사유 있음",
        "위원 또는 배우자가 당사자의 친족",
        "처남이 당사자",
        "김당사",
        "기피 인용",
        "감사부서 의견",
        "규정 해석상 가능함",
        "점용 허가 기준을 완화하도록 자문함",
        "가결",
        "출석 7명, 결석 1명, 불참 통보 1명",
        "재적 7명(제척·기피·회피 제외), 출석 5명, 찬성 3, 반대 1, 기권 1",
        sit.members[5].name,
    ):
        assert text in html, text
    assert "법률 자문" not in html  # requested, not yet received


def test_closed_minutes_are_not_a_draft(sit: Sitting) -> None:
    Meeting.objects.filter(pk=sit.meeting.pk).update(status="closed", closed_at=NOW)
    sit.meeting.refresh_from_db()
    html = render_to_string(minutes.TEMPLATE, minutes.minutes_context(sit.meeting, presiding=True))
    assert "초안" not in html


def test_the_record_reads_in_bounded_queries(sit: Sitting, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    deliberated(sit)
    for _ in range(3):
        item = AgendaItemFactory(meeting=sit.meeting, status="open")
        sit.declare_all(item)
        Vote.objects.create(item=item, member=sit.members[0], choice="for", cast_at=NOW)
    with django_assert_max_num_queries(9):
        record = meeting_record(sit.meeting, presiding=True)
        rows = minutes.export_rows(record)
    assert len(rows) == 4 * (9 + 1)


@pytest.mark.parametrize("who", ["secretary", "aa_officer", "head"])
def test_readers_get_the_minutes_pdf(sit: Sitting, who: str) -> None:
    response = login(sit.cast.users[who]).get(reverse("committee:minutes_pdf", kwargs={"pk": sit.meeting.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_a_seated_member_gets_the_minutes_pdf(sit: Sitting) -> None:
    deliberated(sit)
    response = login(sit.user(4)).get(reverse("committee:minutes_pdf", kwargs={"pk": sit.meeting.pk}))
    assert response.status_code == 200
    assert b"NanumGothic" in response.content or response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("who", ["official", "official_b", "aa_officer_b", "admin", "audit_staff"])
@pytest.mark.parametrize("name", ["minutes_pdf", "votes_export"])
def test_others_get_404(sit: Sitting, who: str, name: str) -> None:
    response = login(sit.cast.users[who]).get(reverse(f"committee:{name}", kwargs={"pk": sit.meeting.pk}))
    assert response.status_code == 404


def test_the_csv_export_has_a_row_per_member_and_a_total(sit: Sitting) -> None:
    deliberated(sit)
    response = login(sit.cast.secretary).get(
        reverse("committee:votes_export", kwargs={"pk": sit.meeting.pk}), {"format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["안건 순서", "안건", "위원"]
    assert len(rows) == 1 + 9 + 1
    by_name = {r[2]: r for r in rows[1:]}
    assert by_name[sit.members[5].name][7] == "반대"
    assert by_name[sit.members[1].name][5] == "예"  # recused
    assert by_name[sit.members[2].name][7] == ""  # upheld challenge: no vote counted
    total = rows[-1]
    assert total[2] == "합계"
    assert total[8] == "가결"
    assert "찬성 3" in total[7]


def test_the_xlsx_export(sit: Sitting) -> None:
    deliberated(sit)
    response = login(sit.user(0)).get(
        reverse("committee:votes_export", kwargs={"pk": sit.meeting.pk}), {"format": "xlsx"}
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))  # type: ignore[attr-defined]
    sheet = book.worksheets[0]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][2] == "위원"
    assert values[-1][8] == "가결"


def test_an_unknown_format_is_404(sit: Sitting) -> None:
    response = login(sit.cast.secretary).get(
        reverse("committee:votes_export", kwargs={"pk": sit.meeting.pk}), {"format": "pdf"}
    )
    assert response.status_code == 404


def test_a_written_meeting_counts_voters_as_present(cast) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast, mode="written", present=None, vote_deadline=NOW + datetime.timedelta(days=1))
    s.declare_all()
    Vote.objects.create(item=s.item, member=s.members[0], choice="for", cast_at=NOW)
    rows = minutes.export_rows(meeting_record(s.meeting, presiding=True))
    assert rows[0][6] == "예"
    assert rows[1][6] == "아니요"


# --- Vote secrecy: an undecided item's votes and counts are the presiding side's only ----------


def open_item_with_votes(s: Sitting) -> Challenge:
    """The sitting's item stays open, with votes cast and a challenge voted on."""
    s.declare_all()
    Vote.objects.create(item=s.item, member=s.members[5], choice="against", cast_at=NOW)
    Vote.objects.create(item=s.item, member=s.members[3], choice="for", cast_at=NOW)
    challenge = Challenge.objects.create(item=s.item, member=s.members[8], raised_by="김당사", grounds="사유")
    Vote.objects.create(item=s.item, challenge=challenge, member=s.members[4], choice="abstain", cast_at=NOW)
    return challenge


def test_the_draft_minutes_hide_an_open_items_votes_from_readers_who_do_not_preside(sit: Sitting) -> None:
    open_item_with_votes(sit)
    html = render_to_string(minutes.TEMPLATE, minutes.minutes_context(sit.meeting, presiding=False))
    assert "위원별 표결과 집계는 의결 후 공개됩니다." in html
    for secret in ("반대", "찬성 1", "기권", "<caption>위원별 표결</caption>", sit.members[4].name + " 기권"):
        assert secret not in html, secret
    presiding = render_to_string(minutes.TEMPLATE, minutes.minutes_context(sit.meeting, presiding=True))
    assert "<caption>위원별 표결</caption>" in presiding
    assert "찬성 1, 반대 1, 기권 0" in presiding
    assert f"{sit.members[4].name} 기권" in presiding


def test_a_decided_items_votes_are_in_everyones_minutes(sit: Sitting) -> None:
    deliberated(sit)
    html = render_to_string(minutes.TEMPLATE, minutes.minutes_context(sit.meeting, presiding=False))
    assert "재적 7명(제척·기피·회피 제외), 출석 5명, 찬성 3, 반대 1, 기권 1" in html
    assert "위원별 표결과 집계는 의결 후 공개됩니다." not in html


def test_the_export_withholds_an_open_items_votes_and_counts(sit: Sitting) -> None:
    open_item_with_votes(sit)
    rows = minutes.export_rows(meeting_record(sit.meeting, presiding=False))
    assert all(row[7] in ("", "의결 후 공개") for row in rows)
    total = rows[-1]
    assert total[5:9] == ["", "", "의결 후 공개", "의결 전"]
    shown = minutes.export_rows(meeting_record(sit.meeting, presiding=True))
    assert {row[7] for row in shown[:-1]} >= {"반대", "찬성"}
    assert "찬성 1" in shown[-1][7]


def test_a_written_export_does_not_tell_who_voted_before_the_decision(cast) -> None:  # type: ignore[no-untyped-def]
    s = sitting(cast, mode="written", present=None, vote_deadline=NOW + datetime.timedelta(days=1))
    s.declare_all()
    Vote.objects.create(item=s.item, member=s.members[0], choice="for", cast_at=NOW)
    rows = minutes.export_rows(meeting_record(s.meeting, presiding=False))
    assert {row[6] for row in rows[:-1]} == {"—"}


@pytest.mark.parametrize("who", ["aa_officer", "head", "member", "chair", "secretary"])
def test_who_reads_an_open_items_votes_in_the_export(sit: Sitting, who: str) -> None:
    open_item_with_votes(sit)
    user = {"member": sit.user(2), "chair": sit.user(0)}.get(who) or sit.cast.users[who]
    response = login(user).get(reverse("committee:votes_export", kwargs={"pk": sit.meeting.pk}), {"format": "csv"})
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    presiding = who in ("chair", "secretary")
    assert ("반대" in text) is presiding
    assert ("의결 후 공개" in text) is not presiding


@pytest.mark.parametrize("who", ["head", "member", "chair"])
def test_the_minutes_pdf_is_served_to_each_reader(sit: Sitting, who: str) -> None:
    open_item_with_votes(sit)
    user = {"member": sit.user(2), "chair": sit.user(0)}.get(who) or sit.cast.users[who]
    response = login(user).get(reverse("committee:minutes_pdf", kwargs={"pk": sit.meeting.pk}))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
