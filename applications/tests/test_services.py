from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from applications import services
from applications.models import Application
from applications.selectors import visible_applications
from applications.tests.factories import actor, reviewing, submit
from applications.workflow import APPLICATION
from consultations.tests.factories import draft, submitted, under_review
from core.errors import DomainError
from core.models import AuditEntry, Notification
from institutions.models import Policy
from reports import receipts
from tests.cast import Cast

pytestmark = pytest.mark.django_db
S = Application.Status


def test_submit_stores_only_a_hash_numbers_opens_deadline_and_notifies(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        application, code = submit(cast.district, unit_name="건축과")
    assert application.receipt_hash == receipts.digest(code)
    assert code not in str(Application.objects.filter(pk=application.pk).values().get())
    assert application.number == "국민신청-2026-0001"
    assert application.unit == cast.building
    deadline = services.deadline_of(application)
    assert deadline is not None
    assert deadline.working_days == 14
    assert AuditEntry.objects.filter(action="application.submitted", target_id=str(application.pk), actor=None).exists()
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"aa_officer", "audit_staff"}
    assert not application.unrouted


def test_deadline_follows_the_policy(cast: Cast) -> None:
    Policy.objects.update_or_create(institution=cast.district, defaults={"application_days": 7})
    application, _ = submit(cast.district)
    deadline = services.deadline_of(application)
    assert deadline is not None
    assert deadline.working_days == 7


def test_unknown_unit_name_is_kept_but_not_matched(cast: Cast) -> None:
    application, _ = submit(cast.district, unit_name="없는과")
    assert (application.unit, application.unit_name) == (None, "없는과")
    other, _ = submit(cast.district, unit_name="감사담당관")
    assert other.unit == cast.audit_unit  # not the other institution's unit of the same name


def test_no_handler_flags_to_admins(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from institutions.models import RoleAssignment

    RoleAssignment.objects.filter(institution=cast.other, role="aa_officer").delete()
    with django_capture_on_commit_callbacks(execute=True):
        application, _code = submit(cast.other)
    application.refresh_from_db()
    assert application.unrouted
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["admin_b"]


def test_double_submission_makes_one_application(cast: Cast) -> None:
    token = services.new_form_token()
    first, code = submit(cast.district, form_token=token)
    again, code_again = services.submit_application(
        form_token=token,
        institution=cast.district,
        refused_request="다른 내용",
        refusal_reason="x",
        request="x",
        applicant_name="x",
        applicant_phone="010",
    )
    assert (again.pk, code_again) == (first.pk, code)
    services.forget_receipt(token)
    third, none = services.submit_application(
        form_token=token,
        institution=cast.district,
        refused_request="x",
        refusal_reason="x",
        request="x",
        applicant_name="x",
        applicant_phone="010",
    )
    assert third.pk == first.pk
    assert none is None
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"refused_request": "  "}, "refused_request"),
        ({"refusal_reason": ""}, "refusal_reason"),
        ({"request": "가" * 10_001}, "request"),
        ({"applicant_name": " "}, "applicant_name"),
        ({"applicant_email": "", "applicant_phone": ""}, "applicant_email"),
        ({"applicant_email": "not-an-address"}, "applicant_email"),
        ({"applicant_phone": "1" * 31}, "applicant_phone"),
        ({"law": "법" * 301}, "law"),
        ({"unit_name": "과" * 201}, "unit_name"),
        ({"form_token": "forged"}, None),
    ],
)
def test_submit_refusals(cast: Cast, kwargs: dict, field: str | None) -> None:  # type: ignore[type-arg]
    with pytest.raises(DomainError) as exc:
        submit(cast.district, **kwargs)
    assert exc.value.field == field
    assert Application.objects.count() == 0


def test_inactive_institution_and_too_many_files_refused(cast: Cast) -> None:
    cast.other.is_active = False
    cast.other.save()
    with pytest.raises(DomainError) as exc:
        submit(cast.other)
    assert exc.value.field == "institution"
    uploads = [SimpleUploadedFile(f"{i}.txt", b"x", content_type="text/plain") for i in range(6)]
    with pytest.raises(DomainError) as exc:
        submit(cast.district, uploads=uploads)
    assert exc.value.field == "files"
    exe = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    with pytest.raises(DomainError):
        submit(cast.district, uploads=[exe])
    assert Application.objects.count() == 0


def test_files_are_attached_without_an_uploader(cast: Cast) -> None:
    from core.files import attachments_for

    upload = SimpleUploadedFile("refusal.txt", "거부 통지".encode(), content_type="text/plain")
    application, _ = submit(cast.district, uploads=[upload])
    assert attachments_for(application).get().uploaded_by is None


