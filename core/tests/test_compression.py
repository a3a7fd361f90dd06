"""Pages and JSON are sent gzip-compressed to a client that accepts it (page weight, issue 8);
downloads and static files are left as they are."""

from __future__ import annotations

import gzip

from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from core.middleware import CompressPagesMiddleware
from tests.cast import Cast


def test_a_page_is_compressed_for_a_client_that_accepts_gzip(cast: Cast) -> None:
    plain = Client().get(reverse("portal_library:list"))
    packed = Client().get(reverse("portal_library:list"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert "Content-Encoding" not in plain
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content).decode().count("<h1") == plain.content.decode().count("<h1")
    assert len(packed.content) < len(plain.content) / 2
    # the padding against BREACH: the same page is not always the same length
    sizes = {len(Client().get(reverse("portal_library:list"), HTTP_ACCEPT_ENCODING="gzip").content) for _ in range(8)}
    assert len(sizes) > 1


def test_a_signed_in_users_pages_are_not_compressed(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    """A signed-in page may hold a secret beside text an attacker chooses (BREACH)."""
    response = client_for("official").get(reverse("portal_library:list"), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response


def test_json_is_compressed_and_a_download_is_not(db: None) -> None:
    api = Client().get("/api/openapi.json", HTTP_ACCEPT_ENCODING="gzip")
    assert api["Content-Encoding"] == "gzip"
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING="gzip")
    for kind in ("application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "image/png"):
        download = HttpResponse(b"x" * 5000, content_type=kind)
        answered = CompressPagesMiddleware(lambda r, d=download: d)(request)
        assert "Content-Encoding" not in answered, kind
        assert answered.content == b"x" * 5000
