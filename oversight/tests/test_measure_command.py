from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from tests.cast import Cast


@pytest.mark.django_db
def test_it_times_the_dashboard_and_each_section_of_the_comparison(cast: Cast) -> None:
    out = io.StringIO()
    call_command("measure_figures", "--period", "2026-Q2", "--repeat", "1", stdout=out)
    text = out.getvalue()
    assert "period 2026-Q2" in text
    assert "institution dashboard (this and previous period): median" in text
    assert "comparison of 2 institutions: consultations: median" in text
    assert "queries" in text


@pytest.mark.django_db
def test_a_bad_period_or_an_empty_database_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="not a period"):
        call_command("measure_figures", "--period", "2026-Q9")
    with pytest.raises(CommandError, match="run seed_scale first"):
        call_command("measure_figures")
