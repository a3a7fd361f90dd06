"""The register as XLSX: the filtered list, every row, columns the importer reads back."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import PersonFactory, WorkItemFactory

pytestmark = pytest.mark.django_db

URL = reverse("register:export")


def sheet_rows(response) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def test_export_has_every_filtered_row_beyond_one_page(client_for, cast) -> None:
    for n in range(60):
        WorkItemFactory(institution=cast.district, unit=cast.building, reference=f"R-{n:03d}", category="permit")
    WorkItemFactory(institution=cast.district, unit=cast.planning, reference="C-1", category="contract")
    WorkItemFactory(institution=cast.other, unit=cast.other_unit, reference="O-1", category="permit")
    response = client_for("official").get(URL, {"category": "permit"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = sheet_rows(response)
    assert rows[0][:3] == ("관리번호", "업무명", "분류")
    assert len(rows) == 61
    assert {r[0] for r in rows[1:]} == {f"R-{n:03d}" for n in range(60)}


def test_export_file_name_is_korean(client_for) -> None:
    disposition = client_for("official").get(URL)["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert unquote(disposition.split("''", 1)[1]).startswith("업무등록부-")


def test_export_values_are_readable_labels_and_formulas_stay_text(client_for, cast) -> None:
    person = PersonFactory(institution=cast.district, unit=cast.building, employee_number="E-3", name="박담당")
    WorkItemFactory(
        institution=cast.district,
        unit=cast.building,
        reference="R-1",
        title="=1+1",
        responsible=person,
        status="completed",
    )
    row = sheet_rows(client_for("official").get(URL))[1]
    assert row[:9] == ("R-1", "=1+1", "인허가", "BLD", "건축과", "E-3", "박담당", None, "완료")


def test_exported_file_imports_back(client_for, cast, django_capture_on_commit_callbacks) -> None:
    WorkItemFactory(institution=cast.district, unit=cast.building, reference="R-1", legal_basis="건축법")
    content = b"".join(client_for("official").get(URL).streaming_content)
    from core.access import actor_for
    from core.tests.importer_files import upload_and_check

    job = upload_and_check(actor_for(cast.admin_b), content, "업무.xlsx")
    # the other institution has a unit AUD but no BLD: everything else reads fine
    assert job.total_rows == 1
    assert [e["column"] for e in job.errors] == ["담당 부서 코드"]
    assert "알 수 없는 열" in job.message


def test_export_access(client, client_for, cast) -> None:
    assert client.get(URL).status_code == 302
    assert client_for("no_role").get(URL).status_code == 404
    WorkItemFactory(institution=cast.district, unit=cast.building, reference="R-1")
    assert len(sheet_rows(client_for("official_b").get(URL))) == 1  # only the header
