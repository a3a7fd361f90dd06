"""The bulk importer in a real browser: the upload pages of every kind an administrator may
import, and one whole import of a small CSV with a bad row: the check runs in the background
while the page polls (htmx), the preview lists the row's error, the import runs while the page
polls again, and the rejected rows come back as a spreadsheet. Every state is axe-clean."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from playwright.sync_api import expect

from core.models import ImportJob
from core.tasks_import import preview_import, run_import
from register.models import WorkItem
from tests.browser.helpers import assert_at, assert_field_error, follow, goto_ok, submit, texts, url_name, view_name
from tests.cast import Cast

pytestmark = pytest.mark.browser

#: The queue does not run tasks by itself: the test runs them while the page polls.
QUEUE = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}

CSV_HEADER = "관리번호,업무명,분류,담당 부서 코드,담당자 직원번호,법적 근거,상태,연도,시작일,종료일,비고"


def _csv(cast: Cast) -> bytes:
    number = cast.official.person.employee_number
    lines = [
        CSV_HEADER,
        f"BLD-2024-101,건축물 사용승인,인허가,BLD,{number},건축법 제22조,진행 중,2024,2024-01-02,,",
        "PLN-2024-102,도시계획시설 결정,규제,PLN,,국토계획법 제30조,예정,2024,,,",
        "XXX-2024-103,없는 부서의 업무,계약,NOPE,,,진행 중,2024,,,",
        "PLN-2024-104,공원 조성 공사,공사·건축,PLN,,,완료,2023,2023-03-01,2023-11-30,준공",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


#: The kinds an administrator may import: (kind, page heading, a column of its template).
KINDS = [
    ("units", "부서 일괄 가져오기", "부서 코드"),
    ("people", "직원 일괄 가져오기", "직원번호"),
    ("register", "업무 등록부 일괄 가져오기", "관리번호"),
]


def test_upload_page_of_each_kind_explains_the_columns_and_refuses_no_file(  # type: ignore[no-untyped-def]
    cast: Cast, page, login, live_url, assert_accessible
) -> None:
    login(page, "admin")
    for kind, heading, column in KINDS:
        goto_ok(page, live_url("imports:upload", kind=kind))
        assert_at(page, "imports:upload")
        expect(page.locator("h1")).to_have_text(heading)
        assert column in texts(page, "section[aria-labelledby=columns-title] tbody th")
        expect(page.locator("#id_file")).to_have_attribute("type", "file")
        expect(page.get_by_role("radio", name="올바른 행만 저장하고 오류가 있는 행은 따로 알려 주기")).to_be_checked()
        assert_accessible(page)
        with page.expect_download() as download_info:
            page.get_by_role("link", name="서식 파일 내려받기(XLSX)").click()
        download = download_info.value
        assert view_name(page) == "imports:upload"
        assert url_name(download.url) == "imports:template"
        assert download.url.endswith(f"/office/imports/{kind}/template.xlsx")
        with open(download.path(), "rb") as handle:
            workbook = openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True)
        assert column in next(workbook.worksheets[0].iter_rows(values_only=True))
        assert workbook.sheetnames[1] == "작성 안내"

    # The last one (the register): sent without a file, then with one that is no spreadsheet.
    submit(page, "올리고 검사하기", status=400)
    assert_field_error(page, "id_file", "필수 항목")
    assert_accessible(page)
    page.set_input_files("#id_file", {"name": "목록.txt", "mimeType": "text/plain", "buffer": "아무 내용\n".encode()})
    submit(page, "올리고 검사하기", status=400)
    assert_field_error(page, "id_file", re.compile(r"\S"))
    assert_accessible(page)
    assert not ImportJob.objects.exists()


def test_import_of_a_csv_with_a_bad_row_from_upload_to_rejected_rows(  # type: ignore[no-untyped-def]  # noqa: PLR0917
    cast: Cast, page, login, live_url, assert_accessible, settings
) -> None:
    settings.TASKS = QUEUE
    user = cast.aa_officer
    login(page, "aa_officer")
    goto_ok(page, live_url("register:list"))
    follow(page, page.locator("main").get_by_role("link", name="일괄 등록(엑셀)"))
    assert_at(page, "imports:upload")
    page.set_input_files("#id_file", {"name": "업무목록.csv", "mimeType": "text/csv", "buffer": _csv(cast)})
    submit(page, "올리고 검사하기")
    assert_at(page, "imports:job")
    job = ImportJob.objects.get(institution=cast.district, kind="register")

    # The check runs in the background; the page polls and then shows the preview.
    expect(page.locator("#progress-title")).to_have_text("파일을 검사하는 중")
    assert_accessible(page)
    with page.expect_navigation():  # HX-Redirect once the check is done
        preview_import.call(job.pk, user.pk)
    assert_at(page, "imports:job")
    summary = page.locator("section[aria-labelledby=summary-title] dl")
    expect(summary).to_contain_text("4")
    errors = page.locator("section[aria-labelledby=errors-title] tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first.locator("th")).to_have_text("4")  # file row 4 (the header is row 1)
    expect(errors.first).to_contain_text("NOPE")
    sample = page.locator("section[aria-labelledby=sample-title] tbody tr")
    expect(sample).to_have_count(4)
    expect(sample.nth(2)).to_contain_text("오류")
    assert not WorkItem.objects.exists()  # nothing saved yet
    assert_accessible(page)

    # Start: the page polls the progress while the import runs, then shows the result.
    submit(page, "가져오기 시작")
    assert_at(page, "imports:job")
    expect(page.locator("#progress-title")).to_have_text("가져오는 중")
    expect(page.locator("#import-progress")).to_have_attribute("hx-trigger", "every 1s")
    assert_accessible(page)
    with page.expect_response(lambda r: url_name(r.url) == "imports:progress" and r.status == 200):
        pass  # the page polls
    run_import.call(job.pk, user.pk)
    expect(page.locator("#progress-title")).to_have_text("가져오기 결과", timeout=5000)
    result = page.locator("#import-progress dl")
    expect(result).to_contain_text("3")
    expect(page.locator("#import-progress progress")).to_have_attribute("value", "100")
    expect(page.locator("#import-progress tbody tr")).to_have_count(1)
    assert_accessible(page)
    assert sorted(WorkItem.objects.values_list("reference", flat=True)) == [
        "BLD-2024-101",
        "PLN-2024-102",
        "PLN-2024-104",
    ]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="오류 행 내려받기(XLSX)").click()
    download = download_info.value
    assert url_name(download.url) == "imports:rejected"
    assert download.suggested_filename == "업무목록-오류행.xlsx"
    with open(download.path(), "rb") as handle:
        rows = list(
            openpyxl.load_workbook(io.BytesIO(handle.read()), read_only=True).active.iter_rows(values_only=True)
        )
    assert any("XXX-2024-103" in [str(cell) for cell in row] for row in rows[1:])
    assert len(rows) == 2

    # The list page the result links to now holds the imported entries.
    follow(page, page.locator("#import-progress").get_by_role("link", name="목록으로"))
    assert_at(page, "register:list")
    expect(page.locator("#register-results caption")).to_have_text("업무 3건")
