from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from core.access import Actor, actor_for
from core.errors import DomainError
from core.files import attachments_for
from core.models import AuditEntry, Notification
from recommendations import selectors, services
from recommendations.models import Recommendation
from recommendations.tests.factories import submit
from recommendations.workflow import RECOMMENDATION
from reports import receipts
from tests.cast import Cast

pytestmark = pytest.mark.django_db
S = Recommendation.Status


def actor(cast: Cast, name: str) -> Actor:
    return actor_for(cast.users[name])


def test_transition_table() -> None:
    expected = {
        ("received", "start", "verifier"),
        ("verifying", "ask", "verifier"),
        ("awaiting_reply", "answer", "recommender"),
        ("verifying", "verify", "verifier"),
        ("received", "reject", "verifier"),
        ("verifying", "reject", "verifier"),
        ("awaiting_reply", "reject", "verifier"),
    }
    assert {(s, a, r) for s, a, r, ok in RECOMMENDATION.table() if ok} == expected


def test_submit_stores_hash_numbers_matches_unit_audits_and_notifies_verifiers(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        rec, code = submit(cast.district)
    assert rec.receipt_hash == receipts.digest(code)
    assert code not in str(Recommendation.objects.filter(pk=rec.pk).values().get())
    assert rec.number == "국민추천-2026-0001"
    assert rec.unit == cast.building
    assert rec.unit_name == "건축과"
    entry = AuditEntry.objects.get(action="recommendation.submitted", target_id=str(rec.pk))
    assert entry.actor is None
    assert "김추천" not in str(entry.changes)
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"aa_officer", "hr_officer"}
    assert not rec.unrouted
    assert services.find_by_digest(receipts.digest(code)) == rec


def test_unknown_unit_is_kept_as_typed(cast: Cast) -> None:
    rec, _ = submit(cast.district, unit_name="없는과")
    assert rec.unit is None
    assert rec.unit_name == "없는과"
    other, _ = submit(cast.district, unit_name="감사담당관")
    assert other.unit == cast.audit_unit  # the district's, never the other institution's


def test_no_verifier_flags_to_admins(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    from institutions.models import RoleAssignment

    RoleAssignment.objects.filter(institution=cast.other, role__in=selectors.VERIFIER_ROLES).delete()
    with django_capture_on_commit_callbacks(execute=True):
        rec, _ = submit(cast.other)
    rec.refresh_from_db()
    assert rec.unrouted
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["admin_b"]


def test_double_submission_makes_one_recommendation(cast: Cast) -> None:
    token = services.new_form_token()
    first, code = submit(cast.district, form_token=token)
    again, code_again = services.submit_recommendation(
        form_token=token,
        institution=cast.district,
        nominee_name="다른 사람",
        what="x",
        effect="y",
        recommender_name="z",
        recommender_phone="010",
    )
    assert again.pk == first.pk
    assert code_again == code
    services.forget_receipt(token)
    third, none = services.submit_recommendation(
        form_token=token, institution=cast.district, nominee_name="a", what="b", effect="c", recommender_name="d"
    )
    assert third.pk == first.pk
    assert none is None
    assert Recommendation.objects.count() == 1


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"recommender_name": "  "}, "recommender_name"),
        ({"recommender_email": "", "recommender_phone": ""}, "recommender_email"),
        ({"recommender_email": " ", "recommender_phone": " "}, "recommender_email"),
        ({"nominee_name": ""}, "nominee_name"),
        ({"nominee_name": "가" * 101}, "nominee_name"),
        ({"what": ""}, "what"),
        ({"what": "가" * 10_001}, "what"),
        ({"effect": "가" * 10_001}, "effect"),
        ({"unit_name": "가" * 201}, "unit_name"),
        ({"period": "가" * 101}, "period"),
        ({"recommender_phone": "1" * 31, "recommender_email": ""}, "recommender_phone"),
        ({"nominee_kind": "alien"}, "nominee_kind"),
        ({"form_token": "forged"}, None),
    ],
)
def test_submit_refusals(cast: Cast, kwargs: dict, field: str | None) -> None:  # type: ignore[type-arg]
    with pytest.raises(DomainError) as exc:
        submit(cast.district, **kwargs)
    assert exc.value.field == field
    assert Recommendation.objects.count() == 0


