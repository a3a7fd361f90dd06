"""Starting a lesson, the anonymisation check, the review with four eyes, withdrawal."""

from __future__ import annotations

from typing import Any

import pytest
from django.db.models import Q

from core.access import actor_for
from core.errors import DomainError
from core.models import AuditEntry
from lessons import services
from lessons.anonymity import Term, contains, identifying_terms, normalise
from lessons.models import TEXT_FIELDS, Lesson
from lessons.tests.factories import CLEAN, disciplinary_report, in_review, published, start, write
from reports.models import Report, ReportTransfer
from tests.cast import Cast
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(cast: Cast) -> Report:
    culprit = PersonFactory(
        institution=cast.district,
        unit=cast.building,
        name="홍길동",
        employee_number="E-7788",
        email="hong@example.go.kr",
    )
    return disciplinary_report(
        cast.district,
        cast.aa_officer,
        [culprit],
        unit=cast.planning,
        anonymous=False,
        reporter_name="김신고",
        reporter_email="reporter@example.com",
        reporter_phone="010-1234-5678",
        place="솔빛시장 정문",
    )


@pytest.fixture
def transferred(cast: Cast, report: Report) -> Report:
    """The report as if it had come from the other district under its number there."""
    ReportTransfer.objects.create(
        report=report,
        number="DAON-2026-0042",
        from_institution=cast.other,
        to_institution=cast.district,
        reason="관할 이송",
    )
    return report


def test_identifying_terms_hold_every_name_of_the_case(cast: Cast, report: Report) -> None:
    terms = {t.plain for t in identifying_terms(report)}
    for expected in [
        "홍길동",
        "e-7788",
        "hong@example.go.kr",
        "건축과",
        "도시계획과",
        "김신고",
        "reporter@example.com",
        "010-1234-5678",
        "aa_officer",
        "솔빛시장 정문",
        report.number.casefold(),
    ]:
        assert expected in terms, expected


def test_identifying_terms_hold_the_transfers_number_and_other_institution(cast: Cast, transferred: Report) -> None:
    terms = {t.plain for t in identifying_terms(transferred)}
    assert "daon-2026-0042" in terms
    assert cast.other.name in terms
    assert cast.district.name not in terms  # the lesson's own institution is no secret


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("what_happened", "솔빛시장 정문에서 있었던 일입니다."),
        ("what_happened", "솔빛시장정문 노점 단속"),
        ("measures", "DAON-2026-0042 건 참고"),
        ("what_went_wrong", "다온구에서 이송된 신고입니다."),
        ("what_happened", "담당자 홍\u200b길동이 서류를 받지 않았습니다."),
        ("title", "김\u200d신\ufeff고 씨의 신고"),
        ("lessons_learned", "직원번호 E-\u20607788 참고"),
    ],
)
def test_submit_refuses_places_transfers_and_hidden_characters(
    cast: Cast, transferred: Report, field: str, text: str
) -> None:
    lesson = write(start(transferred, cast.audit_staff), cast.audit_staff, **{field: text})
    with pytest.raises(DomainError) as refused:
        services.lesson_submit(actor=actor_for(cast.audit_staff), lesson=lesson)
    assert refused.value.field == field


def test_invisible_characters_are_dropped_before_matching() -> None:
    assert normalise("홍\u200b길\u00ad동") == "홍길동"
    assert contains("담당 홍\u200b길동", identifying_terms_of("홍길동"))


def identifying_terms_of(*names: str) -> list[Term]:
    return [Term(n, n, "") for n in names]


def test_a_new_draft_holds_no_personal_data(cast: Cast, report: Report) -> None:
    lesson = start(report, cast.audit_staff)
    assert lesson.status == Lesson.Status.DRAFT
    assert lesson.kind == report.kind
    assert lesson.year == 2026
    assert lesson.number.startswith("소극행정사례-2026-")
    assert services.leaking_fields(lesson) == []
    assert lesson.author == cast.audit_staff


