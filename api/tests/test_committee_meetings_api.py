"""Committee meetings over the API: create (written refused by policy), selection (400 listing
the breaches), convene, items, attendance, my meetings; 404 for other institutions and roles,
403 for a read-only token, 400/422 for bad input."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from accounts.models import ApiToken
from committee.models import AgendaItem, Meeting, MeetingMember, Tag
from committee.tests.factories import AgendaItemFactory, MeetingFactory, pool_with_accounts, seat_all

pytestmark = pytest.mark.django_db

Headers = Callable[..., dict[str, str]]
RW = ApiToken.Scope.READ_WRITE
BASE = "/api/committee"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC), tick=False):
        yield


def send(method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    return Client().generic(method, url, data=json.dumps(body), content_type="application/json", headers=headers)


MEETING = {"title": "제1차 위원회", "starts_at": "2026-06-22T14:00:00+09:00", "place": "소회의실"}


def test_secretary_creates_and_reads_a_meeting(cast, headers_for: Headers) -> None:
    response = send("POST", f"{BASE}/meetings", MEETING, headers_for("secretary", scope=RW))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["reference"] == "위원회-2026-0001"
    assert data["status"] == "draft"
    listed = Client().get(f"{BASE}/meetings", headers=headers_for("head")).json()
    assert [m["title"] for m in listed["items"]] == ["제1차 위원회"]
    detail = Client().get(f"{BASE}/meetings/{data['id']}", headers=headers_for("aa_officer"))
    assert detail.status_code == 200


def test_written_deliberation_refused_by_policy(cast, headers_for: Headers) -> None:
    body = {**MEETING, "mode": "written", "written_reason": "urgent", "vote_deadline": "2026-06-25T18:00:00+09:00"}
    response = send("POST", f"{BASE}/meetings", body, headers_for("secretary", scope=RW))
    assert response.status_code == 400
    assert "서면 심의를 허용하지 않습니다" in response.json()["detail"]


def test_bad_input_is_422_or_400(cast, headers_for: Headers) -> None:
    h = headers_for("secretary", scope=RW)
    assert send("POST", f"{BASE}/meetings", {**MEETING, "mode": "video"}, h).status_code == 422
    assert send("POST", f"{BASE}/meetings", {**MEETING, "extra": 1}, h).status_code == 422
    response = send("POST", f"{BASE}/meetings", {**MEETING, "place": ""}, h)
    assert response.status_code == 400
    assert response.json()["field"] == "place"


def test_others_cannot_write_and_read_only_tokens_are_refused(cast, headers_for: Headers) -> None:
    assert send("POST", f"{BASE}/meetings", MEETING, headers_for("aa_officer", scope=RW)).status_code == 404
    assert send("POST", f"{BASE}/meetings", MEETING, headers_for("secretary")).status_code == 403
    assert Client().get(f"{BASE}/meetings", headers=headers_for("official")).status_code == 404


def test_other_institutions_meeting_is_404(cast, headers_for: Headers) -> None:
    other = MeetingFactory(institution=cast.other)
    assert Client().get(f"{BASE}/meetings/{other.pk}", headers=headers_for("secretary")).status_code == 404
    response = send("POST", f"{BASE}/meetings/{other.pk}/convene", {}, headers_for("secretary", scope=RW))
    assert response.status_code == 404
    listed = Client().get(f"{BASE}/meetings", headers=headers_for("aa_officer_b")).json()
    assert [m["id"] for m in listed["items"]] == [other.pk]


def test_selection_suggestions_and_convene(cast, headers_for: Headers) -> None:
    members = pool_with_accounts(cast)
    meeting = MeetingFactory(institution=cast.district)
    AgendaItemFactory(meeting=meeting).expertise.add(Tag.objects.get(name="건축"))
    h = headers_for("secretary", scope=RW)
    found = Client().get(f"{BASE}/meetings/{meeting.pk}/suggestions", headers=h).json()
    assert len(found) == 9
    assert found[0]["matched"] == ["건축"]
    response = send("POST", f"{BASE}/meetings/{meeting.pk}/selection", {"member_ids": [members[1].pk]}, h)
    assert response.status_code == 400
    assert "8명 이상" in response.json()["detail"]
    response = send("POST", f"{BASE}/meetings/{meeting.pk}/selection", {"member_ids": [m.pk for m in members]}, h)
    assert response.status_code == 200, response.content
    assert len(response.json()["seats"]) == 9
    response = send("POST", f"{BASE}/meetings/{meeting.pk}/convene", {}, h)
    assert response.status_code == 200
    assert response.json()["status"] == "convened"
    assert Client().get(f"{BASE}/meetings/{meeting.pk}/suggestions", headers=headers_for("head")).status_code == 404


def test_items_add_update_withdraw(cast, headers_for: Headers) -> None:
    meeting = MeetingFactory(institution=cast.district)
    h = headers_for("secretary", scope=RW)
    response = send(
        "POST", f"{BASE}/meetings/{meeting.pk}/items", {"kind": "other", "title": "안건", "expertise": ["건축"]}, h
    )
    assert response.status_code == 201, response.content
    item_id = response.json()["id"]
    assert response.json()["expertise"] == ["건축"]
    bad = send("POST", f"{BASE}/meetings/{meeting.pk}/items", {"kind": "other", "title": "x", "case": "nope:1"}, h)
    assert bad.status_code == 400
    assert bad.json()["field"] == "case"
    response = send("PATCH", f"{BASE}/items/{item_id}", {"title": "고친 안건"}, h)
    assert response.status_code == 200
    assert response.json()["title"] == "고친 안건"
    assert send("POST", f"{BASE}/items/{item_id}/withdraw", {"reason": ""}, h).status_code == 422
    response = send("POST", f"{BASE}/items/{item_id}/withdraw", {"reason": "취하"}, h)
    assert response.status_code == 200
    assert response.json()["status"] == AgendaItem.Status.WITHDRAWN


def test_attendance_and_my_meetings(cast, headers_for: Headers) -> None:
    members = pool_with_accounts(cast)
    meeting = MeetingFactory(institution=cast.district, status=Meeting.Status.CONVENED)
    AgendaItemFactory(meeting=meeting)
    seat_all(meeting, members)
    MeetingMember.objects.filter(meeting=meeting).update(attendance=MeetingMember.Attendance.INVITED)
    h = headers_for("member", scope=RW)
    response = send("POST", f"{BASE}/meetings/{meeting.pk}/attendance/respond", {"answer": "declined"}, h)
    assert response.status_code == 200
    assert response.json()["attendance"] == "declined"
    assert send("POST", f"{BASE}/meetings/{meeting.pk}/attendance/respond", {"answer": "x"}, h).status_code == 422
    mine = Client().get(f"{BASE}/meetings/mine", headers=headers_for("member")).json()
    assert mine["meetings"][0]["meeting_id"] == meeting.pk
    response = send(
        "POST", f"{BASE}/meetings/{meeting.pk}/attendance", {"present": []}, headers_for("secretary", scope=RW)
    )
    assert response.status_code == 400  # before the meeting's day
    assert Client().get(f"{BASE}/meetings/mine", headers=headers_for("secretary")).status_code == 404


# --- Ids that are not ids: refused as input, never a 500 --------------------------------------

HUGE = 10**20


def test_ids_out_of_range_are_422(cast, headers_for: Headers) -> None:
    members = pool_with_accounts(cast)
    meeting = MeetingFactory(institution=cast.district)
    seat_all(meeting, members)
    h = headers_for("secretary", scope=RW)
    for url, body in (
        (f"{BASE}/meetings/{meeting.pk}/selection", {"member_ids": [HUGE], "chair_id": None}),
        (f"{BASE}/meetings/{meeting.pk}/selection", {"member_ids": [members[1].pk], "chair_id": HUGE}),
        (f"{BASE}/meetings/{meeting.pk}/selection", {"member_ids": [0]}),
        (f"{BASE}/meetings/{meeting.pk}/attendance", {"present": [HUGE]}),
    ):
        response = send("POST", url, body, h)
        assert response.status_code == 422, (url, body, response.content)


@pytest.mark.parametrize("case", ["consultation:²", "consultation:" + "9" * 30, "consultation:-1", "nope:1"])
def test_a_case_that_is_not_key_colon_id_is_400(cast, headers_for: Headers, case: str) -> None:
    meeting = MeetingFactory(institution=cast.district)
    body = {"kind": "referral", "title": "안건", "case": case}
    response = send("POST", f"{BASE}/meetings/{meeting.pk}/items", body, headers_for("secretary", scope=RW))
    assert response.status_code == 400, response.content
    assert response.json()["field"] == "case"
