"""Opinions of an item: recorded by the secretary, the audit opinion requested with its
deadline, submitted (late is recorded), extended once, withdrawn; and who reads them."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from committee.models import AgendaItem, Opinion
from committee.selectors_requests import is_late, opinions_panel, visible_opinions
from committee.services import opinions
from committee.tests.factories import pool_with_accounts, seat_all
from committee.tests.requests_fixtures import audit_request, entries, item, meeting
from committee.workflow import meeting_roles
from core import deadlines
from core.access import actor_for
from core.errors import DomainError
from core.files import attachments_for
from core.models import Notification

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


def record(cast, on: AgendaItem, who: str = "secretary", **overrides):  # type: ignore[no-untyped-def]
    values = {
        "kind": Opinion.Kind.STAKEHOLDER_WRITTEN,
        "author": "인근 주민 대표",
        "body": "통행에 불편이 큽니다.",
        "received_on": TODAY,
        **overrides,
    }
    return opinions.opinion_record(actor=actor_for(cast.users[who]), item=on, **values)


def test_secretary_records_a_stakeholder_opinion_with_a_document(cast) -> None:
    target = item(cast)
    upload = SimpleUploadedFile("의견서.txt", "주민 의견".encode(), content_type="text/plain")
    opinion = record(cast, target, documents=[upload])
    assert (opinion.status, opinion.received_on, opinion.author) == (Opinion.Status.RECEIVED, TODAY, "인근 주민 대표")
    assert [a.filename for a in attachments_for(opinion)] == ["의견서.txt"]
    assert entries(opinion, "committee.opinion_recorded") == 1


@pytest.mark.parametrize(
    ("field", "overrides"),
    [
        ("kind", {"kind": Opinion.Kind.AUDIT}),
        ("kind", {"kind": "gossip"}),
        ("author", {"author": " "}),
        ("body", {"body": ""}),
        ("received_on", {"received_on": None}),
        ("received_on", {"received_on": TODAY + datetime.timedelta(days=1)}),
    ],
)
def test_record_refuses_bad_input(cast, field, overrides) -> None:
    with pytest.raises(DomainError) as error:
        record(cast, item(cast), **overrides)
    assert error.value.field == field
    assert not Opinion.objects.exists()


@pytest.mark.parametrize("who", ["aa_officer", "official", "member", "aa_officer_b"])
def test_only_the_secretary_records(cast, who) -> None:
    with pytest.raises(DomainError):
        record(cast, item(cast), who=who)


@pytest.mark.parametrize("status", [AgendaItem.Status.DECIDED, AgendaItem.Status.WITHDRAWN])
def test_no_opinion_on_a_closed_item(cast, status) -> None:
    with pytest.raises(DomainError):
        record(cast, item(cast, status=status))
    with pytest.raises(DomainError):
        audit_request(cast, item(cast, status=status))


def test_audit_request_opens_a_deadline_and_tells_the_audit_side(cast, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        opinion = audit_request(cast)
    assert (opinion.status, opinion.requested_on, opinion.due_on) == (
        Opinion.Status.REQUESTED,
        TODAY,
        datetime.date(2026, 6, 25),
    )
    deadline = deadlines.deadline_for(opinion, opinions.DEADLINE_KIND)
    assert deadline is not None
    assert (deadline.due_on, deadline.url) == (datetime.date(2026, 6, 25), "/office/committee/opinions/")
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"aa_officer", "audit_staff"}
    assert {u.username for u in deadlines.deadline_kind(opinions.DEADLINE_KIND).recipients(deadline)} == told  # type: ignore[union-attr]
    assert entries(opinion, "committee.audit_opinion_requested") == 1


def test_a_due_date_on_a_weekend_moves_to_monday(cast) -> None:
    policy = cast.district.policy
    policy.audit_opinion_days = 12  # 2026-06-27 is a Saturday
    policy.save()
    assert audit_request(cast).due_on == datetime.date(2026, 6, 29)


def test_one_waiting_audit_request_per_item(cast) -> None:
    target = item(cast)
    audit_request(cast, target)
    with pytest.raises(DomainError):
        audit_request(cast, target)
    with pytest.raises(DomainError) as error:
        audit_request(cast, item(cast), note=" ")
    assert error.value.field == "request_note"


def test_audit_side_submits_and_the_deadline_closes(cast) -> None:
    opinion = audit_request(cast)
    upload = SimpleUploadedFile("검토.txt", b"ok", content_type="text/plain")
    opinions.audit_opinion_submit(
        actor=actor_for(cast.audit_staff), opinion=opinion, body="문제 없음", documents=[upload]
    )
    assert (opinion.status, opinion.received_on, opinion.body) == (Opinion.Status.RECEIVED, TODAY, "문제 없음")
    assert "감사담당관" in opinion.author
    assert not is_late(opinion)
    deadline = deadlines.deadline_for(opinion, opinions.DEADLINE_KIND)
    assert deadline is not None
    assert deadline.closed_at is not None
    assert not deadline.closed_late
    assert entries(opinion, "committee_opinion.receive") == 1


def test_a_late_opinion_is_received_and_shown_late(cast) -> None:
    opinion = audit_request(cast)
    with time_machine.travel(datetime.datetime(2026, 6, 29, 1, tzinfo=datetime.UTC), tick=False):
        opinions.audit_opinion_submit(actor=actor_for(cast.aa_officer), opinion=opinion, body="늦은 의견")
    assert opinion.status == Opinion.Status.RECEIVED
    assert is_late(opinion)
    deadline = deadlines.deadline_for(opinion, opinions.DEADLINE_KIND)
    assert deadline is not None
    assert deadline.closed_late
    assert entries(opinion, "committee_opinion.receive") == 1


@pytest.mark.parametrize("who", ["secretary", "official", "aa_officer_b"])
def test_only_the_audit_side_submits_and_extends(cast, who) -> None:
    opinion = audit_request(cast)
    with pytest.raises(DomainError):
        opinions.audit_opinion_submit(actor=actor_for(cast.users[who]), opinion=opinion, body="x")
    with pytest.raises(DomainError):
        opinions.audit_opinion_extend(actor=actor_for(cast.users[who]), opinion=opinion, reason="x")


def test_submit_needs_a_body_and_a_waiting_request(cast) -> None:
    opinion = audit_request(cast)
    auditor = actor_for(cast.audit_staff)
    with pytest.raises(DomainError) as error:
        opinions.audit_opinion_submit(actor=auditor, opinion=opinion, body=" ")
    assert error.value.field == "body"
    opinions.audit_opinion_submit(actor=auditor, opinion=opinion, body="의견")
    with pytest.raises(DomainError):
        opinions.audit_opinion_submit(actor=auditor, opinion=opinion, body="다시")


def test_extended_once_by_the_same_days(cast) -> None:
    opinion = audit_request(cast)
    auditor = actor_for(cast.audit_staff)
    with pytest.raises(DomainError) as error:
        opinions.audit_opinion_extend(actor=auditor, opinion=opinion, reason=" ")
    assert error.value.field == "reason"
    opinions.audit_opinion_extend(actor=auditor, opinion=opinion, reason="현장 확인 필요")
    # 2026-06-25 + 10 days = 2026-07-05, a Sunday: the next working day
    assert opinion.due_on == datetime.date(2026, 7, 6)
    deadline = deadlines.deadline_for(opinion, opinions.DEADLINE_KIND)
    assert deadline is not None
    assert (deadline.due_on, deadline.extension_count) == (opinion.due_on, 1)
    assert entries(opinion, "committee.audit_opinion_extended") == 1
    with pytest.raises(DomainError) as second:
        opinions.audit_opinion_extend(actor=auditor, opinion=opinion, reason="또")
    assert "한 번만" in str(second.value.message)


def test_secretary_withdraws_a_request(cast) -> None:
    opinion = audit_request(cast)
    secretary = actor_for(cast.secretary)
    with pytest.raises(DomainError):
        opinions.opinion_request_withdraw(actor=secretary, opinion=opinion, reason=" ")
    with pytest.raises(DomainError):
        opinions.opinion_request_withdraw(actor=actor_for(cast.aa_officer), opinion=opinion, reason="x")
    opinions.opinion_request_withdraw(actor=secretary, opinion=opinion, reason="안건 철회")
    assert opinion.status == Opinion.Status.WITHDRAWN
    deadline = deadlines.deadline_for(opinion, opinions.DEADLINE_KIND)
    assert deadline is not None
    assert deadline.closed_at is not None
    with pytest.raises(DomainError):
        opinions.audit_opinion_submit(actor=actor_for(cast.audit_staff), opinion=opinion, body="x")


# --- Who reads them ------------------------------------------------------------------------


def test_visibility(cast) -> None:
    members = pool_with_accounts(cast)
    seated_meeting = meeting(cast)
    seat_all(seated_meeting, members[:3])
    target = item(cast, meeting=seated_meeting)
    received = record(cast, target)
    requested = audit_request(cast, target)
    elsewhere = record(cast, item(cast))

    def seen(who: str) -> set[int]:
        user = cast.users[who] if who in cast.users else User.objects.get(username=who)
        return set(visible_opinions(actor_for(user)).values_list("pk", flat=True))

    assert seen("secretary") == {received.pk, requested.pk, elsewhere.pk}
    assert seen("head") == {received.pk, elsewhere.pk}
    assert seen("aa_officer") == {received.pk, requested.pk, elsewhere.pk}
    assert seen("audit_staff") == {requested.pk}
    assert seen("member") == {received.pk}  # seated at that meeting only
    assert seen("m03") == set()  # not seated
    assert seen("official") == set()
    assert seen("aa_officer_b") == set()


def test_panel_gives_the_secretary_the_forms(cast) -> None:
    target = item(cast)
    record(cast, target)
    secretary = actor_for(cast.secretary)
    panel = opinions_panel(secretary, target, meeting_roles(secretary, target.meeting))
    assert len(panel["opinion_rows"]) == 1
    assert panel["opinion_form"] is not None
    assert panel["audit_request_form"] is not None
    audit_request(cast, target)
    panel = opinions_panel(secretary, target, meeting_roles(secretary, target.meeting))
    assert panel["audit_request_form"] is None
    head = actor_for(cast.head)
    panel = opinions_panel(head, target, meeting_roles(head, target.meeting))
    assert panel["opinion_form"] is None
    assert len(panel["opinion_rows"]) == 1
