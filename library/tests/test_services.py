"""The library's services: each happy path with its audit entry, each refusal (bad input,
wrong state, wrong role, another institution), pictures, and the public view counter."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.errors import DomainError
from core.models import Attachment, AuditEntry, Notification
from core.tests import filefactory as ff
from library import services
from library.models import BestPractice
from library.tests.factories import actor, in_review, published, write
from tests.cast import Cast
from tests.factories import PersonFactory, WorkItemFactory

S = BestPractice.Status


def entries(case: BestPractice) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type="library.bestpractice", target_id=str(case.pk))
        .order_by("seq")
        .values_list("action", flat=True)
    )


def png(name: str = "현장.png") -> SimpleUploadedFile:
    return ff.upload(name, ff.image("PNG"), "image/png")


# --- Writing --------------------------------------------------------------------------


def test_an_official_writes_a_draft_with_officials_and_register_entry(cast: Cast) -> None:
    item = WorkItemFactory(institution=cast.district, unit=cast.building)
    case = write(cast, officials=[cast.official.person, cast.official.person], work_item=item, beneficiaries=" 주민  ")
    assert case.status == S.DRAFT
    assert case.author == cast.official
    assert case.institution == cast.district
    assert case.work_item == item
    assert case.beneficiaries == "주민"
    assert list(case.officials.all()) == [cast.official.person]
    assert "주차장 공유 사업" in case.search_text
    assert "학교 주차장" in case.search_text
    assert entries(case) == ["library.created"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "가" * 201}, "title"),
        ({"policy_field": "nonsense"}, "policy_field"),
        ({"year": 1999}, "year"),
        ({"year": 2999}, "year"),
        ({"problem": "가" * 20_001}, "problem"),
        ({"beneficiaries": "가" * 301}, "beneficiaries"),
    ],
)
def test_bad_input_is_refused_by_field(cast: Cast, values: dict[str, object], field: str) -> None:
    with pytest.raises(DomainError) as error:
        write(cast, **values)
    assert error.value.field == field
    assert not BestPractice.objects.exists()


def test_another_institutions_unit_person_or_work_item_is_refused(cast: Cast) -> None:
    with pytest.raises(DomainError) as error:
        write(cast, unit=cast.other_unit)
    assert error.value.field == "unit"
    stranger = PersonFactory(institution=cast.other, unit=cast.other_unit)
    with pytest.raises(DomainError) as error:
        write(cast, officials=[stranger])
    assert error.value.field == "officials"
    item = WorkItemFactory(institution=cast.other, unit=cast.other_unit)
    with pytest.raises(DomainError) as error:
        write(cast, work_item=item)
    assert error.value.field == "work_item"


@pytest.mark.parametrize("username", ["hr_officer", "head", "admin", "supervisor"])
def test_only_officials_write(cast: Cast, username: str) -> None:
    user = cast.users[username]
    if username == "hr_officer":
        # the HR officer is an official too: allowed
        assert write(cast, user=user).author == user
        return
    with pytest.raises(DomainError):
        write(cast, user=user, unit=cast.building)


def test_the_author_edits_a_draft_and_the_change_is_audited(cast: Cast) -> None:
    case = write(cast)
    services.case_update(
        actor=actor(cast.official),
        case=case,
        unit=cast.building,
        title="주차장 공유 사업(수정)",
        policy_field=BestPractice.PolicyField.URBAN,
        year=2024,
        problem=case.problem,
        action=case.action,
        result=case.result,
        officials=[cast.official2.person],
    )
    case.refresh_from_db()
    assert case.title == "주차장 공유 사업(수정)"
    assert case.year == 2024
    assert "(수정)" in case.search_text
    assert entries(case) == ["library.created", "library.updated"]
    change = AuditEntry.objects.get(action="library.updated").changes
    assert change["year"] == [2025, 2024]
    assert "officials" in change


@pytest.mark.parametrize("username", ["official2", "aa_officer", "aa_officer_b"])
def test_nobody_but_the_author_edits(cast: Cast, username: str) -> None:
    case = write(cast)
    with pytest.raises(DomainError):
        services.case_update(
            actor=actor(cast.users[username]),
            case=case,
            unit=cast.building,
            title="x",
            policy_field="other",
            year=2025,
        )


def test_a_case_in_review_cannot_be_edited(cast: Cast) -> None:
    case = in_review(cast)
    with pytest.raises(DomainError, match="고칠 수 없습니다"):
        services.case_update(
            actor=actor(cast.official), case=case, unit=cast.building, title="x", policy_field="other", year=2025
        )


# --- Review ---------------------------------------------------------------------------


def test_submit_tells_the_reviewers_and_publish_tells_the_author(cast: Cast) -> None:
    case = in_review(cast)
    assert case.status == S.IN_REVIEW
    assert case.submitted_at is not None
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"aa_officer", "hr_officer"}
    Notification.objects.all().delete()
    services.case_publish(actor=actor(cast.hr_officer), case=case)
    case.refresh_from_db()
    assert case.status == S.PUBLISHED
    assert case.published_at is not None
    assert case.reviewer == cast.hr_officer
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["official"]
    assert entries(case) == ["library.created", "library.submit", "library.publish"]


def test_submit_needs_problem_action_and_result(cast: Cast) -> None:
    case = write(cast, result="  ")
    with pytest.raises(DomainError, match="성과를 입력해"):
        services.case_submit(actor=actor(cast.official), case=case)
    case.refresh_from_db()
    assert case.status == S.DRAFT


def test_return_needs_a_reason_which_the_author_sees(cast: Cast) -> None:
    case = in_review(cast)
    reviewer = actor(cast.aa_officer)
    with pytest.raises(DomainError) as error:
        services.case_return(actor=reviewer, case=case, reason="  ")
    assert error.value.field == "reason"
    services.case_return(actor=reviewer, case=case, reason="성과를 수치로 적어 주십시오.")
    case.refresh_from_db()
    assert case.status == S.DRAFT
    assert case.return_reason == "성과를 수치로 적어 주십시오."
    entry = AuditEntry.objects.get(action="library.return")
    assert entry.reason == "성과를 수치로 적어 주십시오."
    # the author edits and sends it again: the reason is cleared
    services.case_submit(actor=actor(cast.official), case=case)
    case.refresh_from_db()
    assert case.return_reason == ""


def test_unpublish_takes_the_case_off_the_portal_with_a_reason(cast: Cast) -> None:
    case = published(cast)
    with pytest.raises(DomainError):
        services.case_unpublish(actor=actor(cast.aa_officer), case=case, reason="")
    services.case_unpublish(actor=actor(cast.aa_officer), case=case, reason="개인정보가 포함되어 있습니다.")
    case.refresh_from_db()
    assert case.status == S.DRAFT
    assert case.published_at is None
    assert case.return_reason == "개인정보가 포함되어 있습니다."
    assert entries(case)[-1] == "library.unpublish"


def test_the_author_withdraws_from_review(cast: Cast) -> None:
    case = in_review(cast)
    services.case_withdraw(actor=actor(cast.official), case=case)
    assert case.status == S.DRAFT


@pytest.mark.parametrize("username", ["official", "official2", "audit_staff", "dept_head", "aa_officer_b", "head"])
def test_only_a_reviewer_of_the_institution_publishes(cast: Cast, username: str) -> None:
    case = in_review(cast)
    with pytest.raises(DomainError):
        services.case_publish(actor=actor(cast.users[username]), case=case)
    case.refresh_from_db()
    assert case.status == S.IN_REVIEW


def test_a_reviewer_cannot_publish_their_own_case(cast: Cast) -> None:
    case = in_review(cast, user=cast.aa_officer, unit=cast.audit_unit)
    with pytest.raises(DomainError):
        services.case_publish(actor=actor(cast.aa_officer), case=case)
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"hr_officer"}


def test_wrong_state_is_refused(cast: Cast) -> None:
    case = write(cast)
    with pytest.raises(DomainError, match="현재 상태"):
        services.case_publish(actor=actor(cast.aa_officer), case=case)
    with pytest.raises(DomainError, match="현재 상태"):
        services.case_unpublish(actor=actor(cast.aa_officer), case=case, reason="x")


# --- Pictures -------------------------------------------------------------------------


def test_the_author_adds_and_removes_a_picture(cast: Cast) -> None:
    case = write(cast)
    image = services.case_add_image(actor=actor(cast.official), case=case, upload=png())
    assert image.purpose == services.PURPOSE_IMAGE
    assert image.clean_file
    assert services.images_of(case) == [image]
    services.case_remove_image(actor=actor(cast.official), case=case, attachment=image)
    assert not Attachment.objects.exists()
    assert entries(case) == ["library.created", "attachment.add", "library.image_removed"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("문서.pdf", ff.pdf()),
        ("그림.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("사진.png", b"MZ\x90\x00 this is an executable"),
    ],
)
def test_only_pictures_are_accepted(cast: Cast, name: str, data: bytes) -> None:
    case = write(cast)
    with pytest.raises(DomainError) as error:
        services.case_add_image(actor=actor(cast.official), case=case, upload=ff.upload(name, data))
    assert error.value.field == "file"
    assert not Attachment.objects.exists()


def test_pictures_only_on_a_draft_by_its_author(cast: Cast) -> None:
    case = write(cast)
    with pytest.raises(DomainError):
        services.case_add_image(actor=actor(cast.official2), case=case, upload=png())
    services.case_submit(actor=actor(cast.official), case=case)
    with pytest.raises(DomainError):
        services.case_add_image(actor=actor(cast.official), case=case, upload=png())


def test_at_most_ten_pictures(cast: Cast, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "MAX_IMAGES", 2)
    case = write(cast)
    for _ in range(2):
        services.case_add_image(actor=actor(cast.official), case=case, upload=png())
    with pytest.raises(DomainError, match="2장까지"):
        services.case_add_image(actor=actor(cast.official), case=case, upload=png())


# --- Views ----------------------------------------------------------------------------


def test_a_reading_is_counted_once_a_day_per_visitor(cast: Cast) -> None:
    case = published(cast)
    day = datetime.date(2026, 6, 15)
    assert services.record_view(case=case, visitor="a", on=day)
    assert not services.record_view(case=case, visitor="a", on=day)
    assert services.record_view(case=case, visitor="b", on=day)
    assert services.record_view(case=case, visitor="a", on=day + datetime.timedelta(days=1))
    case.refresh_from_db()
    assert case.view_count == 3
    # nothing about the readers is written anywhere in the database
    assert entries(case) == ["library.created", "library.submit", "library.publish"]


def test_a_draft_is_not_counted(cast: Cast) -> None:
    case = write(cast)
    services.record_view(case=case, visitor="a")
    case.refresh_from_db()
    assert case.view_count == 0
