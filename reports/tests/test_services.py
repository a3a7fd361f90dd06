from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from core.access import actor_for
from core.errors import DomainError
from core.models import AuditEntry, Notification
from reports import receipts, services
from reports.models import Report, ReportTransfer
from reports.selectors import visible_reports, visible_transfers
from reports.tests.factories import submit
from reports.workflow import REPORT
from tests.cast import Cast

pytestmark = pytest.mark.django_db
S = Report.Status


def actor(cast: Cast, name: str):  # type: ignore[no-untyped-def]
    return actor_for(cast.users[name])


def test_submit_stores_only_a_hash_numbers_opens_deadline_and_notifies(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        report, code = submit(cast.district)
    assert report.receipt_hash == receipts.digest(code)
    assert code not in str(Report.objects.filter(pk=report.pk).values().get())
    assert report.number == "소극행정신고-2026-0001"
    deadline = services.deadline_of(report)
    assert deadline is not None
    assert deadline.working_days == 14
    assert AuditEntry.objects.filter(action="report.submitted", target_id=str(report.pk), actor=None).exists()
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"aa_officer", "audit_staff"}
    assert not report.unrouted


def test_no_audit_holder_flags_to_admins(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from institutions.models import RoleAssignment

    RoleAssignment.objects.filter(institution=cast.other, role="aa_officer").delete()
    with django_capture_on_commit_callbacks(execute=True):
        report, _code = submit(cast.other)
    report.refresh_from_db()
    assert report.unrouted
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["admin_b"]


def test_double_submission_makes_one_report(cast: Cast) -> None:
    token = services.new_form_token()
    first, code = submit(cast.district, form_token=token)
    again, code_again = services.submit_report(
        form_token=token, institution=cast.district, kind="neglect", what="다른 내용"
    )
    assert again.pk == first.pk
    assert code_again == code
    services.forget_receipt(token)
    third, none = services.submit_report(form_token=token, institution=cast.district, kind="neglect", what="x")
    assert third.pk == first.pk
    assert none is None
    assert Report.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"what": "  "}, "what"),
        ({"what": "가" * 10_001}, "what"),
        ({"kind": "bogus"}, "kind"),
        ({"anonymous": False}, "reporter_name"),
        ({"anonymous": False, "reporter_name": "홍길동"}, "reporter_email"),
        ({"form_token": "forged"}, None),
    ],
)
def test_submit_refusals(cast: Cast, kwargs: dict, field: str | None) -> None:  # type: ignore[type-arg]
    values = {"form_token": services.new_form_token(), "institution": cast.district, "kind": "neglect", "what": "x"}
    values.update(kwargs)
    with pytest.raises(DomainError) as exc:
        services.submit_report(**values)
    assert exc.value.field == field
    assert Report.objects.count() == 0


def test_unit_of_another_institution_refused(cast: Cast) -> None:
    with pytest.raises(DomainError):
        submit(cast.district, unit=cast.other_unit)


def test_anonymous_drops_typed_identity(cast: Cast) -> None:
    report, _ = submit(cast.district, anonymous=True, reporter_name="홍길동", reporter_email="a@example.com")
    assert report.reporter_name == ""
    assert report.reporter_email == ""