def test_transition_table() -> None:
    expected = {
        ("received", "start", "handler"),
        ("reviewing", "refer_consultation", "handler"),
        ("reviewing", "refer_committee", "handler"),
        ("reviewing", "answer", "handler"),
        ("at_consultation", "resume", "handler"),
        ("at_committee", "resume", "handler"),
        ("at_committee", "committee_advised", "committee"),
    }
    assert {(s, a, r) for s, a, r, ok in APPLICATION.table() if ok} == expected


def test_full_flow_with_consultation_extension_and_answer(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    application, _ = submit(cast.district)
    officer = actor(cast, "aa_officer")
    with django_capture_on_commit_callbacks(execute=True):
        application = services.start(actor=officer, application=application)
    assert (application.status, application.handler) == (S.REVIEWING, cast.aa_officer)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["applicant@example.com"]
    assert "경사로" not in mail.outbox[0].body
    consultation = under_review(cast)
    application = services.refer_consultation(actor=officer, application=application, consultation=consultation)
    assert (application.status, application.consultation) == (S.AT_CONSULTATION, consultation)
    services.extend(actor=officer, application=application, working_days=5, reason="사전컨설팅 의견 대기")
    assert services.extension_notice(application)[1] == "사전컨설팅 의견 대기"
    with pytest.raises(DomainError):
        services.answer(actor=officer, application=application, decision="accepted", answer="x")
    application = services.resume(actor=officer, application=application)
    with pytest.raises(DomainError) as exc:
        services.answer(actor=officer, application=application, decision="bogus", answer="x")
    assert exc.value.field == "decision"
    with pytest.raises(DomainError) as exc:
        services.answer(actor=officer, application=application, decision="accepted", answer=" ")
    assert exc.value.field == "answer"
    application = services.answer(
        actor=officer, application=application, decision="accepted", answer="점용허가 없이 두도록 안내했습니다."
    )
    assert application.status == S.ANSWERED
    assert application.answered_by == cast.aa_officer
    deadline = services.deadline_of(application)
    assert deadline is not None
    assert deadline.closed_at is not None
    with pytest.raises(DomainError):
        services.extend(actor=officer, application=application, working_days=1, reason="x")


def test_consultation_must_be_the_institutions_and_submitted(cast: Cast) -> None:
    application = reviewing(cast)
    officer = actor(cast, "aa_officer")
    with pytest.raises(DomainError) as exc:
        services.refer_consultation(actor=officer, application=application, consultation=draft(cast))
    assert exc.value.field == "consultation"
    from consultations.models import Consultation

    foreign = submitted(cast)
    Consultation.objects.filter(pk=foreign.pk).update(institution=cast.other)
    foreign.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.refer_consultation(actor=officer, application=application, consultation=foreign)
    assert exc.value.field == "consultation"
    application.refresh_from_db()
    assert application.status == S.REVIEWING
    assert application.consultation is None


@pytest.mark.parametrize("name", ["official", "admin", "aa_officer_b", "head", "secretary"])
def test_wrong_role_or_institution_refused(cast: Cast, name: str) -> None:
    application, _ = submit(cast.district)
    who = actor(cast, name)
    with pytest.raises(DomainError):
        services.start(actor=who, application=application)
    with pytest.raises(DomainError):
        services.extend(actor=who, application=application, working_days=1, reason="x")
    started = services.start(actor=actor(cast, "audit_staff"), application=application)
    with pytest.raises(DomainError):
        services.refer_committee(actor=who, application=started)
    with pytest.raises(DomainError):
        services.answer(actor=who, application=started, decision="accepted", answer="x")
    assert not visible_applications(who).exists()


def test_wrong_state_refused(cast: Cast) -> None:
    application, _ = submit(cast.district)
    officer = actor(cast, "aa_officer")
    with pytest.raises(DomainError):
        services.answer(actor=officer, application=application, decision="accepted", answer="x")
    with pytest.raises(DomainError):
        services.resume(actor=officer, application=application)
    with pytest.raises(DomainError):
        services.refer_committee(actor=officer, application=application)


def test_refer_committee_tells_the_secretary(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    application = reviewing(cast)
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        application = services.refer_committee(actor=actor(cast, "aa_officer"), application=application)
    assert application.status == S.AT_COMMITTEE
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["secretary"]
    application = services.resume(actor=actor(cast, "aa_officer"), application=application)
    assert application.status == S.REVIEWING
