from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core import audit, deadlines, files, notifications
from core.access import LOGIN, PUBLIC, access, can_see, get_actor, get_visible_or_404, roles
from core.models import Attachment, Notification
from core.roles import Role

PAGE_SIZE = 50
#: Who sees the institution's overdue list.
DEADLINE_WATCHERS = roles(Role.AA_OFFICER, Role.AUDIT_STAFF, Role.HEAD, Role.ADMIN)
DUE_SOON_DAYS = 5


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(
        request,
        "errors/csrf.html",
        {"message": _("보안 확인(CSRF)이 만료되었습니다. 페이지를 새로 고친 뒤 다시 시도해 주십시오.")},
        status=403,
    )


@access(PUBLIC)
def healthz(request: HttpRequest) -> HttpResponse:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


# --- Deadlines ------------------------------------------------------------------------


@access(DEADLINE_WATCHERS)
@require_GET
def overdue(request: HttpRequest) -> HttpResponse:
    """The institution's open deadlines that have passed (or, with ?show=soon, that are
    due within a few working days)."""
    actor = get_actor(request)
    today = timezone.localdate()
    show = "soon" if request.GET.get("show") == "soon" else "overdue"
    if show == "soon":
        queryset = deadlines.due_soon(actor, DUE_SOON_DAYS, today=today)
    else:
        queryset = deadlines.overdue(actor, today=today)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "core/overdue.html",
        {"page": page, "show": show, "today": today, "due_soon_days": DUE_SOON_DAYS},
    )


# --- Notifications --------------------------------------------------------------------


@access(LOGIN)
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    user = get_actor(request).user
    assert user is not None
    page = notifications.notifications_page(user, request.GET.get("page"))
    return render(
        request,
        "core/notifications.html",
        {"page": page, "unread": notifications.unread_count(user)},
    )


@access(LOGIN)
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of my notifications read and follow its link (only ever a local path)."""
    user = get_actor(request).user
    assert user is not None
    notification = get_visible_or_404(Notification.objects.filter(recipient=user), pk=pk)
    notifications.mark_read(user=user, notification=notification)
    if notification.url and notifications.is_relative_url(notification.url):
        return redirect(notification.url)
    return redirect("core:notifications")


@access(LOGIN)
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    user = get_actor(request).user
    assert user is not None
    notifications.mark_all_read(user=user)
    return redirect("core:notifications")


@access(LOGIN)
@require_GET
def notification_count(request: HttpRequest) -> HttpResponse:
    """The bell: the number of unread notifications (an htmx fragment)."""
    user = get_actor(request).user
    assert user is not None
    response = render(request, "core/notifications.html#bell", {"unread": notifications.unread_count(user)})
    response["Cache-Control"] = "private, no-store"
    return response


# --- Attachments ----------------------------------------------------------------------


@access(LOGIN)
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse | HttpResponse:
    """A file, to whoever may see the case it belongs to (404 for everyone else).
    ?copy=clean serves the copy without metadata where there is one."""
    actor = get_actor(request)
    attachment = get_visible_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    try:
        target = attachment.content_type.get_object_for_this_type(pk=attachment.object_id)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc
    if not can_see(actor, target):
        raise Http404
    refused = files.download_refusal(actor, target, attachment)
    if refused is not None:
        message, action = refused
        with transaction.atomic():
            audit.record(
                actor=actor,
                action=action,
                target=target,
                changes={"attachment": attachment.pk, "filename": attachment.filename, "purpose": attachment.purpose},
            )
        return render(request, "errors/csrf.html", {"message": message}, status=403)
    stored = attachment.file
    if request.GET.get("copy") == "clean" and attachment.clean_file:
        stored = attachment.clean_file
    return files.file_response(stored, filename=attachment.filename, content_type=attachment.mime_type)


@access(PUBLIC)
@require_GET
def page_font(request: HttpRequest, token: str) -> HttpResponse:
    """A page's own font subset of its user-written text (core/page_fonts.py, ADR 0036). Public:
    fonts are public, and the signed token names only what pages name. An unknown token is a
    404 (the browser then draws from the slices)."""
    from core import page_fonts

    try:
        weight, points = page_fonts.read_token(token)
    except ValueError:
        raise Http404 from None
    data = page_fonts.font(weight, points)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="font/woff2")
    # the token names the bytes: they never change under this URL, whoever asks
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response.same_for_everyone = True  # type: ignore[attr-defined]
    return response
