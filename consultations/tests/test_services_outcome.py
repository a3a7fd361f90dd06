"""The outcome and the presumptions: followed, partly, not followed, opinion after the act,
private interest, two officials where only one had a private interest, re-recording."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations import services
from consultations.models import Consultation
from consultations.tests.factories import acted, actor, with_opinion
from core.errors import DomainError, TransitionNotAllowed
from core.files import attachments_for
from core.models import AuditEntry
from exemptions.models import Presumption
from tests.cast import Cast
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db
S = Consultation.Status


def record(cast: Cast, c: Consultation, **kwargs: object) -> Consultation:
    values: dict[str, object] = {"outcome": "followed", "acted_on": c.opinion_on, "note": "의견대로 처리"}
    values.update(kwargs)
    return services.consultation_record_outcome(actor=actor(cast, "official"), consultation=c, **values)  # type: ignore[arg-type]


def test_followed_opinion_gives_each_acting_official_a_presumption(cast: Cast) -> None:
    colleague = PersonFactory(institution=cast.district, unit=cast.building, name="김동료")
    c = with_opinion(cast, officials=[cast.official.person, colleague])
    record(cast, c, documents=[SimpleUploadedFile("결재.txt", "결재".encode(), content_type="text/plain")])
    c.refresh_from_db()
    assert c.status == S.ACTED
    rows = Presumption.objects.filter(source_id=c.pk).order_by("person__name")
    assert {r.person for r in rows} == {colleague, cast.official.person}
    for row in rows:
        assert row.holds
        assert row.source == "consultation"
        assert row.source_reference == c.opinion_number
        assert row.work_item == c.work_item
        assert row.advice_given_on == c.opinion_on
        assert row.source_url == c.get_absolute_url()
    assert [a.purpose for a in attachments_for(c)] == ["evidence"]


def test_partly_followed_opinion_gives_no_presumption(cast: Cast) -> None:
    c = with_opinion(cast)
    record(cast, c, outcome="partly")
    row = Presumption.objects.get(source_id=c.pk)
    assert not row.holds
    assert row.why_not() == ["의견을 일부만 이행함"]


def test_not_followed_is_recorded_without_presumption(cast: Cast) -> None:
    c = with_opinion(cast)
    record(cast, c, outcome="not_followed")
    assert not Presumption.objects.get(source_id=c.pk).holds


def test_opinion_given_after_the_act_gives_no_presumption(cast: Cast) -> None:
    c = with_opinion(cast)
    assert c.opinion_on is not None
    record(cast, c, acted_on=c.opinion_on - datetime.timedelta(days=3))
    row = Presumption.objects.get(source_id=c.pk)
    assert not row.holds
    assert "처리 후에 받은 의견·자문임" in row.why_not()


def test_recording_again_updates_the_presumptions(cast: Cast) -> None:
    c = acted(cast, outcome="partly")
    record(cast, c, outcome="followed")
    assert Presumption.objects.filter(source_id=c.pk).count() == 1
    assert Presumption.objects.get(source_id=c.pk).holds


def test_outcome_needs_a_choice_a_date_not_in_the_future_and_evidence(cast: Cast) -> None:
    c = with_opinion(cast)
    with pytest.raises(DomainError) as error:
        record(cast, c, outcome="maybe")
    assert error.value.field == "outcome"
    with pytest.raises(DomainError) as error:
        record(cast, c, acted_on=None)
    assert error.value.field == "acted_on"
    with pytest.raises(DomainError) as error:
        record(cast, c, acted_on=datetime.date(2999, 1, 1))
    assert error.value.field == "acted_on"
    with pytest.raises(DomainError) as error:
        record(cast, c, note=" ")
    assert error.value.field == "note"
    assert not Presumption.objects.exists()
    c.refresh_from_db()
    assert c.status == S.OPINION_ISSUED


def test_audit_unit_cannot_record_the_departments_outcome(cast: Cast) -> None:
    c = with_opinion(cast)
    with pytest.raises(TransitionNotAllowed):
        services.consultation_record_outcome(
            actor=actor(cast, "aa_officer"), consultation=c, outcome="followed", acted_on=c.opinion_on, note="x"
        )


def test_private_interest_of_one_of_two_officials(cast: Cast) -> None:
    colleague = PersonFactory(institution=cast.district, unit=cast.building, name="김동료")
    c = acted(cast, officials=[cast.official.person, colleague])
    mine = Presumption.objects.get(source_id=c.pk, person=cast.official.person)
    theirs = Presumption.objects.get(source_id=c.pk, person=colleague)
    services.consultation_set_exception(
        actor=actor(cast, "aa_officer"),
        consultation=c,
        presumption=theirs,
        private_interest=True,
        insufficient_information=False,
        reason="신청인과 친족 관계",
    )
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.holds
    assert not theirs.holds
    assert theirs.why_not() == ["사적 이해관계가 있었음"]
    assert AuditEntry.objects.filter(action="consultation.presumption_exception", target_id=str(c.pk)).exists()
    assert AuditEntry.objects.filter(action="presumption.exception_recorded").exists()


def test_insufficient_information_needs_a_reason_and_can_be_cleared(cast: Cast) -> None:
    c = acted(cast)
    row = Presumption.objects.get(source_id=c.pk)
    auditor = actor(cast, "aa_officer")
    with pytest.raises(DomainError) as error:
        services.consultation_set_exception(
            actor=auditor,
            consultation=c,
            presumption=row,
            private_interest=False,
            insufficient_information=True,
            reason="",
        )
    assert error.value.field == "reason"
    services.consultation_set_exception(
        actor=auditor,
        consultation=c,
        presumption=row,
        private_interest=False,
        insufficient_information=True,
        reason="자료 누락",
    )
    row.refresh_from_db()
    assert not row.holds
    services.consultation_set_exception(
        actor=auditor,
        consultation=c,
        presumption=row,
        private_interest=False,
        insufficient_information=False,
        reason="",
    )
    row.refresh_from_db()
    assert row.holds


def test_exceptions_stay_recordable_after_closing(cast: Cast) -> None:
    c = acted(cast)
    services.consultation_close(actor=actor(cast, "aa_officer"), consultation=c)
    row = Presumption.objects.get(source_id=c.pk)
    services.consultation_set_exception(
        actor=actor(cast, "audit_staff"),
        consultation=c,
        presumption=row,
        private_interest=True,
        insufficient_information=False,
        reason="감사 결과",
    )
    row.refresh_from_db()
    assert row.private_interest


def test_only_the_audit_unit_records_exceptions(cast: Cast) -> None:
    c = acted(cast)
    row = Presumption.objects.get(source_id=c.pk)
    with pytest.raises(TransitionNotAllowed):
        services.consultation_set_exception(
            actor=actor(cast, "dept_head"),
            consultation=c,
            presumption=row,
            private_interest=True,
            insufficient_information=False,
            reason="x",
        )
    row.refresh_from_db()
    assert not row.private_interest


def test_exception_for_another_requests_presumption_is_refused(cast: Cast) -> None:
    first, second = acted(cast), acted(cast)
    other_row = Presumption.objects.get(source_id=second.pk)
    with pytest.raises(DomainError) as error:
        services.consultation_set_exception(
            actor=actor(cast, "aa_officer"),
            consultation=first,
            presumption=other_row,
            private_interest=True,
            insufficient_information=False,
            reason="x",
        )
    assert error.value.field == "presumption"


def test_no_exception_before_the_outcome(cast: Cast) -> None:
    c = with_opinion(cast)
    row = Presumption.objects.create(
        institution=cast.district,
        person=cast.official.person,
        act="x",
        source="consultation",
        source_type_id=1,
        source_id=c.pk,
        advice_given_on=c.opinion_on,
        followed="followed",
    )
    with pytest.raises(TransitionNotAllowed):
        services.consultation_set_exception(
            actor=actor(cast, "aa_officer"),
            consultation=c,
            presumption=row,
            private_interest=True,
            insufficient_information=False,
            reason="x",
        )
