"""Query count of the register's XLSX export (the list page has its own in test_list_view.py):
more entries, of several units and responsible officials, must not mean more queries
(issue 8). The download is streamed, so the count includes reading it to its end."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.cast import Cast
from tests.factories import PersonFactory, UnitFactory, WorkItemFactory
from tests.query_counts import assert_flat

pytestmark = pytest.mark.django_db


def _items(cast: Cast, count: int) -> None:
    for n in range(count):
        unit = UnitFactory(institution=cast.district)
        WorkItemFactory(
            institution=cast.district,
            unit=unit,
            responsible=PersonFactory(institution=cast.district, unit=unit) if n % 2 else None,
        )


def test_the_export(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _items(cast, 2)
    client = client_for("aa_officer")
    assert_flat(client, reverse("register:export"), lambda: _items(cast, 30))
    response = client.get(reverse("register:export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet is not None
    assert sheet.max_row == 1 + 32  # the header and every entry
