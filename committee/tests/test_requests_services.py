"""Advice requests: submit, withdraw, put on an agenda, the link's hooks, the outcome and its
presumption rows."""

from __future__ import annotations

import datetime

import pytest

from committee.models import AdviceRequest, AgendaItem, Meeting
from committee.services import requests
from committee.tests.requests_fixtures import advised, decide, entries, linked_item, meeting, on_agenda, submit
from core.access import actor_for
from core.errors import DomainError
from core.models import Notification
from exemptions.models import Presumption
from exemptions.presumptions import presumptions_for
from tests.factories import WorkItemFactory

pytestmark = pytest.mark.django_db
S = AdviceRequest.Status


# --- Submit ------------------------------------------------------------------------------


def test_official_submits_a_numbered_request_and_the_secretary_is_told(
    cast, django_capture_on_commit_callbacks
) -> None:
    item = WorkItemFactory(institution=cast.district, unit=cast.building)
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(cast, work_item=item)
    assert request.reference == "자문-2026-0001"
    assert (request.status, request.unit, request.requester) == (S.SUBMITTED, cast.building, cast.official.person)
    assert request.submitted_on == datetime.date(2026, 6, 15)
    assert submit(cast).reference == "자문-2026-0002"
    assert entries(request, "committee.advice_request_submitted") == 1
    notice = Notification.objects.get(recipient=cast.secretary)
    assert "자문-2026-0001" in notice.title
    assert notice.url == f"/office/committee/advice/{request.pk}/"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "  ", "제목"),
        ("title", "가" * 201, "200자"),
        ("task", "", "업무 내용"),
        ("rule", "", "불명확한 규정"),
        ("options", "", "검토한 방안"),
        ("options", "가" * 5001, "5000자"),
    ],
)
def test_required_fields_and_limits(cast, field, value, message) -> None:
    with pytest.raises(DomainError) as error:
        submit(cast, **{field: value})
    assert error.value.field == field
    assert message in str(error.value.message)
    assert not AdviceRequest.objects.exists()


def test_work_item_of_another_institution_is_refused(cast) -> None:
    item = WorkItemFactory(institution=cast.other, unit=cast.other_unit)
    with pytest.raises(DomainError) as error:
        submit(cast, work_item=item)
    assert error.value.field == "work_item"


@pytest.mark.parametrize("who", ["head", "admin", "supervisor", "admin_b"])
def test_only_officials_submit(cast, who) -> None:
    with pytest.raises(DomainError):
        submit(cast, who=who)


# --- Withdraw ------------------------------------------------------------------------------


def test_requester_withdraws_while_submitted(cast) -> None:
    request = submit(cast)
    requests.advice_request_withdraw(actor=actor_for(cast.official), request=request, reason="자체 해결")
    assert request.status == S.WITHDRAWN
    assert entries(request, "committee_advice_request.withdraw") == 1


@pytest.mark.parametrize("who", ["official2", "secretary", "official_b"])
def test_others_cannot_withdraw(cast, who) -> None:
    request = submit(cast)
    with pytest.raises(DomainError):
        requests.advice_request_withdraw(actor=actor_for(cast.users[who]), request=request)
    request.refresh_from_db()
    assert request.status == S.SUBMITTED


def test_a_request_on_the_agenda_cannot_be_withdrawn(cast) -> None:
    request, _item = on_agenda(cast)
    with pytest.raises(DomainError):
        requests.advice_request_withdraw(actor=actor_for(cast.official), request=request)


# --- Put on an agenda (the meeting part's item_add) --------------------------------------


def test_secretary_puts_a_request_on_a_meeting(cast) -> None:
    request = submit(cast)
    target = meeting(cast)
    item = requests.advice_request_schedule(actor=actor_for(cast.secretary), request=request, meeting=target)
    request.refresh_from_db()
    assert request.status == S.ON_AGENDA
    assert (item.kind, item.title, item.case) == (AgendaItem.Kind.ADVICE, request.title, request)
    assert "[불명확한 규정]" in item.summary
    assert entries(request, "committee_advice_request.put_on_agenda") == 1


def test_schedule_refusals(cast) -> None:
    request = submit(cast)
    secretary = actor_for(cast.secretary)
    with pytest.raises(DomainError) as error:
        requests.advice_request_schedule(actor=secretary, request=request, meeting=meeting(cast, status="closed"))
    assert error.value.field == "meeting"
    other = Meeting.objects.create(
        institution=cast.other, year=2026, number=1, reference="x", title="x", starts_at="2026-06-20T01:00Z"
    )
    with pytest.raises(DomainError):
        requests.advice_request_schedule(actor=secretary, request=request, meeting=other)
    with pytest.raises(DomainError):
        requests.advice_request_schedule(actor=actor_for(cast.official), request=request, meeting=meeting(cast))
    requests.advice_request_withdraw(actor=actor_for(cast.official), request=request)
    with pytest.raises(DomainError):
        requests.advice_request_schedule(actor=secretary, request=request, meeting=meeting(cast))


# --- Hooks -----------------------------------------------------------------------------------