@pytest.mark.parametrize(
    ("field", "text"),
    [
        ("what_happened", "담당자 홍길동이 서류를 받지 않았습니다."),
        ("what_happened", "담당자 홍 길 동이 서류를 받지 않았습니다."),
        ("what_went_wrong", "건축과에서 일어난 일입니다."),
        ("measures", "도시계획과 기관경고"),
        ("lessons_learned", "직원번호 e-7788 참고"),
        ("lessons_learned", "신고인 연락처 01012345678"),
        ("what_happened", "REPORTER@EXAMPLE.COM 으로 알림"),
        ("title", "김신고 씨의 신고"),
        ("what_happened", "처리자 AA_Officer"),
    ],
)
def test_submit_refuses_a_text_that_identifies_the_case(cast: Cast, report: Report, field: str, text: str) -> None:
    lesson = write(start(report, cast.audit_staff), cast.audit_staff, **{field: text})
    with pytest.raises(DomainError) as refused:
        services.lesson_submit(actor=actor_for(cast.audit_staff), lesson=lesson)
    assert refused.value.field == field
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.DRAFT
    message = str(refused.value.message).casefold()
    for term in identifying_terms(report):
        assert term.plain not in message


def test_the_report_number_is_refused(cast: Cast, report: Report) -> None:
    lesson = write(start(report, cast.audit_staff), cast.audit_staff, what_happened=f"{report.number} 사건")
    with pytest.raises(DomainError):
        services.lesson_submit(actor=actor_for(cast.audit_staff), lesson=lesson)


def test_a_clean_text_passes_and_is_published(cast: Cast, report: Report) -> None:
    lesson = published(report, cast.audit_staff, cast.aa_officer)
    assert lesson.status == Lesson.Status.PUBLISHED
    assert lesson.reviewer == cast.aa_officer
    assert lesson.anonymisation_confirmed_by == cast.aa_officer
    assert lesson.anonymisation_confirmed_at is not None
    assert lesson.published_at is not None
    texts = " ".join(getattr(lesson, f) for f in TEXT_FIELDS).casefold()
    assert all(t.plain not in texts for t in identifying_terms(report))


def test_publish_needs_the_confirmation(cast: Cast, report: Report) -> None:
    lesson = in_review(report, cast.audit_staff)
    with pytest.raises(DomainError) as refused:
        services.lesson_publish(actor=actor_for(cast.aa_officer), lesson=lesson, confirmed=False)
    assert refused.value.field == "confirmed"
    lesson.refresh_from_db()
    assert lesson.status == Lesson.Status.IN_REVIEW


def test_publish_checks_the_text_again(cast: Cast, report: Report) -> None:
    lesson = in_review(report, cast.audit_staff)
    Lesson.objects.filter(pk=lesson.pk).update(measures="홍길동 경징계")
    lesson.refresh_from_db()
    with pytest.raises(DomainError) as refused:
        services.lesson_publish(actor=actor_for(cast.aa_officer), lesson=lesson, confirmed=True)
    assert refused.value.field == "measures"


def test_the_writer_cannot_publish_their_own_lesson(cast: Cast, report: Report) -> None:
    lesson = in_review(report, cast.aa_officer)
    with pytest.raises(DomainError):
        services.lesson_publish(actor=actor_for(cast.aa_officer), lesson=lesson, confirmed=True)
    staff = in_review(disciplinary_report(cast.district, cast.aa_officer, [cast.official.person]), cast.audit_staff)
    with pytest.raises(DomainError):
        services.lesson_publish(actor=actor_for(cast.audit_staff), lesson=staff, confirmed=True)


def test_an_officer_who_changed_the_text_cannot_publish(cast: Cast, report: Report) -> None:
    lesson = write(start(report, cast.audit_staff), cast.audit_staff)
    write(lesson, cast.aa_officer, lessons_learned="접수 대장을 매일 확인합니다.")
    services.lesson_submit(actor=actor_for(cast.audit_staff), lesson=lesson)
    with pytest.raises(DomainError):
        services.lesson_publish(actor=actor_for(cast.aa_officer), lesson=lesson, confirmed=True)


@pytest.mark.parametrize("name", ["official", "hr_officer", "head", "aa_officer_b"])
def test_others_cannot_start_or_review(cast: Cast, report: Report, name: str) -> None:
    with pytest.raises(DomainError):
        start(report, cast.users[name])
    lesson = in_review(report, cast.audit_staff)
    actor = actor_for(cast.users[name])
    with pytest.raises(DomainError):
        services.lesson_publish(actor=actor, lesson=lesson, confirmed=True)
    with pytest.raises(DomainError):
        services.lesson_update(actor=actor, lesson=lesson, **CLEAN)


