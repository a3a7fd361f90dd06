"""The import screens: upload, preview, start, progress, report, downloads, and who may use them."""

from __future__ import annotations

import io
import os
import re

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from core import import_services
from core.access import actor_for
from core.models import ImportJob
from core.tests.importer_files import REGISTER_HEADER, csv_bytes, register_row, upload, upload_and_check, xlsx_bytes
from register.models import WorkItem

pytestmark = pytest.mark.django_db

UPLOAD = reverse("imports:upload", kwargs={"kind": "register"})


def previewed(cast, rows, who="aa_officer") -> ImportJob:
    return upload_and_check(actor_for(cast.users[who]), csv_bytes(rows))


def post_file(client, content: bytes, name: str = "업무.csv", mode: str = "valid_rows", url: str = UPLOAD):
    return client.post(url, {"file": upload(content, name), "mode": mode})


# --- upload -------------------------------------------------------------------------------


def test_upload_page_explains_the_modes_and_links_the_template(client_for) -> None:
    response = client_for("aa_officer").get(UPLOAD)
    assert response.status_code == 200
    page = response.content.decode()
    assert "업무 등록부 일괄 가져오기" in page
    assert "올바른 행만 저장하고 오류가 있는 행은 따로 알려 주기" in page
    assert "하나도 저장하지 않기" in page
    assert reverse("imports:template", kwargs={"kind": "register"}) in page
    assert "<progress" not in page


