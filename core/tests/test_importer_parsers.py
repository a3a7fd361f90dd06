"""The cell parsers: each value accepted in the forms offices write, refused with a message."""

from __future__ import annotations

import datetime

import pytest

from core.import_parsers import Boolean, CellError, Choice, Date, Email, Integer, Text
from core.importer import normalise_header
from register.models import WorkItem


def message(parser, value: str) -> str:
    with pytest.raises(CellError) as caught:
        parser(value)
    return caught.value.message


def test_text_longer_than_its_limit_is_refused_with_both_lengths() -> None:
    assert Text(5)("다섯글자요") == "다섯글자요"
    assert message(Text(5), "여섯글자예요") == "5자 이내로 적어 주십시오(지금 6자)."


@pytest.mark.parametrize("value", ["permit", "PERMIT", "인허가", "Permit", " 인 허 가 "])
def test_choice_accepts_code_and_labels(value: str) -> None:
    assert Choice(WorkItem.Category)(value.strip()) == "permit"


def test_choice_lists_the_allowed_labels_when_refusing() -> None:
    text = message(Choice(WorkItem.Status), "끝남")
    assert text.startswith("'끝남'은(는) 쓸 수 없는 값입니다.")
    assert "예정, 진행 중, 완료, 중단" in text


@pytest.mark.parametrize(
    "value",
    ["2026-03-01", "2026.03.01", "2026/03/01", "2026.3.1", "2026. 3. 1.", "20260301", "2026-03-01 00:00:00"],
)
def test_dates_in_the_usual_korean_forms(value: str) -> None:
    assert Date()(value) == datetime.date(2026, 3, 1)


@pytest.mark.parametrize(
    ("value", "start"),
    [("2026-02-30", "없는 날짜"), ("3/1/2026", "날짜 형식이 아닙니다"), ("내일", "날짜 형식이 아닙니다")],
)
def test_bad_dates_are_refused(value: str, start: str) -> None:
    assert message(Date(), value).startswith(start)


def test_integer_accepts_thousands_separators_and_checks_its_range() -> None:
    parser = Integer(min_value=1990, max_value=2100)
    assert parser("2,026") == 2026
    assert parser("2026.0") == 2026
    assert message(parser, "1800") == "1990부터 2100까지의 수를 적어 주십시오(지금 1800)."
    assert message(parser, "2026.5").startswith("정수가 아닙니다")


@pytest.mark.parametrize(
    ("value", "expected"),
    [("Y", True), ("예", True), ("O", True), ("TRUE", True), ("N", False), ("아니오", False), ("0", False)],
)
def test_boolean_words(value: str, expected: bool) -> None:
    assert Boolean()(value) is expected


def test_boolean_refuses_other_words() -> None:
    assert message(Boolean(), "아마도").startswith("예/아니오(Y/N)로")


def test_email_is_checked() -> None:
    assert Email(254)("hong@korea.kr") == "hong@korea.kr"
    assert message(Email(254), "hong@").startswith("전자우편 주소 형식이 아닙니다")


def test_headers_compare_without_spaces_case_marks() -> None:
    assert normalise_header(" 담당 부서 코드* ") == normalise_header("담당부서코드")
    assert normalise_header("관리번호(필수)") == normalise_header("관리번호")
    assert normalise_header("Unit Code") == normalise_header("unit_code")


def test_case_insensitive_lookup_resolves_every_spelling_of_one_key(cast) -> None:  # type: ignore[no-untyped-def]
    from core.access import actor_for
    from core.import_parsers import by_field
    from core.import_specs import ImportContext
    from institutions.models import Unit

    resolve = by_field(Unit, "code", case_insensitive=True)
    context = ImportContext(actor=actor_for(cast.admin), institution_id=cast.district.pk)
    found = resolve(context, {"BLD", "bld", "Bld", "NOPE"})
    assert found == {"BLD": cast.building.pk, "bld": cast.building.pk, "Bld": cast.building.pk}
