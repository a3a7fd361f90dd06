"""Official documents as PDF (opinions, decisions, minutes, certificates) with WeasyPrint.

Templates extend ``documents/base.html``: A4, margins, and a footer with the page number,
the institution and the document number, all set in Nanum Gothic (Debian fonts-nanum) so
that Hangul never falls back to a font without it.

Rendering never reaches the network: the URL fetcher serves only ``data:`` URIs and files
under the project's static directories, so a document quoting user input cannot make the
server fetch an address.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

# WeasyPrint reports every rendering step at INFO; keep the server log for what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT), *(Path(str(p)) for p in getattr(settings, "STATICFILES_DIRS", []))]
    return [root.resolve() for root in roots]


def _fetcher() -> Any:
    from weasyprint import URLFetcher

    roots = _static_roots()

    class LocalOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = urlparse(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(url2pathname(unquote(urlparse(url).path))).resolve()
                if any(path.is_relative_to(root) for root in roots):
                    return super().fetch(url, headers)
            raise ValueError(f"document resources are limited to static files: {url}")

    return LocalOnlyFetcher(allowed_protocols={"data", "file"})


def render_pdf(template_name: str, context: dict[str, Any], *, base_url: str | None = None) -> bytes:
    """Render a document template to PDF bytes. Relative resource URLs resolve against
    `base_url` (default: the project's static directory)."""
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    base = base_url or (Path(settings.BASE_DIR) / "static").as_uri() + "/"
    pdf: bytes = HTML(string=html, base_url=base, url_fetcher=_fetcher()).write_pdf()
    return pdf


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """Offer PDF bytes as a download (the name in RFC 5987 form when it is Korean)."""
    if not filename.lower().endswith(".pdf"):
        filename += ".pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
