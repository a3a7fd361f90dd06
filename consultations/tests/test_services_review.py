"""The audit unit's services: return (and resubmission), accept, extend, opinion (on time
and late), referral to the higher body, committee, close."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations import services
from consultations.models import Consultation
from consultations.services.common import deadline_of
from consultations.tests.factories import acted, actor, submitted, under_review, with_opinion
from core.errors import DomainError, TransitionNotAllowed
from core.files import attachments_for
from core.models import Notification
from tests.cast import Cast

pytestmark = pytest.mark.django_db
S = Consultation.Status
UTC = datetime.UTC


def at(day: datetime.date) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), tzinfo=UTC), tick=False)


def test_return_needs_a_ground_from_the_list_and_a_reason(cast: Cast) -> None:
    c = submitted(cast)
    auditor = actor(cast, "aa_officer")
    with pytest.raises(TransitionNotAllowed) as error:
        services.consultation_return(actor=auditor, consultation=c, ground="law_clear", reason="")
    assert error.value.field == "reason"
    with pytest.raises(DomainError) as error:
        services.consultation_return(actor=auditor, consultation=c, ground="nonsense", reason="이유")
    assert error.value.field == "ground"
    c.refresh_from_db()
    assert c.status == S.SUBMITTED


def test_returned_request_is_corrected_and_resubmitted_with_a_fresh_period(cast: Cast) -> None:
    with at(datetime.date(2026, 3, 2)):
        c = submitted(cast)
    with at(datetime.date(2026, 3, 4)):
        services.consultation_return(
            actor=actor(cast, "aa_officer"), consultation=c, ground="no_own_review", reason="자체 검토 보완"
        )
    c.refresh_from_db()
    assert c.status == S.RETURNED
    assert c.get_return_ground_display() == "부서의 자체 검토가 없음"
    deadline = deadline_of(c)
    assert deadline is not None
    assert deadline.closed_at is not None
    assert Notification.objects.filter(recipient=cast.official, title__startswith="사전컨설팅 반려").exists()
    with at(datetime.date(2026, 3, 9)):
        services.consultation_update(
            actor=actor(cast, "official"),
            consultation=c,
            title=c.title,
            background=c.background,
            laws=c.laws,
            issues=c.issues,
            own_review="법령과 선례를 검토한 부서 의견",
            self_check=c.self_check,
            officials=list(c.officials.all()),
        )
        services.consultation_submit(actor=actor(cast, "dept_head"), consultation=c)
    c.refresh_from_db()
    assert c.status == S.SUBMITTED
    assert c.number.endswith("-0001")  # the number is kept
    assert c.submission_count == 2
    assert c.return_reason == ""
    deadline = deadline_of(c)
    assert deadline is not None
    assert deadline.closed_at is None
    assert deadline.starts_on == datetime.date(2026, 3, 9)
    assert deadline.due_on == datetime.date(2026, 3, 23)


DECISIONS = {
    "issue_opinion": lambda a, c: services.consultation_issue_opinion(
        actor=a, consultation=c, opinion="o", reasons="r"
    ),
    "refer": lambda a, c: services.consultation_refer(actor=a, consultation=c, body="감사원"),
    "to_committee": lambda a, c: services.consultation_to_committee(actor=a, consultation=c),
}


@pytest.mark.parametrize("action", sorted(DECISIONS))
def test_a_returned_request_cannot_be_decided(cast: Cast, action: str) -> None:
    c = under_review(cast)
    auditor = actor(cast, "aa_officer")
    services.consultation_return(actor=auditor, consultation=c, ground="proceedings", reason="감사 진행 중")
    with pytest.raises(TransitionNotAllowed):
        DECISIONS[action](auditor, c)
    c.refresh_from_db()
    assert c.status == S.RETURNED
    assert c.opinion_number == ""


def test_opinion_before_screening_is_refused(cast: Cast) -> None:
    c = submitted(cast)
    with pytest.raises(TransitionNotAllowed):
        services.consultation_issue_opinion(actor=actor(cast, "aa_officer"), consultation=c, opinion="o", reasons="r")


def test_department_cannot_issue_an_opinion(cast: Cast) -> None:
    c = under_review(cast)
    with pytest.raises(TransitionNotAllowed):
        services.consultation_issue_opinion(actor=actor(cast, "dept_head"), consultation=c, opinion="o", reasons="r")


def test_opinion_in_time_is_numbered_dated_and_closes_the_clock(cast: Cast) -> None:
    with at(datetime.date(2026, 3, 2)):
        c = under_review(cast)
    with at(datetime.date(2026, 3, 10)):
        services.consultation_issue_opinion(
            actor=actor(cast, "audit_staff"), consultation=c, opinion="처리 가능", reasons="근거", conditions="조건"
        )
    c.refresh_from_db()
    assert c.status == S.OPINION_ISSUED
    assert c.opinion_number == "감사담당관-2026-0001"
    assert c.opinion_on == datetime.date(2026, 3, 10)
    assert c.opinion_source == "audit_unit"
    assert c.opinion_late is False
    deadline = deadline_of(c)
    assert deadline is not None
    assert deadline.closed_at is not None
    assert not deadline.closed_late


def test_opinion_needs_its_text_and_reasons(cast: Cast) -> None:
    c = under_review(cast)
    with pytest.raises(DomainError) as error:
        services.consultation_issue_opinion(actor=actor(cast, "aa_officer"), consultation=c, opinion=" ", reasons="r")
    assert error.value.field == "opinion"
    with pytest.raises(DomainError) as error:
        services.consultation_issue_opinion(actor=actor(cast, "aa_officer"), consultation=c, opinion="o", reasons="")
    assert error.value.field == "reasons"
    c.refresh_from_db()
    assert c.status == S.UNDER_REVIEW
    deadline = deadline_of(c)
    assert deadline is not None
    assert deadline.closed_at is None


def test_an_opinion_after_the_deadline_is_recorded_as_late(cast: Cast) -> None:
    with at(datetime.date(2026, 3, 2)):
        c = under_review(cast)  # due 16 March
    with at(datetime.date(2026, 3, 17)):
        services.consultation_issue_opinion(actor=actor(cast, "aa_officer"), consultation=c, opinion="o", reasons="r")
    c.refresh_from_db()
    assert c.opinion_late is True
    deadline = deadline_of(c)
    assert deadline is not None
    assert deadline.closed_late


def test_extension_once_by_the_policy_period_with_a_reason(cast: Cast) -> None:
    with at(datetime.date(2026, 3, 2)):
        c = under_review(cast)
        auditor = actor(cast, "aa_officer")
        with pytest.raises(DomainError) as error:
            services.consultation_extend(actor=auditor, consultation=c, reason=" ")
        assert error.value.field == "reason"
        deadline = services.consultation_extend(actor=auditor, consultation=c, reason="관계 부처 질의 중")
        assert deadline.due_on == datetime.date(2026, 3, 30)
        with pytest.raises(DomainError):
            services.consultation_extend(actor=auditor, consultation=c, reason="한 번 더")
    assert Notification.objects.filter(recipient=cast.official, title__startswith="사전컨설팅 처리기한 연장").exists()
    # an opinion on 25 March is in time after the extension
    with at(datetime.date(2026, 3, 25)):
        services.consultation_issue_opinion(actor=actor(cast, "aa_officer"), consultation=c, opinion="o", reasons="r")
    c.refresh_from_db()
    assert c.opinion_late is False


def test_extension_across_holidays(cast: Cast) -> None:
    with at(datetime.date(2026, 9, 18)):
        c = submitted(cast)  # due 7 October
        deadline = services.consultation_extend(actor=actor(cast, "aa_officer"), consultation=c, reason="검토 중")
    # 10 more working days after 7 October skip Hangul Day (9 October)
    assert deadline.due_on == datetime.date(2026, 10, 22)


def test_only_the_audit_unit_extends(cast: Cast) -> None:
    c = submitted(cast)
    with pytest.raises(TransitionNotAllowed):
        services.consultation_extend(actor=actor(cast, "dept_head"), consultation=c, reason="x")


def test_no_extension_after_the_opinion(cast: Cast) -> None:
    c = with_opinion(cast)
    with pytest.raises(TransitionNotAllowed):
        services.consultation_extend(actor=actor(cast, "aa_officer"), consultation=c, reason="x")


def test_referral_to_the_higher_body_then_its_opinion_with_documents(cast: Cast) -> None:
    with at(datetime.date(2026, 3, 2)):
        c = under_review(cast)
    auditor = actor(cast, "aa_officer")
    with at(datetime.date(2026, 3, 5)):
        services.consultation_refer(actor=auditor, consultation=c, body="한빛광역시", reason="여러 기관 관련")
    c.refresh_from_db()
    assert c.status == S.REFERRED
    assert c.referred_on == datetime.date(2026, 3, 5)
    deadline = deadline_of(c)
    assert deadline is not None
    assert deadline.closed_at is not None
    with at(datetime.date(2026, 4, 20)):
        with pytest.raises(DomainError) as error:
            services.consultation_record_higher_opinion(
                actor=auditor, consultation=c, opinion="가능", given_on=datetime.date(2026, 3, 1)
            )
        assert error.value.field == "given_on"
        with pytest.raises(DomainError) as error:
            services.consultation_record_higher_opinion(
                actor=auditor, consultation=c, opinion="가능", given_on=datetime.date(2026, 4, 21)
            )
        assert error.value.field == "given_on"
        services.consultation_record_higher_opinion(
            actor=auditor,
            consultation=c,
            opinion="가능",
            reasons="근거",
            given_on=datetime.date(2026, 4, 15),
            reference="감사과-1234",
            documents=[SimpleUploadedFile("회신.txt", "회신".encode(), content_type="text/plain")],
        )
    c.refresh_from_db()
    assert c.status == S.OPINION_ISSUED
    assert c.opinion_source == "higher_body"
    assert c.opinion_on == datetime.date(2026, 4, 15)
    assert c.higher_reference == "감사과-1234"
    assert c.opinion_number == "감사담당관-2026-0001"
    assert c.opinion_late is False  # the clock stopped at the referral, in time
    assert [a.purpose for a in attachments_for(c)] == ["opinion"]


def test_referral_needs_the_body(cast: Cast) -> None:
    c = under_review(cast)
    with pytest.raises(DomainError) as error:
        services.consultation_refer(actor=actor(cast, "aa_officer"), consultation=c, body=" ")
    assert error.value.field == "body"


def test_committee_advice_recorded_by_the_audit_unit(cast: Cast) -> None:
    c = under_review(cast)
    auditor = actor(cast, "aa_officer")
    services.consultation_to_committee(actor=auditor, consultation=c)
    c.refresh_from_db()
    assert c.status == S.AT_COMMITTEE
    services.consultation_record_committee_advice(
        actor=auditor, consultation=c, opinion="자문 의견", advised_on=c.committee_on
    )
    c.refresh_from_db()
    assert c.status == S.OPINION_ISSUED
    assert c.opinion_source == "committee"


def test_committee_seam_accepts_the_committee_role(cast: Cast) -> None:
    c = under_review(cast)
    services.consultation_to_committee(actor=actor(cast, "aa_officer"), consultation=c)
    secretary = actor(cast, "secretary")
    with pytest.raises(TransitionNotAllowed):
        services.consultation_record_committee_advice(
            actor=secretary, consultation=c, opinion="자문", advised_on=c.committee_on
        )
    services.consultation_record_committee_advice(
        actor=secretary, consultation=c, opinion="자문", advised_on=c.committee_on, roles=frozenset({"committee"})
    )
    c.refresh_from_db()
    assert c.status == S.OPINION_ISSUED


def test_close_after_the_outcome_and_a_closed_case_cannot_be_edited(cast: Cast) -> None:
    c = acted(cast)
    auditor = actor(cast, "aa_officer")
    services.consultation_close(actor=auditor, consultation=c)
    c.refresh_from_db()
    assert c.status == S.CLOSED
    with pytest.raises(TransitionNotAllowed):
        services.consultation_update(actor=actor(cast, "official"), consultation=c, title="x")
    with pytest.raises(TransitionNotAllowed):
        services.consultation_record_outcome(
            actor=actor(cast, "official"), consultation=c, outcome="partly", acted_on=c.acted_on, note="x"
        )
    with pytest.raises(TransitionNotAllowed):
        services.consultation_attach(
            actor=actor(cast, "official"),
            consultation=c,
            upload=SimpleUploadedFile("a.txt", b"abc", content_type="text/plain"),
        )


def test_another_institutions_auditor_has_no_role(cast: Cast) -> None:
    c = submitted(cast)
    with pytest.raises(TransitionNotAllowed):
        services.consultation_accept(actor=actor(cast, "aa_officer_b"), consultation=c)
