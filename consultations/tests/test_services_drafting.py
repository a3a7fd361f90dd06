"""The department's services: draft, edit, ask the head, submit (number and deadline),
send back, withdraw, files."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations import services
from consultations.models import Consultation
from consultations.services.common import deadline_of
from consultations.tests.factories import CHECKS, actor, draft, submitted
from core.errors import DomainError, TransitionNotAllowed
from core.models import AuditEntry, Deadline, Notification
from tests.cast import Cast
from tests.factories import PersonFactory, WorkItemFactory

pytestmark = pytest.mark.django_db
S = Consultation.Status


def actions(c: Consultation) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type="consultations.consultation", target_id=str(c.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_official_drafts_a_request_for_the_own_department_and_it_is_audited(cast: Cast) -> None:
    c = draft(cast)
    assert c.status == S.DRAFT
    assert c.unit == cast.building
    assert c.drafted_by == cast.official
    assert list(c.officials.all()) == [cast.official.person]
    assert actions(c) == ["consultation.created"]
    assert c.number == ""


def test_official_cannot_draft_for_another_department(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        services.consultation_create(actor=actor(cast, "official"), unit=cast.planning, title="x")
    assert error.value.field == "unit"
    assert not Consultation.objects.exists()


def test_officials_and_work_item_must_belong_to_the_institution(cast: Cast) -> None:
    stranger = PersonFactory(institution=cast.other, unit=cast.other_unit)
    with pytest.raises(DomainError) as error:
        draft(cast, officials=[stranger])
    assert error.value.field == "officials"
    foreign_item = WorkItemFactory(institution=cast.other, unit=cast.other_unit)
    with pytest.raises(DomainError) as error:
        draft(cast, work_item=foreign_item)
    assert error.value.field == "work_item"
    assert not Consultation.objects.exists()


def test_blank_title_is_refused(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        draft(cast, title="   ")
    assert error.value.field == "title"


def test_bad_self_check_answer_is_refused(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        draft(cast, self_check={"laws_reviewed": {"answer": "maybe"}})
    assert error.value.field == "check_laws_reviewed"


def test_update_records_the_changed_fields_and_officials(cast: Cast) -> None:
    c = draft(cast)
    colleague = PersonFactory(institution=cast.district, unit=cast.building)
    services.consultation_update(
        actor=actor(cast, "official"),
        consultation=c,
        title="새 제목",
        background=c.background,
        laws=c.laws,
        issues=c.issues,
        own_review=c.own_review,
        self_check=CHECKS,
        officials=[cast.official.person, colleague],
        work_item=c.work_item,
    )
    c.refresh_from_db()
    assert c.title == "새 제목"
    assert c.officials.count() == 2
    entry = AuditEntry.objects.filter(action="consultation.updated").get()
    assert entry.changes["title"] == ["가설울타리 도로점용 허가기간 연장", "새 제목"]
    assert "officials" in entry.changes


def test_another_department_cannot_edit(cast: Cast) -> None:
    c = draft(cast)
    with pytest.raises(TransitionNotAllowed):
        services.consultation_update(actor=actor(cast, "official2"), consultation=c, title="x")


def test_submit_requires_the_departments_own_review(cast: Cast) -> None:
    c = draft(cast, own_review="")
    with pytest.raises(DomainError) as error:
        services.consultation_submit(actor=actor(cast, "dept_head"), consultation=c)
    assert error.value.field == "own_review"
    c.refresh_from_db()
    assert c.status == S.DRAFT
    assert c.number == ""


def test_submit_requires_every_self_check_answer_and_an_official(cast: Cast) -> None:
    c = draft(cast, self_check={})
    with pytest.raises(DomainError) as error:
        services.consultation_request_approval(actor=actor(cast, "official"), consultation=c)
    assert error.value.field == "check_laws_reviewed"
    c = draft(cast, officials=[])
    with pytest.raises(DomainError) as error:
        services.consultation_request_approval(actor=actor(cast, "official"), consultation=c)
    assert error.value.field == "officials"


@time_machine.travel(datetime.datetime(2026, 9, 18, 10, tzinfo=datetime.UTC), tick=False)
def test_head_submits_number_and_deadline_across_chuseok(cast: Cast) -> None:
    c = draft(cast)
    services.consultation_request_approval(actor=actor(cast, "official"), consultation=c)
    services.consultation_submit(actor=actor(cast, "dept_head"), consultation=c)
    c.refresh_from_db()
    assert c.status == S.SUBMITTED
    assert c.number == "사전컨설팅-2026-0001"
    assert c.submitted_on == datetime.date(2026, 9, 18)
    deadline = deadline_of(c)
    assert deadline is not None
    # 10 working days after Friday 18 September 2026 skip Chuseok and two holidays.
    assert deadline.due_on == datetime.date(2026, 10, 7)
    assert actions(c)[-2:] == ["consultation.request_approval", "consultation.submit"]
    assert Notification.objects.filter(recipient=cast.aa_officer).exists()
    assert Notification.objects.filter(recipient=cast.dept_head).exists()  # the approval request


def test_the_policy_sets_the_processing_period(cast: Cast) -> None:
    policy = cast.district.policy
    policy.consultation_days = 3
    policy.save()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        c = submitted(cast)
    deadline = deadline_of(c)
    assert deadline is not None
    assert deadline.due_on == datetime.date(2026, 3, 5)


def test_numbers_follow_each_other(cast: Cast) -> None:
    first, second = submitted(cast), submitted(cast)
    assert first.number.endswith("-0001")
    assert second.number.endswith("-0002")


def test_official_cannot_submit_to_the_audit_unit(cast: Cast) -> None:
    c = draft(cast)
    with pytest.raises(TransitionNotAllowed):
        services.consultation_submit(actor=actor(cast, "official"), consultation=c)


def test_head_sends_a_pending_request_back_with_a_reason(cast: Cast) -> None:
    c = draft(cast)
    services.consultation_request_approval(actor=actor(cast, "official"), consultation=c)
    with pytest.raises(TransitionNotAllowed) as error:
        services.consultation_send_back(actor=actor(cast, "dept_head"), consultation=c, reason=" ")
    assert error.value.field == "reason"
    services.consultation_send_back(actor=actor(cast, "dept_head"), consultation=c, reason="법령 검토 보완")
    c.refresh_from_db()
    assert c.status == S.DRAFT
    assert Notification.objects.filter(recipient=cast.official, body="법령 검토 보완").exists()


def test_withdrawal_before_a_decision_stops_the_clock(cast: Cast) -> None:
    c = submitted(cast)
    services.consultation_withdraw(actor=actor(cast, "official"), consultation=c, reason="민원 취하")
    c.refresh_from_db()
    assert c.status == S.WITHDRAWN
    deadline = deadline_of(c)
    assert deadline is not None
    assert deadline.closed_at is not None


def test_withdrawn_request_cannot_be_edited(cast: Cast) -> None:
    c = draft(cast)
    services.consultation_withdraw(actor=actor(cast, "official"), consultation=c, reason="불필요")
    with pytest.raises(TransitionNotAllowed):
        services.consultation_update(actor=actor(cast, "official"), consultation=c, title="x")


def test_files_go_where_the_state_allows(cast: Cast) -> None:
    c = draft(cast)
    upload = SimpleUploadedFile("검토.txt", "검토 내용".encode(), content_type="text/plain")
    attachment = services.consultation_attach(actor=actor(cast, "official"), consultation=c, upload=upload)
    assert attachment.purpose == "request"
    with pytest.raises(TransitionNotAllowed):
        services.consultation_attach(
            actor=actor(cast, "aa_officer"),
            consultation=c,
            upload=SimpleUploadedFile("a.txt", b"abc", content_type="text/plain"),
        )


def test_other_institutions_deadlines_untouched(cast: Cast) -> None:
    submitted(cast)
    assert Deadline.objects.filter(institution=cast.other).count() == 0
