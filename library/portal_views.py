"""The public library (no account): the list with search and filters, a case's page, and
its pictures. Only published cases exist here; anything else answers 404 (ADR 0016)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.crypto import salted_hmac
from django.views.decorators.http import require_GET

from core.access import PUBLIC, access, get_visible_or_404
from core.files import IMAGE_FORMATS, file_response
from core.models import Attachment
from library import search, selectors, services
from library.forms import LibrarySearchForm

PER_PAGE = 12
VISITOR_SALT = "proactive.library.visitor"


def _visitor(request: HttpRequest) -> str:
    """An opaque key for "this visitor today": a keyed hash of the address and the day.
    It lives only in the cache (services.record_view); the address itself is never kept."""
    address = request.META.get("REMOTE_ADDR", "")
    day = timezone.localdate().isoformat()
    return salted_hmac(VISITOR_SALT, f"{day}|{address}", algorithm="sha256").hexdigest()[:32]


@access(PUBLIC)
@require_GET
def library_list(request: HttpRequest) -> HttpResponse:
    form = LibrarySearchForm(request.GET or None, years=selectors.published_years())
    query = form.query()
    page = search.paginator(query, form.filters(), PER_PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page, "query": query.strip()}
    template = "library/portal_list.html#results" if request.headers.get("HX-Request") else "library/portal_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@access(PUBLIC)
@require_GET
def library_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.published_case_or_404(pk)
    if services.record_view(case=case, visitor=_visitor(request)):
        case.view_count += 1
    context = {
        "case": case,
        "officials": case.officials.select_related("unit").order_by("name"),
        "images": services.images_of(case),
    }
    return render(request, "library/portal_detail.html", context)


@access(PUBLIC)
@require_GET
def library_image(request: HttpRequest, pk: int, image_pk: int) -> FileResponse:
    """A picture of a published case: the copy without metadata, as an image (PNG, JPEG,
    GIF or WebP only - never markup), to anyone. Any other file or case answers 404."""
    case = selectors.published_case_or_404(pk)
    image = get_visible_or_404(Attachment.objects.filter(pk__in=[i.pk for i in services.images_of(case)]), pk=image_pk)
    mime = image.mime_type.split(";")[0].strip()
    if mime not in IMAGE_FORMATS or not image.clean_file:
        raise Http404
    return file_response(image.clean_file, content_type=mime, inline=True, cache_control="public, max-age=300")
