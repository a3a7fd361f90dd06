"""core:attachment_download - only for whoever may see the case; safe headers."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from PIL import Image

from core.files import AttachmentForm, attach
from core.tests import filefactory as ff


def url(attachment, clean: bool = False) -> str:  # type: ignore[no-untyped-def]
    return reverse("core:attachment_download", args=[attachment.pk]) + ("?copy=clean" if clean else "")


def body(response) -> bytes:  # type: ignore[no-untyped-def]
    return b"".join(response.streaming_content)


@pytest.fixture
def photo(case, actor):  # type: ignore[no-untyped-def]
    return attach(actor=actor("official"), target=case, upload=ff.upload("현장 사진.jpg", ff.image("JPEG", exif=True)))


@pytest.fixture
def opinion(case, actor):  # type: ignore[no-untyped-def]
    return attach(actor=actor("aa_officer"), target=case, upload=ff.upload("검토 의견서.pdf", ff.pdf()))


def test_download_as_attachment_with_safe_headers(client_for, opinion) -> None:  # type: ignore[no-untyped-def]
    response = client_for("official2").get(url(opinion))
    assert response.status_code == 200
    assert body(response) == ff.pdf()
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('검토 의견서.pdf')}" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "private, no-store"


def test_text_is_served_with_its_charset(client_for, case, actor) -> None:  # type: ignore[no-untyped-def]
    a = attach(actor=actor("official"), target=case, upload=ff.upload("명단.csv", "이름\n홍길동\n".encode("cp949")))
    response = client_for("official").get(url(a))
    assert response["Content-Type"] == "text/csv; charset=euc-kr"


def test_clean_copy_has_no_location(client_for, photo) -> None:  # type: ignore[no-untyped-def]
    client = client_for("official")
    original = body(client.get(url(photo)))
    clean = body(client.get(url(photo, clean=True)))
    assert original == ff.image("JPEG", exif=True)
    with Image.open(io.BytesIO(clean)) as im:
        assert not im.getexif().get_ifd(0x8825)
    with Image.open(io.BytesIO(original)) as im:
        assert im.getexif().get_ifd(0x8825)


def test_clean_copy_falls_back_to_the_original_for_documents(client_for, opinion) -> None:  # type: ignore[no-untyped-def]
    assert body(client_for("official").get(url(opinion, clean=True))) == ff.pdf()


def test_another_institutions_attachment_is_404(client_for, other_case, actor) -> None:  # type: ignore[no-untyped-def]
    theirs = attach(actor=actor("official_b"), target=other_case, upload=ff.upload("a.pdf", ff.pdf()))
    assert client_for("official").get(url(theirs)).status_code == 404
    assert client_for("aa_officer").get(url(theirs)).status_code == 404
    assert client_for("official_b").get(url(theirs)).status_code == 200


def test_supervisor_of_the_district_cannot_download_without_visibility(client_for, opinion) -> None:  # type: ignore[no-untyped-def]
    assert client_for("supervisor").get(url(opinion)).status_code == 404


def test_missing_attachment_is_404(client_for, db) -> None:  # type: ignore[no-untyped-def]
    assert client_for("official").get(reverse("core:attachment_download", args=[999999])).status_code == 404


def test_deleted_case_is_404(client_for, opinion, case) -> None:  # type: ignore[no-untyped-def]
    from register.models import WorkItem

    WorkItem.objects.filter(pk=case.pk).delete()
    assert client_for("official").get(url(opinion)).status_code == 404


def test_unregistered_model_is_404(client_for, opinion, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from core import access
    from register.models import WorkItem

    monkeypatch.delitem(access._VISIBLE, WorkItem)
    assert client_for("official").get(url(opinion)).status_code == 404


def test_missing_file_on_disk_is_404(client_for, opinion) -> None:  # type: ignore[no-untyped-def]
    opinion.file.storage.delete(opinion.file.name)
    assert client_for("official").get(url(opinion)).status_code == 404


def test_anonymous_is_sent_to_login(opinion) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(url(opinion))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_post_is_not_allowed(client_for, opinion) -> None:  # type: ignore[no-untyped-def]
    assert client_for("official").post(url(opinion)).status_code == 405


# --- The partials ---------------------------------------------------------------------


def test_list_partial_links_both_copies(photo, opinion) -> None:  # type: ignore[no-untyped-def]
    html = render_to_string("core/attachments.html#list", {"attachments": [photo, opinion]})
    assert url(photo) in html
    assert url(photo, clean=True) in html
    assert url(opinion, clean=True) not in html
    assert "현장 사진.jpg" in html
    assert "<caption>" in html


def test_list_partial_when_empty(db) -> None:  # type: ignore[no-untyped-def]
    assert "첨부파일이 없습니다" in render_to_string("core/attachments.html#list", {"attachments": []})


def test_upload_form_partial_shows_the_error_next_to_the_field(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
    form = AttachmentForm(data={}, files={})
    assert not form.is_valid()
    form.add_error("file", "실행 파일은 올릴 수 없습니다.")
    html = render_to_string(
        "core/attachments.html#upload_form", {"attachment_form": form, "upload_url": "/office/c/1/files/"}
    )
    assert 'enctype="multipart/form-data"' in html
    assert 'action="/office/c/1/files/"' in html
    assert "실행 파일은 올릴 수 없습니다." in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_file_hint id_file_error"' in html
    assert "5.0" in html  # the limit, from the settings
    assert "style=" not in html