def test_upload_checks_the_rows_in_the_background_and_redirects_to_the_job(
    client_for, cast, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(
            client_for("audit_staff"), csv_bytes([REGISTER_HEADER, register_row(1), register_row(2, year="x")])
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:job", kwargs={"pk": job.pk})
    assert (job.institution, job.created_by, job.filename, job.status, job.total_rows, job.rejected_rows) == (
        cast.district,
        cast.audit_staff,
        "업무.csv",
        "previewed",
        2,
        1,
    )
    assert WorkItem.objects.count() == 0


def test_job_page_polls_while_the_file_is_being_checked(client_for, cast, django_capture_on_commit_callbacks) -> None:
    client = client_for("aa_officer")
    with django_capture_on_commit_callbacks(execute=False):
        post_file(client, csv_bytes([REGISTER_HEADER, register_row(1)]))
    job = ImportJob.objects.get()
    assert job.status == "previewing"
    page = client.get(reverse("imports:job", kwargs={"pk": job.pk})).content.decode()
    assert "파일을 검사하는 중" in page
    assert f'hx-get="{reverse("imports:progress", kwargs={"pk": job.pk})}" hx-trigger="every 1s"' in page
    assert '<label for="import-progress-bar">검사 진행</label>' in page
    assert reverse("imports:cancel", kwargs={"pk": job.pk}) in page
    assert reverse("imports:start", kwargs={"pk": job.pk}) not in page  # nothing to start yet
    partial = client.get(reverse("imports:progress", kwargs={"pk": job.pk}), headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert 'hx-trigger="every 1s"' in partial.content.decode()


def test_progress_sends_the_browser_to_the_preview_once_the_check_is_done(client_for, cast) -> None:
    job = previewed(cast, [REGISTER_HEADER, register_row(1)])
    url = reverse("imports:progress", kwargs={"pk": job.pk})
    job_url = reverse("imports:job", kwargs={"pk": job.pk})
    client = client_for("aa_officer")
    response = client.get(url, headers={"HX-Request": "true"})
    assert (response.status_code, response["HX-Redirect"]) == (200, job_url)
    without_htmx = client.get(url)
    assert (without_htmx.status_code, without_htmx["Location"]) == (302, job_url)


def test_a_file_refused_during_the_check_shows_the_reason_on_the_job_page(client_for, cast, monkeypatch) -> None:
    from core import import_validation

    monkeypatch.setattr(import_validation, "MAX_ROWS", 1)
    job = previewed(cast, [REGISTER_HEADER, register_row(1), register_row(2)])
    assert job.status == "failed"
    page = client_for("aa_officer").get(reverse("imports:job", kwargs={"pk": job.pk})).content.decode()
    assert "한 번에 1행까지 가져올 수 있습니다" in page
    assert 'hx-trigger="every 1s"' not in page
    assert reverse("imports:start", kwargs={"pk": job.pk}) not in page
    assert reverse("imports:upload", kwargs={"kind": "register"}) in page


def test_bad_upload_shows_the_korean_reason_next_to_the_file_field(client_for, cast, settings) -> None:
    response = post_file(client_for("aa_officer"), b"", mode="all_or_nothing")
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        '<div class="pa-field-errors" id="id_file_error"><p class="form-hint-invalid">제출된 파일이 비어 있습니다.'
        in page
    )
    assert 'aria-describedby="id_file_helptext id_file_error"' in page
    assert re.search(r'value="all_or_nothing"[^>]*checked', page)  # the chosen mode is kept
    assert ImportJob.objects.count() == 0


def test_junk_upload_is_refused_with_the_reason_next_to_the_file_field(client_for) -> None:
    response = post_file(client_for("aa_officer"), os.urandom(4096), name="업무.xlsx")
    assert response.status_code == 400
    assert 'id="id_file_error"><p class="form-hint-invalid">XLSX나 CSV 파일이 아닙니다.' in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_missing_columns_are_named_on_the_upload_page_and_nothing_is_kept(client_for, settings) -> None:
    response = post_file(client_for("aa_officer"), csv_bytes([["관리번호", "연도"], ["W-1", "2026"]]))
    assert response.status_code == 400
    assert "필수 열이 없습니다: 업무명, 분류, 담당 부서 코드" in response.content.decode()
    assert ImportJob.objects.count() == 0
    media = settings.MEDIA_ROOT
    stored = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
    assert stored == []


def test_upload_without_a_file_is_a_form_error(client_for) -> None:
    response = client_for("aa_officer").post(UPLOAD, {"mode": "valid_rows"})
    assert response.status_code == 400
    assert ImportJob.objects.count() == 0


# --- preview and start ---------------------------------------------------------------------


def test_preview_page_lists_row_errors_and_the_first_rows(client_for, cast) -> None:
    job = previewed(cast, [REGISTER_HEADER, register_row(1), register_row(2, unit="NOPE")])
    response = client_for("aa_officer").get(reverse("imports:job", kwargs={"pk": job.pk}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "이 기관에 없는 부서 코드입니다: NOPE" in page
    assert "W-000001" in page
    assert "W-000002" in page
    assert "아직 아무것도 저장하지 않았습니다" in page
    assert reverse("imports:start", kwargs={"pk": job.pk}) in page


def test_start_runs_the_import_and_shows_the_report(client_for, cast, django_capture_on_commit_callbacks) -> None:
    job = previewed(cast, [REGISTER_HEADER, register_row(1), register_row(2, unit="NOPE")])
    client = client_for("aa_officer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("imports:start", kwargs={"pk": job.pk}), {"mode": "valid_rows"})
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.status, job.saved_rows, job.rejected_rows) == ("done", 1, 1)
    page = client.get(reverse("imports:job", kwargs={"pk": job.pk})).content.decode()
    assert "1행을 저장했습니다" in page
    assert reverse("imports:rejected", kwargs={"pk": job.pk}) in page
    assert reverse("register:list") in page
    assert 'hx-trigger="every 1s"' not in page  # finished: no more polling


def test_all_or_nothing_start_with_errors_is_refused_on_the_page(client_for, cast) -> None:
    job = previewed(cast, [REGISTER_HEADER, register_row(1), register_row(2, year="x")])
    response = client_for("aa_officer").post(
        reverse("imports:start", kwargs={"pk": job.pk}), {"mode": "all_or_nothing"}
    )
    assert response.status_code == 400
    assert "오류가 있는 행이 1개 있어" in response.content.decode()
    job.refresh_from_db()
    assert job.status == "previewed"
    assert WorkItem.objects.count() == 0


def test_start_must_be_posted(client_for, cast) -> None:
    job = previewed(cast, [REGISTER_HEADER, register_row(1)])
    assert client_for("aa_officer").get(reverse("imports:start", kwargs={"pk": job.pk})).status_code == 405


def test_progress_partial_polls_while_running_with_a_labelled_progress_bar(client_for, cast) -> None:
    job = previewed(cast, [REGISTER_HEADER, *(register_row(n) for n in range(10))])
    ImportJob.objects.filter(pk=job.pk).update(status="running", processed_rows=4)
    response = client_for("aa_officer").get(reverse("imports:progress", kwargs={"pk": job.pk}))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page  # a fragment
    assert 'hx-trigger="every 1s"' in page
    assert '<label for="import-progress-bar">진행률</label>' in page
    assert '<progress id="import-progress-bar" max="100" value="40">' in page
    assert "style=" not in page


def test_cancel_of_a_previewed_import(client_for, cast) -> None:
    job = previewed(cast, [REGISTER_HEADER, register_row(1)])
    response = client_for("aa_officer").post(reverse("imports:cancel", kwargs={"pk": job.pk}))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert not job.file.storage.exists(job.file.name)


# --- downloads -------------------------------------------------------------------------------


def test_template_has_the_header_row_and_a_guide_sheet(client_for) -> None:
    response = client_for("aa_officer").get(reverse("imports:template", kwargs={"kind": "register"}))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    first, guide = workbook.worksheets
    assert [c.value for c in first[1]] == REGISTER_HEADER
    assert first.max_row == 1
    assert guide.title == "작성 안내"
    rows = {r[0]: r for r in guide.iter_rows(min_row=2, values_only=True)}
    assert rows["분류"][1] == "필수"
    assert "인허가" in rows["분류"][2]


ENGLISH_HEADER = [
    "Reference",
    "Title",
    "Category",
    "Unit code",
    "Responsible employee number",
    "Legal basis",
    "Status",
    "Year",
    "Start date",
    "End date",
    "Notes",
]


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_template_header_row_follows_the_language(client_for) -> None:
    client = in_english(client_for("aa_officer"))
    response = client.get(reverse("imports:template", kwargs={"kind": "register"}))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    first, guide = workbook.worksheets
    assert [c.value for c in first[1]] == ENGLISH_HEADER
    assert guide.title == "Instructions"
    rows = {r[0]: r for r in guide.iter_rows(min_row=2, values_only=True)}
    assert rows["Reference"][1] == "Required"
    assert "관리번호" in rows["Reference"][3]  # the Korean header is accepted too


def test_upload_page_names_the_columns_in_the_language(client_for) -> None:
    english = in_english(client_for("aa_officer")).get(UPLOAD).content.decode()
    assert '<th scope="row">Unit code</th>' in english
    assert '<th scope="row">담당 부서 코드</th>' not in english
    korean = client_for("aa_officer").get(UPLOAD).content.decode()
    assert '<th scope="row">담당 부서 코드</th>' in korean


def test_an_english_template_imports_and_its_errors_are_in_english(
    client_for, cast, django_capture_on_commit_callbacks
) -> None:
    client = in_english(client_for("aa_officer"))
    rows = [ENGLISH_HEADER, ["W-1", "Permit work", "permit", "BLD", "", "", "", "2026", "", "", ""]]
    rows.append(["W-2", "Other work", "permit", "BLD", "", "", "", "soon", "", "", ""])
    with django_capture_on_commit_callbacks(execute=True):
        post_file(client, csv_bytes(rows))
    job = ImportJob.objects.get()
    assert (job.status, job.total_rows, job.rejected_rows) == ("previewed", 2, 1)
    assert [(e["row"], e["column"], e["message"]) for e in job.errors] == [(3, "Year", "Not a whole number: 'soon'.")]


def test_rejected_rows_download(client_for, cast, django_capture_on_commit_callbacks) -> None:
    job = previewed(cast, [REGISTER_HEADER, register_row(1), register_row(2, year="x")])
    with django_capture_on_commit_callbacks(execute=True):
        import_services.import_start(actor=actor_for(cast.aa_officer), job=job)
    response = client_for("audit_staff").get(reverse("imports:rejected", kwargs={"pk": job.pk}))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    values = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert values[1][0] == 3
    assert "연도: 정수가 아닙니다" in values[1][-1]


def test_no_rejected_file_before_the_run(client_for, cast) -> None:
    job = previewed(cast, [REGISTER_HEADER, register_row(1), register_row(2, year="x")])
    assert client_for("aa_officer").get(reverse("imports:rejected", kwargs={"pk": job.pk})).status_code == 404


# --- who may use them --------------------------------------------------------------------------


def job_urls(job: ImportJob) -> list[str]:
    return [reverse(f"imports:{name}", kwargs={"pk": job.pk}) for name in ("job", "progress", "rejected")]


def test_anonymous_is_sent_to_login(client, cast) -> None:
    job = previewed(cast, [REGISTER_HEADER, register_row(1)])
    for url in [UPLOAD, reverse("imports:template", kwargs={"kind": "register"}), *job_urls(job)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["official", "dept_head", "head", "hr_officer", "no_role"])
def test_roles_without_the_register_import_get_404(client_for, cast, who) -> None:
    job = previewed(cast, [REGISTER_HEADER, register_row(1)])
    client = client_for(who)
    assert client.get(UPLOAD).status_code == 404
    assert post_file(client, csv_bytes([REGISTER_HEADER, register_row(1)])).status_code == 404
    for url in job_urls(job):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("imports:start", kwargs={"pk": job.pk})).status_code == 404
    assert ImportJob.objects.count() == 1


def test_units_and_people_imports_are_for_administrators_only(client_for) -> None:
    for kind in ("units", "people"):
        url = reverse("imports:upload", kwargs={"kind": kind})
        assert client_for("aa_officer").get(url).status_code == 404
        assert client_for("admin").get(url).status_code == 200


def test_unknown_kind_is_404(client_for) -> None:
    assert client_for("admin").get(reverse("imports:upload", kwargs={"kind": "nothing"})).status_code == 404


def test_another_institutions_job_is_invisible(client_for, cast, django_capture_on_commit_callbacks) -> None:
    job = previewed(cast, [REGISTER_HEADER, register_row(1), register_row(2, year="x")])
    client = client_for("aa_officer_b")
    for url in job_urls(job):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("imports:start", kwargs={"pk": job.pk}), {"mode": "valid_rows"}).status_code == 404
    assert client.post(reverse("imports:cancel", kwargs={"pk": job.pk})).status_code == 404
    job.refresh_from_db()
    assert job.status == "previewed"


def test_recent_imports_list_only_the_institutions_own(client_for, cast) -> None:
    previewed(cast, [REGISTER_HEADER, register_row(1)])
    mine = client_for("audit_staff").get(UPLOAD).content.decode()
    theirs = client_for("aa_officer_b").get(UPLOAD).content.decode()
    assert "최근 가져오기" in mine
    assert "최근 가져오기" not in theirs


def test_xlsx_upload_through_the_page(client_for, django_capture_on_commit_callbacks) -> None:
    client = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = post_file(client, xlsx_bytes([REGISTER_HEADER, register_row(1)]), name="업무.xlsx")
    assert response.status_code == 302
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("imports:start", kwargs={"pk": job.pk}), {"mode": "all_or_nothing"})
    assert WorkItem.objects.count() == 1
