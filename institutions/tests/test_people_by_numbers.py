import pytest

from core.access import actor_for
from core.errors import DomainError
from institutions.selectors import people_by_numbers, split_employee_numbers
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_numbers_split_on_spaces_commas_semicolons_and_lines() -> None:
    assert split_employee_numbers(" A-1, A-2;A-3\nA-4  ") == ["A-1", "A-2", "A-3", "A-4"]
    assert split_employee_numbers("") == []


def test_people_come_back_in_the_order_typed_without_duplicates(cast: Cast) -> None:
    a, b = cast.official.person, cast.official2.person
    found = people_by_numbers(actor_for(cast.aa_officer), [b.employee_number, a.employee_number, b.employee_number])
    assert found == [b, a]


def test_a_number_of_another_institution_is_refused_by_name(cast: Cast) -> None:
    outsider = cast.official_b.person.employee_number
    with pytest.raises(DomainError) as error:
        people_by_numbers(actor_for(cast.aa_officer), [cast.official.person.employee_number, outsider], field="x")
    assert outsider in str(error.value.message)
    assert error.value.field == "x"


def test_too_many_numbers_are_refused(cast: Cast) -> None:
    with pytest.raises(DomainError):
        people_by_numbers(actor_for(cast.aa_officer), ["1", "2", "3"], limit=2)
