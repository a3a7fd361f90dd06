"""Meeting services: create/update, convene, cancel, close, agenda items and their case links,
attendance, papers and the restricted-paper guard (ADR 0014)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from committee import linking
from committee.linking import CaseLink
from committee.models import AgendaItem, Declaration, Meeting, MeetingMember
from committee.services import meetings as svc
from committee.services.selection import SelectionError
from committee.tests.factories import AgendaItemFactory, MeetingFactory, pool_with_accounts, seat_all, set_policy
from core.access import actor_for
from core.errors import DomainError
from core.models import AuditEntry, Notification
from institutions.models import Unit

pytestmark = pytest.mark.django_db
START = datetime.datetime(2026, 6, 22, 5, 0, tzinfo=datetime.UTC)


def sec(cast: Any) -> Any:
    return actor_for(cast.secretary)


def audited(action: str) -> AuditEntry | None:
    return AuditEntry.objects.filter(action=action).order_by("-pk").first()


def make(cast: Any, **values: Any) -> Meeting:
    kwargs: dict[str, Any] = {"title": "제1차 적극행정위원회", "starts_at": START, "place": "소회의실", **values}
    return svc.meeting_create(actor=sec(cast), **kwargs)


# --- Meetings ----------------------------------------------------------------------------


def test_create_numbers_the_meeting_and_audits(cast) -> None:
    first = make(cast)
    second = make(cast, title="제2차")
    assert first.reference == "위원회-2026-0001"
    assert second.reference == "위원회-2026-0002"
    assert first.status == Meeting.Status.DRAFT
    entry = audited("committee.meeting_created")
    assert entry is not None
    assert entry.changes["reference"] == "위원회-2026-0002"


@pytest.mark.parametrize("who", ["aa_officer", "member", "official", "head"])
def test_only_the_secretary_creates(cast, who) -> None:
    with pytest.raises(DomainError):
        svc.meeting_create(actor=actor_for(cast.users[who]), title="x", starts_at=START, place="p")


def test_create_refuses_bad_input(cast) -> None:
    with pytest.raises(DomainError) as exc:
        make(cast, title=" ")
    assert exc.value.field == "title"
    with pytest.raises(DomainError) as exc:
        make(cast, starts_at=None)
    assert exc.value.field == "starts_at"
    with pytest.raises(DomainError) as exc:
        make(cast, starts_at=datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC))
    assert exc.value.field == "starts_at"
    with pytest.raises(DomainError) as exc:
        make(cast, place="")
    assert exc.value.field == "place"
    with pytest.raises(DomainError) as exc:
        make(cast, mode="video")
    assert exc.value.field == "mode"


def test_written_deliberation_refused_where_the_policy_forbids_it(cast) -> None:
    with pytest.raises(DomainError) as exc:
        make(cast, mode="written", written_reason="urgent", vote_deadline=START + datetime.timedelta(days=3))
    assert "서면 심의를 허용하지 않습니다" in str(exc.value.message)
    assert not Meeting.objects.exists()


def test_written_deliberation_needs_a_reason_and_a_later_deadline(cast) -> None:
    set_policy(cast, written_deliberation_allowed=True)
    with pytest.raises(DomainError) as exc:
        make(cast, mode="written", vote_deadline=START + datetime.timedelta(days=3))
    assert exc.value.field == "written_reason"
    with pytest.raises(DomainError) as exc:
        make(cast, mode="written", written_reason="minor", vote_deadline=START)
    assert exc.value.field == "vote_deadline"
    meeting = make(
        cast, mode="written", written_reason="minor", place="", vote_deadline=START + datetime.timedelta(days=3)
    )
    assert meeting.mode == "written"
    assert meeting.written_reason == "minor"


def test_in_person_clears_written_fields(cast) -> None:
    meeting = make(cast, written_reason="minor", vote_deadline=START + datetime.timedelta(days=1))
    assert meeting.written_reason == ""
    assert meeting.vote_deadline is None


def test_update_changes_and_audits(cast) -> None:
    meeting = make(cast)
    svc.meeting_update(actor=sec(cast), meeting=meeting, title="바뀐 회의", starts_at=START, place="대회의실")
    meeting.refresh_from_db()
    assert meeting.title == "바뀐 회의"
    assert meeting.place == "대회의실"
    entry = audited("committee.meeting_updated")
    assert entry is not None
    assert entry.changes["title"] == ["제1차 적극행정위원회", "바뀐 회의"]


def test_update_refused_for_another_institution_and_closed_meeting(cast) -> None:
    other = MeetingFactory(institution=cast.other)
    with pytest.raises(DomainError):
        svc.meeting_update(actor=sec(cast), meeting=other, title="x", starts_at=START, place="p")
    closed = MeetingFactory(institution=cast.district, status=Meeting.Status.CLOSED)
    with pytest.raises(DomainError):
        svc.meeting_update(actor=sec(cast), meeting=closed, title="x", starts_at=START, place="p")


def _ready(cast: Any) -> tuple[Meeting, list[Any]]:
    members = pool_with_accounts(cast)
    meeting = MeetingFactory(institution=cast.district)
    AgendaItemFactory(meeting=meeting)
    seats = seat_all(meeting, members)
    MeetingMember.objects.filter(meeting=meeting).update(attendance=MeetingMember.Attendance.PENDING)
    return meeting, seats


def test_convene_invites_and_notifies_the_seated(cast) -> None:
    meeting, _seats = _ready(cast)
    svc.meeting_convene(actor=sec(cast), meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CONVENED
    assert meeting.convened_at is not None
    assert set(meeting.seats.values_list("attendance", flat=True)) == {MeetingMember.Attendance.INVITED}
    assert Notification.objects.filter(recipient=cast.member, title__contains="회의 소집").exists()
    assert Notification.objects.filter(title__contains="회의 소집").count() == 9
    assert audited("committee_meeting.convene") is not None


def test_convene_refused_without_items(cast) -> None:
    meeting, _seats = _ready(cast)
    meeting.items.all().delete()
    with pytest.raises(DomainError) as exc:
        svc.meeting_convene(actor=sec(cast), meeting=meeting)
    assert "안건이 없는" in str(exc.value.message)


def test_convene_refused_when_the_selection_breaks_the_rules(cast) -> None:
    meeting, seats = _ready(cast)
    MeetingMember.objects.filter(pk=seats[-1].pk).delete()
    with pytest.raises(SelectionError) as exc:
        svc.meeting_convene(actor=sec(cast), meeting=meeting)
    assert any("8명 이상" in p for p in exc.value.problems)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.DRAFT


def test_convene_refused_without_selection_and_for_members(cast) -> None:
    meeting = MeetingFactory(institution=cast.district)
    AgendaItemFactory(meeting=meeting)
    with pytest.raises(SelectionError):
        svc.meeting_convene(actor=sec(cast), meeting=meeting)
    with pytest.raises(DomainError):
        svc.meeting_convene(actor=actor_for(cast.aa_officer), meeting=meeting)


def test_cancel_needs_a_reason_withdraws_items_and_tells_the_seated(cast, monkeypatch) -> None:
    removed: list[Any] = []
    _register(monkeypatch, removed=removed)
    meeting, _seats = _ready(cast)
    svc.meeting_convene(actor=sec(cast), meeting=meeting)
    item = svc.item_add(actor=sec(cast), meeting=meeting, kind="other", title="연결 안건", case=cast.building)
    with pytest.raises(DomainError) as exc:
        svc.meeting_cancel(actor=sec(cast), meeting=meeting, reason=" ")
    assert exc.value.field == "reason"
    svc.meeting_cancel(actor=sec(cast), meeting=meeting, reason="태풍")
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
    assert item.status == AgendaItem.Status.WITHDRAWN
    assert removed == [cast.building]
    assert Notification.objects.filter(recipient=cast.member, title__contains="회의 취소").exists()
    entry = audited("committee_meeting.cancel")
    assert entry is not None
    assert entry.reason == "태풍"


def test_close_refused_while_an_item_is_undecided(cast) -> None:
    meeting, _seats = _ready(cast)
    svc.meeting_convene(actor=sec(cast), meeting=meeting)
    with pytest.raises(DomainError) as exc:
        svc.meeting_close(actor=sec(cast), meeting=meeting)
    assert "종료할 수 없습니다" in str(exc.value.message)
    meeting.items.update(status=AgendaItem.Status.DECIDED, result="adopted")
    svc.meeting_close(actor=actor_for(cast.member), meeting=meeting)  # the chair may close
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    assert meeting.closed_at is not None


def test_close_refused_for_a_draft_and_an_outsider(cast) -> None:
    meeting, _seats = _ready(cast)
    with pytest.raises(DomainError):
        svc.meeting_close(actor=sec(cast), meeting=meeting)
    with pytest.raises(DomainError):
        svc.meeting_close(actor=actor_for(cast.aa_officer_b), meeting=meeting)


# --- Items -------------------------------------------------------------------------------


def _register(monkeypatch: Any, *, agenda: list[Any] | None = None, removed: list[Any] | None = None) -> CaseLink:
    link = CaseLink(
        key="test_unit",
        model=Unit,
        label="부서",
        item_kinds=frozenset({"other", "advice"}),
        candidates=lambda institution_id: Unit.objects.filter(institution_id=institution_id),
        on_result=lambda actor, case, item: None,
        on_agenda=(lambda actor, case, item: agenda.append(case)) if agenda is not None else None,
        on_removed=(lambda actor, case, item: removed.append(case)) if removed is not None else None,
    )
    monkeypatch.setitem(linking._LINKS, "test_unit", link)
    return link


def test_item_add_links_the_case_and_calls_on_agenda(cast, monkeypatch) -> None:
    seen: list[Any] = []
    _register(monkeypatch, agenda=seen)
    meeting = make(cast)
    first = svc.item_add(actor=sec(cast), meeting=meeting, kind="other", title="첫 안건", expertise="건축, 도시계획")
    item = svc.item_add(
        actor=sec(cast), meeting=meeting, kind="advice", title="자문", summary="요지", case=cast.building
    )
    assert first.order == 1
    assert item.order == 2
    assert sorted(first.expertise.values_list("name", flat=True)) == ["건축", "도시계획"]
    assert item.case == cast.building
    assert seen == [cast.building]
    entry = audited("committee.item_added")
    assert entry is not None
    assert entry.changes["case"] == f"test_unit:{cast.building.pk}"


def test_item_add_refusals(cast, monkeypatch) -> None:
    _register(monkeypatch)
    meeting = make(cast)
    with pytest.raises(DomainError) as exc:
        svc.item_add(actor=sec(cast), meeting=meeting, kind="bogus", title="x")
    assert exc.value.field == "kind"
    with pytest.raises(DomainError) as exc:
        svc.item_add(actor=sec(cast), meeting=meeting, kind="other", title="")
    assert exc.value.field == "title"
    with pytest.raises(DomainError) as exc:  # the link does not accept the kind
        svc.item_add(actor=sec(cast), meeting=meeting, kind="exemption", title="x", case=cast.building)
    assert exc.value.field == "kind"
    with pytest.raises(DomainError) as exc:  # another institution's case
        svc.item_add(actor=sec(cast), meeting=meeting, kind="other", title="x", case=cast.other_unit)
    assert exc.value.field == "case"
    with pytest.raises(DomainError) as exc:  # a model without a link
        svc.item_add(actor=sec(cast), meeting=meeting, kind="other", title="x", case=cast.district)
    assert exc.value.field == "case"
    svc.item_add(actor=sec(cast), meeting=meeting, kind="other", title="x", case=cast.building)
    with pytest.raises(DomainError) as exc:  # already on an undecided item
        svc.item_add(actor=sec(cast), meeting=make(cast), kind="other", title="y", case=cast.building)
    assert "이미" in str(exc.value.message)
    with pytest.raises(DomainError):  # not the secretary
        svc.item_add(actor=actor_for(cast.member), meeting=meeting, kind="other", title="x")


def test_a_decided_case_may_come_back(cast, monkeypatch) -> None:
    _register(monkeypatch)
    meeting = make(cast)
    item = svc.item_add(actor=sec(cast), meeting=meeting, kind="other", title="x", case=cast.building)
    AgendaItem.objects.filter(pk=item.pk).update(status=AgendaItem.Status.DECIDED)
    again = svc.item_add(actor=sec(cast), meeting=make(cast), kind="other", title="y", case=cast.building)
    assert again.case == cast.building


def test_item_add_refused_on_a_closed_meeting(cast) -> None:
    meeting = MeetingFactory(institution=cast.district, status=Meeting.Status.CLOSED)
    with pytest.raises(DomainError):
        svc.item_add(actor=sec(cast), meeting=meeting, kind="other", title="x")


def test_item_update_only_while_pending(cast) -> None:
    meeting = make(cast)
    item = svc.item_add(actor=sec(cast), meeting=meeting, kind="other", title="x", expertise="건축")
    svc.item_update(actor=sec(cast), item=item, title="새 제목", summary="s", expertise="회계")
    item.refresh_from_db()
    assert item.title == "새 제목"
    assert list(item.expertise.values_list("name", flat=True)) == ["회계"]
    entry = audited("committee.item_updated")
    assert entry is not None
    assert entry.changes["expertise"] == [["건축"], ["회계"]]
    AgendaItem.objects.filter(pk=item.pk).update(status=AgendaItem.Status.OPEN)
    item.refresh_from_db()
    with pytest.raises(DomainError):
        svc.item_update(actor=sec(cast), item=item, title="또")


def test_item_move_swaps(cast) -> None:
    meeting = make(cast)
    a = svc.item_add(actor=sec(cast), meeting=meeting, kind="other", title="a")
    b = svc.item_add(actor=sec(cast), meeting=meeting, kind="other", title="b")
    svc.item_move(actor=sec(cast), item=b, up=True)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (b.order, a.order) == (1, 2)


def test_item_withdraw_needs_reason_and_calls_on_removed(cast, monkeypatch) -> None:
    removed: list[Any] = []
    _register(monkeypatch, removed=removed)
    meeting = make(cast)
    item = svc.item_add(actor=sec(cast), meeting=meeting, kind="other", title="x", case=cast.building)
    with pytest.raises(DomainError):
        svc.item_withdraw(actor=sec(cast), item=item, reason="")
    with pytest.raises(DomainError):
        svc.item_withdraw(actor=actor_for(cast.aa_officer), item=item, reason="r")
    svc.item_withdraw(actor=sec(cast), item=item, reason="요청 취하")
    item.refresh_from_db()
    assert item.status == AgendaItem.Status.WITHDRAWN
    assert removed == [cast.building]
    assert audited("committee_item.withdraw") is not None


# --- Attendance --------------------------------------------------------------------------


def test_member_answers_own_invitation_until_the_start(cast, time_machine) -> None:
    meeting, _seats = _ready(cast)
    svc.meeting_convene(actor=sec(cast), meeting=meeting)
    seat = svc.attendance_respond(actor=actor_for(cast.member), meeting=meeting, answer="declined")
    assert seat.attendance == MeetingMember.Attendance.DECLINED
    entry = audited("committee.attendance_answered")
    assert entry is not None
    assert entry.changes["attendance"] == ["invited", "declined"]
    with pytest.raises(DomainError):
        svc.attendance_respond(actor=actor_for(cast.member), meeting=meeting, answer="maybe")
    with pytest.raises(DomainError):  # not seated
        svc.attendance_respond(actor=actor_for(cast.secretary), meeting=meeting, answer="confirmed")
    time_machine.move_to(datetime.datetime(2026, 6, 22, 6, tzinfo=datetime.UTC))
    with pytest.raises(DomainError) as exc:
        svc.attendance_respond(actor=actor_for(cast.member), meeting=meeting, answer="confirmed")
    assert "시작" in str(exc.value.message)


def test_answer_refused_before_convening(cast) -> None:
    meeting, _seats = _ready(cast)
    with pytest.raises(DomainError):
        svc.attendance_respond(actor=actor_for(cast.member), meeting=meeting, answer="confirmed")


def test_secretary_records_presence_on_the_day(cast, time_machine) -> None:
    meeting, seats = _ready(cast)
    svc.meeting_convene(actor=sec(cast), meeting=meeting)
    present = [s.member_id for s in seats[:6]]
    with pytest.raises(DomainError):  # before the meeting's day
        svc.attendance_record(actor=sec(cast), meeting=meeting, present_ids=present)
    time_machine.move_to(datetime.datetime(2026, 6, 22, 4, tzinfo=datetime.UTC))
    with pytest.raises(DomainError):
        svc.attendance_record(actor=actor_for(cast.member), meeting=meeting, present_ids=present)
    with pytest.raises(DomainError):
        svc.attendance_record(actor=sec(cast), meeting=meeting, present_ids=[999999])
    svc.attendance_record(actor=sec(cast), meeting=meeting, present_ids=present)
    values = dict(meeting.seats.values_list("member_id", "present"))
    assert sum(1 for v in values.values() if v) == 6
    assert sum(1 for v in values.values() if v is False) == 3
    entry = audited("committee.attendance_recorded")
    assert entry is not None
    assert len(entry.changes["present"]) == 6


def test_presence_not_recorded_for_written_deliberation(cast, time_machine) -> None:
    meeting, _seats = _ready(cast)
    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.CONVENED, mode=Meeting.Mode.WRITTEN, vote_deadline=START + datetime.timedelta(days=2)
    )
    meeting.refresh_from_db()
    time_machine.move_to(datetime.datetime(2026, 6, 22, 4, tzinfo=datetime.UTC))
    with pytest.raises(DomainError):
        svc.attendance_record(actor=sec(cast), meeting=meeting, present_ids=[])


# --- Papers ------------------------------------------------------------------------------


def _pdf(name: str = "자료.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4 test", content_type="application/pdf")


def test_papers_and_the_restricted_guard(cast) -> None:
    meeting, seats = _ready(cast)
    item = meeting.items.get()
    paper = svc.paper_attach(actor=sec(cast), item=item, upload=_pdf())
    restricted = svc.paper_attach(actor=sec(cast), item=item, upload=_pdf("비공개.pdf"), restricted=True)
    assert (paper.purpose, restricted.purpose) == ("paper", "restricted")
    member = actor_for(cast.member)
    assert svc.restricted_refusal(member, item, restricted) is None
    Declaration.objects.create(item=item, member=seats[0].member, kind=Declaration.Kind.RECUSAL, declared_at=START)
    assert "열람 제한" in (svc.restricted_refusal(member, item, restricted) or "")
    assert svc.restricted_refusal(member, item, paper) is None
    assert svc.restricted_refusal(sec(cast), item, restricted) is None
    with pytest.raises(DomainError):
        svc.paper_attach(actor=actor_for(cast.member), item=item, upload=_pdf())
