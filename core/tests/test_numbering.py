import pytest

from core.numbering import document_reference, next_number
from tests.factories import InstitutionFactory

pytestmark = pytest.mark.django_db


def test_numbers_run_per_institution_series_and_year() -> None:
    a, b = InstitutionFactory(), InstitutionFactory()
    assert [next_number(institution_id=a.pk, series="opinion", year=2026) for _ in range(3)] == [1, 2, 3]
    assert next_number(institution_id=b.pk, series="opinion", year=2026) == 1
    assert next_number(institution_id=a.pk, series="decision", year=2026) == 1
    assert next_number(institution_id=a.pk, series="opinion", year=2027) == 1


def test_reference_is_zero_padded() -> None:
    assert document_reference(prefix="감사담당관", year=2026, number=7) == "감사담당관-2026-0007"