def test_disguised_file_refused_and_nothing_created(cast: Cast) -> None:
    exe = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    with pytest.raises(DomainError):
        submit(cast.district, uploads=[exe])
    svg = SimpleUploadedFile("a.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    with pytest.raises(DomainError):
        submit(cast.district, uploads=[svg])
    assert Report.objects.count() == 0


def test_transition_table() -> None:
    expected = {
        ("received", "investigate", "audit"),
        ("received", "triage_not_passive", "audit"),
        ("received", "transfer", "audit"),
        ("investigating", "transfer", "audit"),
        ("investigating", "close", "audit"),
        ("closed", "request_review", "reporter"),
        ("not_passive", "request_review", "reporter"),
        ("review_requested", "reopen", "audit"),
    }
    allowed = {(s, a, r) for s, a, r, ok in REPORT.table() if ok}
    assert allowed == expected


def test_full_flow_with_review_by_a_different_handler(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    report, _ = submit(cast.district, anonymous=False, reporter_name="김신고", reporter_email="rep@example.com")
    officer, staff = actor(cast, "aa_officer"), actor(cast, "audit_staff")
    with django_capture_on_commit_callbacks(execute=True):
        report = services.investigate(actor=officer, report=report)
    assert report.status == S.INVESTIGATING
    assert report.handler == cast.aa_officer
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["rep@example.com"]
    assert "접수증" in mail.outbox[0].body
    services.add_note(actor=officer, report=report, body="내부 메모")
    services.send_message(actor=officer, report=report, body="자료를 보내 주십시오.")
    services.extend(actor=officer, report=report, working_days=5, reason="현장 조사 필요")
    assert services.extension_notice(report)[1] == "현장 조사 필요"
    with pytest.raises(DomainError) as exc:
        services.close(actor=officer, report=report, outcome="disciplinary", result_text="징계 요구함")
    assert exc.value.field == "officials"
    person = cast.official.person
    with pytest.raises(DomainError) as exc:
        services.close(actor=officer, report=report, outcome="disciplinary", result_text="x", officials=[person])
    assert exc.value.field == "disciplinary_demand"
    with pytest.raises(DomainError):
        services.close(
            actor=officer, report=report, outcome="warning", result_text="x", officials=[cast.official_b.person]
        )
    report = services.close(
        actor=officer,
        report=report,
        outcome="disciplinary",
        result_text="징계를 요구했습니다.",
        disciplinary_demand="경징계",
        officials=[person],
    )
    assert report.status == S.CLOSED
    assert list(report.officials.all()) == [person]
    assert services.deadline_of(report).closed_at is not None  # type: ignore[union-attr]
    report = services.request_review(report=report, reason="결과에 동의하지 않습니다.")
    assert report.status == S.REVIEW_REQUESTED
    with pytest.raises(DomainError) as exc:
        services.reopen(actor=staff, report=report, handler=cast.aa_officer)
    assert exc.value.field == "handler"
    report = services.reopen(actor=officer, report=report, handler=cast.audit_staff)
    assert report.status == S.INVESTIGATING
    assert report.handler == cast.audit_staff
    report = services.close(actor=staff, report=report, outcome="not_substantiated", result_text="다시 보니 사실 아님")
    assert report.officials.count() == 0
    with pytest.raises(DomainError, match="한 번만"):
        services.request_review(report=report, reason="또 요청")


def test_not_passive_reason_required_and_shown(cast: Cast) -> None:
    report, _ = submit(cast.district)
    officer = actor(cast, "aa_officer")
    with pytest.raises(DomainError):
        services.not_passive(actor=officer, report=report, reason=" ")
    report = services.not_passive(actor=officer, report=report, reason="법령에 따른 정당한 거부입니다.")
    assert report.status == S.NOT_PASSIVE
    assert report.result_text == "법령에 따른 정당한 거부입니다."


@pytest.mark.parametrize("name", ["official", "admin", "aa_officer_b", "head"])
def test_wrong_role_or_institution_refused(cast: Cast, name: str) -> None:
    report, _ = submit(cast.district)
    who = actor(cast, name)
    with pytest.raises(DomainError):
        services.investigate(actor=who, report=report)
    with pytest.raises(DomainError):
        services.add_note(actor=who, report=report, body="x")
    with pytest.raises(DomainError):
        services.send_message(actor=who, report=report, body="x")
    with pytest.raises(DomainError):
        services.extend(actor=who, report=report, working_days=1, reason="x")


def test_wrong_state_refused(cast: Cast) -> None:
    report, _ = submit(cast.district)
    officer = actor(cast, "aa_officer")
    with pytest.raises(DomainError):
        services.close(actor=officer, report=report, outcome="corrected", result_text="x", officials=[])
    with pytest.raises(DomainError):
        services.request_review(report=report, reason="아직 처리 중")
    with pytest.raises(DomainError):
        services.reopen(actor=officer, report=report, handler=cast.audit_staff)


def test_transfer_moves_report_with_history_and_first_institution_sees_only_record(cast: Cast) -> None:
    report, code = submit(cast.district)
    officer = actor(cast, "aa_officer")
    services.add_note(actor=officer, report=report, body="이송 전 메모")
    services.send_message(actor=officer, report=report, body="이송 예정입니다.")
    with pytest.raises(DomainError):
        services.transfer(actor=officer, report=report, to_institution=cast.district, reason="x")
    record = services.transfer(actor=officer, report=report, to_institution=cast.other, reason="다온구 소관입니다.")
    assert isinstance(record, ReportTransfer)
    report.refresh_from_db()
    assert report.institution == cast.other
    assert report.status == S.RECEIVED
    assert not visible_reports(officer).filter(pk=report.pk).exists()
    assert list(visible_transfers(officer)) == [record]
    receiver = actor(cast, "aa_officer_b")
    assert visible_reports(receiver).filter(pk=report.pk).exists()
    assert report.notes.count() == 1
    assert report.messages.count() == 1
    deadline = services.deadline_of(report)
    assert deadline is not None
    assert deadline.institution_id == cast.other.pk
    assert AuditEntry.objects.filter(action="report.transferred_in", institution_id=cast.other.pk).exists()
    # the first institution can no longer act on it
    with pytest.raises(DomainError):
        services.investigate(actor=officer, report=report)
    # the reporter still finds it with the same receipt
    assert services.find_by_digest(receipts.digest(code)) == report


def test_reporter_message_with_file_notifies_handler(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    report, _ = submit(cast.district)
    services.investigate(actor=actor(cast, "aa_officer"), report=report)
    Notification.objects.all().delete()
    upload = SimpleUploadedFile("note.txt", "추가 자료입니다.".encode(), content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        message = services.reporter_message(report=report, body="<script>alert(1)</script>", uploads=[upload])
    assert message.author is None
    assert message.direction == "from_reporter"
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["aa_officer"]
    from core.files import attachments_for

    assert attachments_for(message).get().uploaded_by is None


def test_public_actions_are_audited_as_the_public_not_the_system(cast: Cast) -> None:
    from django.utils import translation

    from core.audit import actor_display

    report, _ = submit(cast.district)
    entry = AuditEntry.objects.get(action="report.submitted", target_id=str(report.pk))
    assert (entry.actor, entry.actor_label) == (None, "public")
    with translation.override("ko"):
        assert actor_display(entry.actor_label) == "국민(계정 없음)"
        assert actor_display("system") == "시스템"
    assert actor_display("홍길동 (hong)") == "홍길동 (hong)"


def test_nul_characters_are_refused_not_a_database_error(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        submit(cast.district, what="a\x00b")
    assert error.value.field == "what"


def test_with_neither_audit_unit_nor_administrator_the_superusers_hear_of_it(  # type: ignore[no-untyped-def]
    cast: Cast, django_capture_on_commit_callbacks
) -> None:
    from accounts.models import User
    from institutions.models import RoleAssignment

    RoleAssignment.objects.filter(institution=cast.other, role__in=["aa_officer", "audit_staff", "admin"]).delete()
    root = User.objects.create_superuser(username="root_x", password="x" * 20)
    with django_capture_on_commit_callbacks(execute=True):
        report, _code = submit(cast.other)
    report.refresh_from_db()
    assert report.unrouted
    assert Notification.objects.filter(recipient=root).exists()


def test_the_report_keeps_a_copy_of_its_deadline_for_the_queue(cast: Cast) -> None:
    """core.deadlines mirrors the due date onto Report.due_on on open and on extension,
    so the queue orders through its own index (ADR 0025)."""
    from core import deadlines
    from reports.selectors import DEADLINE_KIND

    report, _ = submit(cast.district)
    deadline = deadlines.deadline_for(report, DEADLINE_KIND)
    assert deadline is not None
    report.refresh_from_db()
    assert report.due_on == deadline.due_on
    deadlines.deadline_extend(
        actor=actor_for(cast.users["aa_officer"]), deadline=deadline, working_days=5, reason="현장 조사"
    )
    deadline.refresh_from_db()
    report.refresh_from_db()
    assert report.due_on == deadline.due_on


def test_the_open_queue_index_covers_exactly_the_open_states() -> None:
    """The partial index of the queue's default view names the open states by value; it must
    follow reports.workflow.OPEN or the default view loses its index."""
    from reports.workflow import OPEN

    index = next(i for i in Report._meta.indexes if i.name == "report_queue_open_idx")
    assert index.condition is not None
    (lookup, values) = index.condition.children[0]  # type: ignore[misc]
    assert lookup == "status__in"
    assert set(values) == {str(s) for s in OPEN}
