"""Opening a case (application with its filing window, the audit unit's own case), changing
it, evidence, and that a closed case stays closed."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from core import audit
from core.access import actor_for
from core.errors import DomainError
from core.models import Notification
from exemptions.models import ExemptionCase, ExemptionOfficial, Finding
from exemptions.services.cases import exemption_attach, exemption_update
from exemptions.tests import factories as f
from institutions.models import Policy

pytestmark = pytest.mark.django_db

AUDIT_END = datetime.date(2026, 3, 2)


@time_machine.travel(datetime.datetime(2026, 4, 1, 10, tzinfo=datetime.UTC))
def test_an_application_on_the_last_day_of_the_window_is_accepted(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.applied(cast, matter_date=AUDIT_END)  # 30 days after 2 March is 1 April
    assert case.status == ExemptionCase.Status.FILED
    assert case.filed_on == datetime.date(2026, 4, 1)


@time_machine.travel(datetime.datetime(2026, 4, 2, 10, tzinfo=datetime.UTC))
def test_an_application_after_the_window_is_refused_with_the_last_day(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as refused:
        f.applied(cast, matter_date=AUDIT_END)
    assert refused.value.field == "matter_date"
    assert "2026-04-01까지" in str(refused.value.message)
    assert not ExemptionCase.objects.exists()


@time_machine.travel(datetime.datetime(2026, 4, 2, 10, tzinfo=datetime.UTC))
def test_the_window_is_the_institutions_policy(cast) -> None:  # type: ignore[no-untyped-def]
    Policy.objects.filter(institution=cast.district).update(exemption_filing_window_days=60)
    assert f.applied(cast, matter_date=AUDIT_END).status == ExemptionCase.Status.FILED


@time_machine.travel(datetime.datetime(2026, 9, 1, 10, tzinfo=datetime.UTC))
def test_the_audit_units_own_case_is_not_bound_by_the_window(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.opened(cast, matter_date=AUDIT_END)
    assert case.status == ExemptionCase.Status.OPENED
    assert case.origin == ExemptionCase.Origin.OWN_INITIATIVE


def test_the_applicant_is_always_named_with_the_colleagues(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.applied(cast, co_officials=[cast.official2.person, cast.official.person])
    named = set(ExemptionOfficial.objects.filter(case=case).values_list("person_id", flat=True))
    assert named == {cast.official.person.pk, cast.official2.person.pk}
    assert case.applicant_id == cast.official.person.pk


def test_a_case_starts_with_the_nine_criteria_unknown_and_a_history_entry(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.applied(cast)
    assert Finding.objects.filter(case=case, answer=Finding.Answer.UNKNOWN).count() == 9
    entry = audit.timeline(case).get()
    assert entry.action == "exemption.applied"
    assert entry.changes["officials"] == [str(cast.official.person)]


def test_an_application_notifies_the_audit_side(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.applied(cast)
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"aa_officer", "audit_staff"}
    assert Notification.objects.filter(url=case.get_absolute_url()).exists()


def test_numbers_run_per_institution_and_year(cast) -> None:  # type: ignore[no-untyped-def]
    first, second = f.applied(cast), f.opened(cast)
    assert (first.number, second.number) == (1, 2)
    assert second.reference == f"면책-{second.year}-0002"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"act": "  "}, "act"),
        ({"matter_title": ""}, "matter_title"),
        ({"matter_date": None}, "matter_date"),
        ({"stage": "appeal"}, "stage"),
    ],
)
def test_bad_input_is_refused_by_field_and_nothing_is_saved(cast, overrides, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as refused:
        f.applied(cast, **overrides)
    assert refused.value.field == field
    assert not ExemptionCase.objects.exists()


def test_a_register_entry_of_another_institution_is_refused(cast) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import WorkItemFactory

    theirs = WorkItemFactory(institution=cast.other, unit=cast.other_unit)
    with pytest.raises(DomainError) as refused:
        f.opened(cast, work_item=theirs)
    assert refused.value.field == "work_item"


def test_officials_of_another_institution_are_refused(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError) as refused:
        f.opened(cast, officials=[cast.official_b.person])
    assert refused.value.field == "officials"


def test_only_the_audit_side_opens_a_case_on_its_own_initiative(cast) -> None:  # type: ignore[no-untyped-def]
    for who in ("official", "hr_officer", "aa_officer_b"):
        with pytest.raises(DomainError):
            f.opened(cast, username=who)


def test_an_official_without_the_official_role_cannot_apply(cast) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError):
        f.applied(cast, username="head")


def _details(case: ExemptionCase, **changes):  # type: ignore[no-untyped-def]
    values = {
        "act": case.act,
        "matter_title": case.matter_title,
        "matter_date": case.matter_date,
        "matter_reference": case.matter_reference,
        "act_details": case.act_details,
        "work_item": case.work_item,
    }
    values.update(changes)
    return values


def test_the_applicant_edits_a_filed_case_and_the_change_is_audited(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.applied(cast)
    case = exemption_update(actor=actor_for(cast.official), case=case, **_details(case, act="바뀐 행위"))
    assert case.act == "바뀐 행위"
    assert audit.timeline(case).last().changes == {"act": ["도로점용 허가 시 점용료 감면", "바뀐 행위"]}  # type: ignore[union-attr]


def test_the_applicant_cannot_edit_once_the_review_started(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.reviewing(cast, f.applied(cast))
    with pytest.raises(DomainError):
        exemption_update(actor=actor_for(cast.official), case=case, **_details(case, act="바뀐 행위"))


def test_editing_a_filed_application_keeps_the_filing_window(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.applied(cast)
    with pytest.raises(DomainError) as refused:
        exemption_update(
            actor=actor_for(cast.official),
            case=case,
            **_details(case, matter_date=case.filed_on - datetime.timedelta(days=40)),
        )
    assert refused.value.field == "matter_date"


@pytest.mark.parametrize("decision", ["full", "rejection"])
def test_a_decided_case_cannot_be_edited_nor_given_evidence(cast, decision) -> None:  # type: ignore[no-untyped-def]
    case = f.decided(cast, decision=decision)
    with pytest.raises(DomainError):
        exemption_update(actor=actor_for(cast.aa_officer), case=case, **_details(case, act="고침"))
    with pytest.raises(DomainError):
        exemption_attach(actor=actor_for(cast.aa_officer), case=case, upload=SimpleUploadedFile("a.txt", b"evidence"))
    case.refresh_from_db()
    assert case.act != "고침"


def test_evidence_is_attached_by_the_applicant_and_the_audit_side_only(cast) -> None:  # type: ignore[no-untyped-def]
    case = f.applied(cast, co_officials=[cast.official2.person])
    exemption_attach(actor=actor_for(cast.official), case=case, upload=SimpleUploadedFile("a.txt", b"one"))
    exemption_attach(actor=actor_for(cast.audit_staff), case=case, upload=SimpleUploadedFile("b.txt", b"two"))
    with pytest.raises(DomainError):
        exemption_attach(actor=actor_for(cast.official2), case=case, upload=SimpleUploadedFile("c.txt", b"3"))