def test_only_closed_disciplinary_reports_and_one_lesson_each(cast: Cast, report: Report) -> None:
    warning = disciplinary_report(cast.district, cast.aa_officer, [cast.official.person], outcome="warning")
    open_report = disciplinary_report(cast.district, cast.aa_officer, [], close=False)
    for other in (warning, open_report):
        with pytest.raises(DomainError):
            start(other, cast.audit_staff)
    start(report, cast.audit_staff)
    with pytest.raises(DomainError):
        start(report, cast.aa_officer)
    assert Lesson.objects.count() == 1


def test_return_then_edit_and_submit_again(cast: Cast, report: Report) -> None:
    lesson = in_review(report, cast.audit_staff)
    with pytest.raises(DomainError):
        services.lesson_return(actor=actor_for(cast.aa_officer), lesson=lesson, reason=" ")
    services.lesson_return(actor=actor_for(cast.aa_officer), lesson=lesson, reason="교훈을 더 구체적으로")
    assert lesson.status == Lesson.Status.RETURNED
    assert lesson.return_reason == "교훈을 더 구체적으로"
    write(lesson, cast.audit_staff, lessons_learned="접수 즉시 전산에 등록합니다.")
    services.lesson_submit(actor=actor_for(cast.audit_staff), lesson=lesson)
    assert lesson.status == Lesson.Status.IN_REVIEW
    assert lesson.return_reason == ""


def test_in_review_and_published_lessons_cannot_be_edited(cast: Cast, report: Report) -> None:
    lesson = in_review(report, cast.audit_staff)
    with pytest.raises(DomainError):
        write(lesson, cast.audit_staff)
    services.lesson_publish(actor=actor_for(cast.aa_officer), lesson=lesson, confirmed=True)
    with pytest.raises(DomainError):
        write(lesson, cast.audit_staff)


def test_withdraw_with_a_reason_then_revise(cast: Cast, report: Report) -> None:
    lesson = published(report, cast.audit_staff, cast.aa_officer)
    with pytest.raises(DomainError):
        services.lesson_withdraw(actor=actor_for(cast.audit_staff), lesson=lesson, reason="")
    with pytest.raises(DomainError):
        services.lesson_withdraw(actor=actor_for(cast.official), lesson=lesson, reason="이유")
    services.lesson_withdraw(actor=actor_for(cast.audit_staff), lesson=lesson, reason="식별 가능성 재검토")
    assert lesson.status == Lesson.Status.WITHDRAWN
    assert lesson.withdraw_reason == "식별 가능성 재검토"
    services.lesson_revise(actor=actor_for(cast.audit_staff), lesson=lesson)
    assert lesson.status == Lesson.Status.DRAFT
    assert lesson.anonymisation_confirmed_by is None


def test_huge_texts_and_bad_values_are_refused(cast: Cast, report: Report) -> None:
    lesson = start(report, cast.audit_staff)
    bad: list[dict[str, Any]] = [
        {"what_happened": "가" * (services.MAX_TEXT + 1)},
        {"title": "가" * 201},
        {"title": "   "},
        {"kind": "nope"},
        {"year": 1999},
        {"year": 2027},
    ]
    for values in bad:
        with pytest.raises(DomainError) as refused:
            write(lesson, cast.audit_staff, **values)
        assert refused.value.field == next(iter(values))


def test_the_log_never_holds_the_texts(cast: Cast, report: Report) -> None:
    lesson = write(start(report, cast.audit_staff), cast.audit_staff, what_happened="담당자 홍길동의 일")
    with pytest.raises(DomainError):
        services.lesson_submit(actor=actor_for(cast.audit_staff), lesson=lesson)
    entries = AuditEntry.objects.filter(Q(target_type="lessons.lesson"))
    assert entries.filter(action="lesson.updated").exists()
    assert "홍길동" not in " ".join(str(e.changes) + e.reason for e in entries)


def test_reviewers_are_told_on_submit(cast: Cast, report: Report, django_capture_on_commit_callbacks: Any) -> None:
    from core.models import Notification

    with django_capture_on_commit_callbacks(execute=True):
        in_review(report, cast.audit_staff)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"aa_officer"}