def test_inactive_institution_refused(cast: Cast) -> None:
    cast.other.is_active = False
    cast.other.save()
    with pytest.raises(DomainError) as exc:
        submit(cast.other)
    assert exc.value.field == "institution"


def test_phone_alone_is_a_contact(cast: Cast) -> None:
    rec, _ = submit(cast.district, recommender_email="", recommender_phone="010-1234-5678")
    assert rec.recommender_phone == "010-1234-5678"


def test_html_is_stored_as_typed_text(cast: Cast) -> None:
    script = "<script>alert(1)</script><b>굵게</b>"
    rec, _ = submit(cast.district, what=script, nominee_name="<i>이름</i>")
    assert rec.what == script
    assert rec.nominee_name == "<i>이름</i>"


def test_evidence_files_checked_and_counted(cast: Cast) -> None:
    exe = SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    with pytest.raises(DomainError):
        submit(cast.district, uploads=[exe])
    many = [SimpleUploadedFile(f"{i}.txt", b"evidence", content_type="text/plain") for i in range(6)]
    with pytest.raises(DomainError) as exc:
        submit(cast.district, uploads=many)
    assert exc.value.field == "files"
    assert Recommendation.objects.count() == 0
    rec, _ = submit(cast.district, uploads=[SimpleUploadedFile("a.txt", "증거".encode(), content_type="text/plain")])
    stored = attachments_for(rec, purpose=services.RECOMMENDATION_FILES).get()
    assert stored.uploaded_by is None


