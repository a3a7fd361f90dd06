from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from core.access import PUBLIC, access
from core.errors import DomainError
from portal import selectors
from portal.directory_forms import DirectoryForm
from portal.follow import find_any
from portal.forms import ReceiptForm
from reports import receipts


@dataclass(frozen=True)
class Service:
    """A public service on the home page. `preselect` names the page (and its parameter)
    that opens the service for one institution, when the service has one."""

    url_name: str
    title: str | Promise
    what: str | Promise
    needs: str | Promise
    action: str | Promise
    preselect: tuple[str, str] | None = None


SERVICES = [
    Service(
        "portal_reports:start",
        gettext_lazy("소극행정 신고"),
        gettext_lazy(
            "공무원이 정당한 이유 없이 일을 미루거나 형식적으로 처리해 불편이나 피해를 겪으셨다면 신고해 주십시오. "
            "이름을 밝히지 않고 신고할 수 있고, 신고하신 분의 신원은 보호됩니다."
        ),
        gettext_lazy("필요한 것: 기관 이름, 겪으신 일(언제, 어디서, 무엇을). 증빙 파일은 있으면 함께 냅니다."),
        gettext_lazy("소극행정 신고하기"),
        preselect=("portal_reports:new", "institution"),
    ),
    Service(
        "portal_recommendations:start",
        gettext_lazy("국민추천"),
        gettext_lazy(
            "국민을 위해 적극적으로 일한 공무원이나 팀을 알고 계시다면 추천해 주십시오. "
            "추천은 적극행정 우수공무원 선발에 반영되고, 결과를 알려 드립니다."
        ),
        gettext_lazy("필요한 것: 기관과 공무원(또는 팀) 이름, 한 일과 그 효과, 연락처."),
        gettext_lazy("공무원 추천하기"),
        preselect=("portal_recommendations:new", "institution"),
    ),
    Service(
        "portal_applications:start",
        gettext_lazy("적극행정 국민신청"),
        gettext_lazy(
            "기관에 요청한 일이 규정이 없거나 불분명하다는 이유로 거부되었다면, 적극적으로 다시 검토해 달라고 "
            "신청할 수 있습니다. 기관이 검토해 답변합니다."
        ),
        gettext_lazy("필요한 것: 기관 이름, 처음 요청한 내용과 거부된 이유, 연락처."),
        gettext_lazy("적극행정 신청하기"),
        preselect=("portal_applications:new", "institution"),
    ),
    Service(
        "portal_library:list",
        gettext_lazy("적극행정 우수사례"),
        gettext_lazy(
            "공무원이 규정이 불분명하거나 선례가 없는 문제를 적극적으로 해결한 사례를 누구나 찾아볼 수 있습니다."
        ),
        gettext_lazy("필요한 것: 없음. 기관·분야·연도로 고르거나 낱말로 찾습니다."),
        gettext_lazy("우수사례 찾아보기"),
    ),
    Service(
        "portal_contests:list",
        gettext_lazy("우수사례 경진대회"),
        gettext_lazy("기관이 뽑은 우수사례 본선 진출작에 투표하고, 끝난 대회의 수상작을 봅니다."),
        gettext_lazy("필요한 것: 투표할 때 확인 코드를 받을 전자우편 주소(주소는 저장하지 않습니다)."),
        gettext_lazy("경진대회 보기"),
    ),
    Service(
        "portal:follow",
        gettext_lazy("처리 상황 확인"),
        gettext_lazy("신고·추천·신청한 일이 어떻게 처리되고 있는지 확인하고, 담당자와 메시지를 주고받습니다."),
        gettext_lazy("필요한 것: 제출할 때 받은 접수증 번호(20자리 숫자)."),
        gettext_lazy("처리 상황 확인하기"),
    ),
    Service(
        "portal:institutions",
        gettext_lazy("기관 찾기"),
        gettext_lazy("기관을 이름으로 찾아, 그 기관에 신고·추천·신청하거나 그 기관의 우수사례를 봅니다."),
        gettext_lazy("필요한 것: 기관 이름의 일부(한글 또는 영문)."),
        gettext_lazy("기관 찾아보기"),
    ),
]

#: The services that act on one institution (the institution page links to them).
INSTITUTION_SERVICES = ("portal_reports:start", "portal_recommendations:start", "portal_applications:start")


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:  # a service not installed (yet)
        return None


def available_services() -> list[dict[str, object]]:
    """The services whose pages exist, with their addresses."""
    found = []
    for service in SERVICES:
        url = _url(service.url_name)
        if url is not None:
            found.append({"service": service, "url": url})
    return found


def _services_for(institution_pk: int) -> list[dict[str, object]]:
    found = []
    for service in SERVICES:
        if service.url_name not in INSTITUTION_SERVICES:
            continue
        url = _url(service.url_name)
        if url is None:
            continue
        if service.preselect is not None:
            page, parameter = service.preselect
            direct = _url(page)
            if direct is not None:
                url = f"{direct}?{urlencode({parameter: institution_pk})}"
        found.append({"service": service, "url": url})
    return found


@access(PUBLIC)
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", {"services": available_services()})


@access(PUBLIC)
@require_safe
def institutions(request: HttpRequest) -> HttpResponse:
    """The directory of institutions: search by name, filter by kind and parent, by name,
    paginated. A plain GET form; htmx swaps only the results when available."""
    form = DirectoryForm(request.GET or None, parents=selectors.parents())
    filters = form.filters()
    page = selectors.directory_page(filters, request.GET.get("page"))
    searched = bool(filters.q or filters.kind or filters.parent is not None)
    context = {"form": form, "page_obj": page, "query": filters.q.strip(), "searched": searched}
    # htmx swaps only the results; a history restore (the back button) needs the whole page.
    partial = request.headers.get("HX-Request") and not request.headers.get("HX-History-Restore-Request")
    template = "portal/institutions.html#results" if partial else "portal/institutions.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@access(PUBLIC)
@require_safe
def institution(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.institution_or_404(pk)
    context = {
        "institution": found,
        "parent": found.parent if found.parent is not None and found.parent.is_active else None,
        "services": _services_for(found.pk),
        "cases": selectors.cases_of(found),
        "library_url": _url("portal_library:list"),
    }
    return render(request, "portal/institution.html", context)


@never_cache
@access(PUBLIC)
def follow(request: HttpRequest) -> HttpResponse:
    """Enter a receipt of any public service: its status page. A wrong receipt gets the
    same answer as a missing one; attempts are rate limited (reports/receipts.py)."""
    form = ReceiptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = find_any(client=receipts.client_key(request), text=form.cleaned_data["receipt"])
        except DomainError as error:
            form.add_error("receipt", str(error.message))
            status = 429 if isinstance(error, receipts.ReceiptLocked) else 400
            return render(request, "portal/follow.html", {"form": form}, status=status)
        else:
            if found is not None:
                service, record = found
                return service.render(request, record)
            form.add_error("receipt", _("접수증 번호를 확인할 수 없습니다. 번호를 다시 확인해 주십시오."))
    return render(request, "portal/follow.html", {"form": form})