def test_adopted_advice_is_written_back_and_the_requester_told(cast, django_capture_on_commit_callbacks) -> None:
    request, item = on_agenda(cast)
    decide(item, AgendaItem.Result.ADOPTED, "허가 없이 처리할 수 있음")
    with django_capture_on_commit_callbacks(execute=True):
        requests.on_result(actor_for(cast.secretary), request, item)
    request.refresh_from_db()
    assert (request.status, request.advice, request.advised_on) == (
        S.ADVISED,
        "허가 없이 처리할 수 있음",
        datetime.date(2026, 6, 15),
    )
    assert entries(request, "committee_advice_request.advise") == 1
    assert Notification.objects.filter(recipient=cast.official, title__contains="위원회 자문 결과").exists()


@pytest.mark.parametrize("result", [AgendaItem.Result.REJECTED, AgendaItem.Result.NO_QUORUM])
def test_not_adopted_goes_back_to_the_queue(cast, result) -> None:
    request, item = on_agenda(cast)
    decide(item, result, "안")
    requests.on_result(actor_for(cast.secretary), request, item)
    request.refresh_from_db()
    assert (request.status, request.advice) == (S.SUBMITTED, "")


def test_withdrawn_item_returns_the_request(cast) -> None:
    request, item = on_agenda(cast)
    requests.on_removed(actor_for(cast.secretary), request, item)
    request.refresh_from_db()
    assert request.status == S.SUBMITTED


def test_adopted_without_text_raises_so_the_decision_rolls_back(cast) -> None:
    request, item = on_agenda(cast)
    decide(item, AgendaItem.Result.ADOPTED, " ")
    with pytest.raises(DomainError):
        requests.on_result(actor_for(cast.secretary), request, item)
    request.refresh_from_db()
    assert request.status == S.ON_AGENDA


def test_on_agenda_twice_is_refused(cast) -> None:
    request, _item = on_agenda(cast)
    with pytest.raises(DomainError):
        requests.on_agenda(actor_for(cast.secretary), request, linked_item(cast, request))


# --- Outcome ------------------------------------------------------------------------------


def test_followed_advice_gives_each_acting_official_a_presumption(cast) -> None:
    work = WorkItemFactory(institution=cast.district, unit=cast.building, title="가설 울타리 점용 처리")
    request = advised(cast, work_item=work)
    colleague = cast.official2.person
    requests.advice_request_record_outcome(
        actor=actor_for(cast.official),
        request=request,
        followed="followed",
        acted_on=datetime.date(2026, 6, 15),
        act="",
        employee_numbers=f"{colleague.employee_number}, {cast.official.person.employee_number}",
        note="자문대로 허가 없이 처리",
    )
    assert request.status == S.OUTCOME_RECORDED
    rows = list(Presumption.objects.order_by("person__name"))
    assert [r.person for r in rows] == [cast.official.person, colleague]
    assert all(r.holds and r.source == "committee_advice" and r.act == "가설 울타리 점용 처리" for r in rows)
    assert rows[0].source_reference == request.reference
    assert rows[0].source_url == f"/office/committee/advice/{request.pk}/"
    found = presumptions_for(institution_id=cast.district.pk, person_ids=[colleague.pk], work_item_id=work.pk)
    assert [p.source_reference for p in found] == [request.reference]
    assert entries(request, "committee_advice_request.record_outcome") == 1


def test_acting_before_the_advice_or_partly_is_recorded_but_does_not_hold(cast) -> None:
    request = advised(cast)
    requests.advice_request_record_outcome(
        actor=actor_for(cast.official),
        request=request,
        followed="partly",
        acted_on=datetime.date(2026, 6, 1),
        act="점용 허가",
    )
    presumption = Presumption.objects.get()
    assert not presumption.holds
    assert len(presumption.why_not()) == 2


def test_outcome_refusals(cast) -> None:
    request = advised(cast)
    official = actor_for(cast.official)
    base = {"request": request, "followed": "followed", "acted_on": datetime.date(2026, 6, 15)}
    with pytest.raises(DomainError) as error:
        requests.advice_request_record_outcome(actor=official, **{**base, "followed": "maybe"})
    assert error.value.field == "followed"
    with pytest.raises(DomainError) as error:
        requests.advice_request_record_outcome(actor=official, **{**base, "acted_on": datetime.date(2026, 6, 16)})
    assert error.value.field == "acted_on"
    with pytest.raises(DomainError) as error:
        requests.advice_request_record_outcome(actor=official, **base, employee_numbers="NOPE-1")
    assert error.value.field == "employee_numbers"
    assert "NOPE-1" in str(error.value.message)
    with pytest.raises(DomainError):
        requests.advice_request_record_outcome(actor=actor_for(cast.official2), **base)
    assert not Presumption.objects.exists()
    request.refresh_from_db()
    assert request.status == S.ADVISED


def test_outcome_before_the_advice_is_refused(cast) -> None:
    request = submit(cast)
    with pytest.raises(DomainError):
        requests.advice_request_record_outcome(
            actor=actor_for(cast.official), request=request, followed="followed", acted_on=datetime.date(2026, 6, 15)
        )


def test_demo_step_adds_one_request_once(cast) -> None:
    from committee.wiring_requests import demo_seed

    cast.district.code = "SAESOL"
    cast.district.save()
    assert demo_seed() == 1
    assert demo_seed() == 0
    assert AdviceRequest.objects.get().status == S.SUBMITTED