def test_question_answer_and_verify_person(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    rec, _ = submit(cast.district)
    officer = actor(cast, "aa_officer")
    with django_capture_on_commit_callbacks(execute=True):
        rec = services.start(actor=officer, rec=rec)
    assert rec.status == S.VERIFYING
    assert rec.handler == cast.aa_officer
    with django_capture_on_commit_callbacks(execute=True):
        question = services.ask(actor=officer, rec=rec, question="언제 있었던 일인가요?")
    assert question.direction == "to_recommender"
    rec.refresh_from_db()
    assert rec.status == S.AWAITING_REPLY
    assert [m.to for m in mail.outbox] == [["rec@example.com"], ["rec@example.com"]]
    assert "언제 있었던 일인가요" not in mail.outbox[-1].body  # content-free
    Notification.objects.all().delete()
    upload = SimpleUploadedFile("proof.txt", "증빙".encode(), content_type="text/plain")
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.answer(rec=rec, body="3월에 있었습니다.", uploads=[upload])
    assert answer.author is None
    assert attachments_for(answer).get().uploaded_by is None
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["aa_officer"]
    rec.refresh_from_db()
    assert rec.status == S.VERIFYING
    with pytest.raises(DomainError):
        services.answer(rec=rec, body="또 보냅니다")  # no question pending
    with pytest.raises(DomainError) as exc:
        services.verify(actor=officer, rec=rec, reason="사실 확인")
    assert exc.value.field == "person"
    with pytest.raises(DomainError) as exc:
        services.verify(actor=officer, rec=rec, reason="사실 확인", person=cast.official_b.person)
    assert exc.value.field == "person"
    rec = services.verify(actor=officer, rec=rec, reason="현장 기록으로 확인했습니다.", person=cast.official.person)
    assert rec.status == S.VERIFIED
    assert rec.person == cast.official.person
    assert rec.unit == cast.building
    assert rec.decided_by == cast.aa_officer
    assert rec.decision_reason == "현장 기록으로 확인했습니다."
    assert rec.retain_until is not None
    assert (rec.retain_until - rec.decided_at.date()).days == 1095  # type: ignore[union-attr]
    assert list(selectors.verified_candidates(cast.district.pk)) == [rec]
    assert list(selectors.queue(officer, status="verified")) == [rec]
    assert list(selectors.queue(officer)) == []


def test_verify_team_needs_a_unit_of_the_institution(cast: Cast) -> None:
    rec, _ = submit(cast.district, nominee_kind="team", nominee_name="건축과 인허가팀")
    hr = actor(cast, "hr_officer")
    rec = services.start(actor=hr, rec=rec)
    with pytest.raises(DomainError) as exc:
        services.verify(actor=hr, rec=rec, reason="확인", unit=cast.other_unit)
    assert exc.value.field == "unit"
    rec = services.verify(actor=hr, rec=rec, reason="확인", unit=cast.planning, person=cast.official.person)
    assert rec.unit == cast.planning
    assert rec.person is None


def test_reject_from_each_open_state_with_reason(cast: Cast) -> None:
    officer = actor(cast, "aa_officer")
    received, _ = submit(cast.district)
    with pytest.raises(DomainError):
        services.reject(actor=officer, rec=received, reason=" ")
    received = services.reject(actor=officer, rec=received, reason="친절에 대한 감사 인사입니다.")
    assert received.status == S.NOT_VERIFIED
    assert received.retain_until is not None
    waiting, _ = submit(cast.district)
    services.start(actor=officer, rec=waiting)
    services.ask(actor=officer, rec=waiting, question="자료가 있나요?")
    waiting = services.reject(actor=officer, rec=waiting, reason="답변이 없어 확인할 수 없습니다.")
    assert waiting.status == S.NOT_VERIFIED
    with pytest.raises(DomainError):
        services.reject(actor=officer, rec=waiting, reason="다시")
    with pytest.raises(DomainError):
        services.start(actor=officer, rec=waiting)


def test_wrong_state_refused(cast: Cast) -> None:
    officer = actor(cast, "aa_officer")
    rec, _ = submit(cast.district)
    with pytest.raises(DomainError):
        services.ask(actor=officer, rec=rec, question="아직 착수 전")
    with pytest.raises(DomainError):
        services.verify(actor=officer, rec=rec, reason="x", person=cast.official.person)
    with pytest.raises(DomainError):
        services.answer(rec=rec, body="질문이 없는데 답함")


@pytest.mark.parametrize("name", ["official", "admin", "audit_staff", "head", "aa_officer_b"])
def test_wrong_role_or_institution_refused(cast: Cast, name: str) -> None:
    rec, _ = submit(cast.district)
    who = actor(cast, name)
    with pytest.raises(DomainError):
        services.start(actor=who, rec=rec)
    with pytest.raises(DomainError):
        services.reject(actor=who, rec=rec, reason="x")
    services.start(actor=actor(cast, "aa_officer"), rec=rec)
    with pytest.raises(DomainError):
        services.ask(actor=who, rec=rec, question="x")
    with pytest.raises(DomainError):
        services.verify(actor=who, rec=rec, reason="x", person=cast.official.person)
    assert not selectors.visible_recommendations(who).exists()


def test_answer_without_handler_goes_to_the_verifiers(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    rec, _ = submit(cast.district)
    officer = actor(cast, "aa_officer")
    services.start(actor=officer, rec=rec)
    services.ask(actor=officer, rec=rec, question="자료가 있나요?")
    cast.aa_officer.is_active = False
    cast.aa_officer.save()
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(rec=rec, body="있습니다.")
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"hr_officer"}


def test_rounds_mark_nominated_and_record_outcome_shown_to_the_recommender(
    cast: Cast, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    officer = actor(cast, "aa_officer")
    rec, code = submit(cast.district)
    with pytest.raises(DomainError):
        services.mark_nominated(actor=officer, recommendation=rec, round_title="2026년 상반기")
    services.start(actor=officer, rec=rec)
    rec = services.verify(actor=officer, rec=rec, reason="확인", person=cast.official.person)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rec = services.mark_nominated(actor=officer, recommendation=rec, round_title="2026년 상반기")
    assert rec.status == S.VERIFIED
    assert rec.round_outcome == "nominated"
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        rec = services.record_round_outcome(recommendation=rec, selected=True, round_title="2026년 상반기")
    assert rec.round_outcome == "selected"
    assert len(mail.outbox) == 2
    actions = list(
        AuditEntry.objects.filter(target_id=str(rec.pk), action__startswith="recommendation.").values_list(
            "action", flat=True
        )
    )
    assert actions[-2:] == [services.NOMINATED_ACTION, services.ROUND_OUTCOME_ACTION]
    from django.test import Client
    from django.urls import reverse

    page = Client().post(reverse("portal:follow"), {"receipt": code}).content.decode()
    assert "우수공무원 선발(2026년 상반기): 우수공무원으로 선발됨" in page
