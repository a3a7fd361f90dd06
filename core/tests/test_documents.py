"""render_pdf / pdf_response: Korean PDFs in Nanum Gothic, A4, with the footer."""

from __future__ import annotations

import logging
import re
import zlib
from urllib.parse import quote

import pytest
from django.template import engines

from core import documents
from core.documents import pdf_response, render_pdf

TEMPLATE = """{% extends "documents/base.html" %}
{% block content %}<h2>검토 의견</h2><p class="pre">{{ opinion }}</p>
<table><caption>처리 경과</caption><tr><th scope="col">일자</th><th scope="col">내용</th></tr>
<tr><td>2026. 9. 18.</td><td>접수</td></tr></table>
{% if image %}<img src="{{ image }}" alt="">{% endif %}{% endblock %}"""


@pytest.fixture
def korean_template(monkeypatch):  # type: ignore[no-untyped-def]
    """A document template, as a module would write one (compiled from a string)."""
    template = engines["django"].from_string(TEMPLATE)
    monkeypatch.setattr(documents, "render_to_string", lambda name, context: template.render(context))


def streams(pdf: bytes) -> bytes:
    """Every stream of the PDF, inflated, plus the raw file (fonts may sit in object streams)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)


def render(**extra):  # type: ignore[no-untyped-def]
    context = {
        "document_title": "사전컨설팅 검토 의견서",
        "document_number": "감사담당관-2026-0042",
        "institution_name": "새솔구",
        "opinion": "관계 법령에 따라 허가할 수 있습니다. 적극행정 면책 요건을 충족합니다.",
        **extra,
    }
    return render_pdf("documents/test.html", context)


def test_korean_pdf_embeds_nanum_gothic_without_warnings(korean_template, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render()
    assert pdf.startswith(b"%PDF-")
    content = streams(pdf)
    assert b"NanumGothic" in content
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([A-Za-z0-9-]+)", content))
    assert fonts
    assert all(f.startswith(b"NanumGothic") for f in fonts), fonts
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []


def test_page_is_a4(korean_template) -> None:  # type: ignore[no-untyped-def]
    content = streams(render())
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", content)
    assert box is not None
    width, height = float(box.group(1)), float(box.group(2))
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_footer_numbers_pages_across_a_long_document(korean_template) -> None:  # type: ignore[no-untyped-def]
    pdf = render(opinion="긴 의견 " * 3000)
    assert len(re.findall(rb"/Type\s*/Page\b", streams(pdf))) >= 2


def test_remote_resources_are_never_fetched(korean_template, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    import urllib.request

    def no_network(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("the renderer reached the network")

    monkeypatch.setattr(urllib.request.OpenerDirector, "open", no_network)
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        pdf = render(image="http://169.254.169.254/latest/meta-data/")
    assert pdf.startswith(b"%PDF-")
    assert any("static files" in r.getMessage() or "169.254" in r.getMessage() for r in caplog.records)


def test_local_files_outside_static_are_refused(korean_template, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        render(image="file:///etc/passwd")
    assert any("/etc/passwd" in r.getMessage() for r in caplog.records)


def test_base_template_renders_for_real(db) -> None:  # type: ignore[no-untyped-def]
    pdf = render_pdf("documents/base.html", {"document_title": "확인서", "institution_name": "새솔구"})
    assert b"NanumGothic" in streams(pdf)


def test_pdf_response_is_a_download_with_the_korean_name() -> None:
    response = pdf_response(b"%PDF-1.7 test", "검토 의견서")
    assert response["Content-Type"] == "application/pdf"
    assert f"filename*=utf-8''{quote('검토 의견서.pdf')}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == b"%PDF-1.7 test"
