from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs

import pytest
from django.urls import reverse

from core.access import actor_for
from reports import services
from reports.models import Report
from reports.tests.factories import submit
from tests.cast import Cast

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["aa_officer", "audit_staff"])
def test_audit_unit_sees_queue_and_detail(cast: Cast, client_for, name: str) -> None:  # type: ignore[no-untyped-def]
    report, _ = submit(cast.district)
    client = client_for(name)
    queue = client.get(reverse("reports:queue"))
    assert queue.status_code == 200
    assert report.number in queue.content.decode()
    assert client.get(report.get_absolute_url()).status_code == 200
    assert client.get(reverse("reports:transfers")).status_code == 200


@pytest.mark.parametrize("name", ["official", "head", "admin", "protection_officer"])
def test_other_roles_refused(cast: Cast, client_for, name: str) -> None:  # type: ignore[no-untyped-def]
    report, _ = submit(cast.district)
    client = client_for(name)
    assert client.get(reverse("reports:queue")).status_code == 404
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.post(reverse("reports:action", args=[report.pk, "investigate"])).status_code == 404


def test_other_institution_gets_404(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    report, _ = submit(cast.district)
    client = client_for("aa_officer_b")
    assert report.number not in client.get(reverse("reports:queue")).content.decode()
    assert client.get(report.get_absolute_url()).status_code == 404
    assert client.post(reverse("reports:action", args=[report.pk, "investigate"])).status_code == 404


def test_anonymous_redirected_to_login(cast: Cast, client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(reverse("reports:queue")).status_code == 302


def test_queue_is_paginated_and_bounded(cast: Cast, client_for, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        submit(cast.district)
    client = client_for("aa_officer")
    client.get(reverse("reports:queue"))
    with django_assert_max_num_queries(25) as few:
        client.get(reverse("reports:queue"))
    n = len(few.captured_queries)
    for _ in range(27):
        submit(cast.district)
    with django_assert_max_num_queries(n):
        page = client.get(reverse("reports:queue"))
    first = page.context["page_obj"]
    assert (len(first), first.count, first.has_next) == (25, 30, True)
    # the next page costs what the first one does; being the last, it may also look past the
    # dated reports for undated ones where the database puts NULLs last (PostgreSQL): one
    # query more, however many rows (ADR 0029)
    with django_assert_max_num_queries(n + 1):
        second = client.get(reverse("reports:queue"), {"cursor": first.next_cursor}).context["page_obj"]
    assert (len(second), second.start, second.has_next, second.has_previous) == (5, 26, False, True)
    filtered = client.get(reverse("reports:queue"), {"status": "all", "kind": "neglect", "q": "석 달", "overdue": "on"})
    assert filtered.status_code == 200
    partial = client.get(reverse("reports:queue"), HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()


def _links(html: str) -> dict[str, dict[str, list[str]]]:
    """The pagination's links by their text, each as its parsed query."""
    nav = html.split('class="krds-pagination"', 1)[1].split("</nav>", 1)[0]
    found = re.findall(r'<a class="page-navi[^"]*" href="\?([^"]*)"[^>]*>([^<]+)</a>', nav)
    return {text: parse_qs(unescape(query), keep_blank_values=True) for query, text in found}


def test_queue_links_keep_the_filters_and_walk_every_report(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for n in range(40):
        submit(cast.district, kind="desk_bound" if n % 4 else "neglect")
    filters = {"status": "all", "kind": "desk_bound", "q": "석 달"}
    client = client_for("audit_staff")
    response = client.get(reverse("reports:queue"), filters)
    html = response.content.decode()
    assert "신고 30건" in html
    assert '<strong class="page-position" aria-current="page">1–25번째</strong>' in html
    links = _links(html)
    assert set(links) == {"다음", "마지막 쪽"}  # no previous link on the first page
    for query in links.values():
        assert {k: v[0] for k, v in query.items() if k != "cursor"} == filters
    seen = [r.pk for r in response.context["rows"]]
    second = client.get(reverse("reports:queue"), links["다음"])
    seen += [r.pk for r in second.context["rows"]]
    expected = Report.objects.filter(institution=cast.district, kind="desk_bound").order_by("due_on", "pk")
    assert seen == list(expected.values_list("pk", flat=True))
    back = _links(second.content.decode())
    assert set(back) == {"이전", "첫 쪽"}
    assert "cursor" not in back["첫 쪽"]
    assert '<strong class="page-position" aria-current="page">26–30번째</strong>' in second.content.decode()
    again = client.get(reverse("reports:queue"), back["이전"]).context["page_obj"]
    assert [r.pk for r in again] == seen[:25]
    assert again.is_first


def test_old_numbered_page_links_go_to_the_first_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    response = client.get(reverse("reports:queue"), {"page": "3", "status": "all", "kind": "neglect"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('reports:queue')}?status=all&kind=neglect"
    bare = client.get(reverse("reports:queue"), {"page": "2", "cursor": "x"})
    assert bare["Location"] == reverse("reports:queue")


def test_a_bad_cursor_shows_the_first_page_and_says_so(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    report, _ = submit(cast.district)
    client = client_for("aa_officer")
    for cursor in ("garbage", "eyJkIjoibiJ9:AAAA", "%00", "a" * 5000):
        response = client.get(reverse("reports:queue"), {"cursor": cursor})
        assert response.status_code == 200
        html = response.content.decode()
        assert "첫 쪽을 보여 드립니다" in html
        assert report.number in html
    assert "첫 쪽을 보여 드립니다" not in client.get(reverse("reports:queue")).content.decode()


def test_a_cursor_shows_only_the_lists_own_reports(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    for _ in range(26):
        submit(cast.district)
    theirs, _ = submit(cast.other)
    cursor = client_for("aa_officer").get(reverse("reports:queue")).context["page_obj"].next_cursor
    other = client_for("aa_officer_b").get(reverse("reports:queue"), {"cursor": cursor})
    assert other.status_code == 200
    assert {r.pk for r in other.context["rows"]} <= {theirs.pk}
    assert client_for("official").get(reverse("reports:queue"), {"cursor": cursor}).status_code == 404


def test_actions_through_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    report, _ = submit(cast.district)
    client = client_for("aa_officer")
    url = lambda name: reverse("reports:action", args=[report.pk, name])  # noqa: E731
    assert client.post(url("investigate")).status_code == 302
    response = client.post(url("note"), {"nt-body": ""})
    assert response.status_code == 200
    assert "form-hint-invalid" in response.content.decode()
    assert client.post(url("note"), {"nt-body": "메모"}).status_code == 302
    assert client.post(url("message"), {"ms-body": "안내"}).status_code == 302
    assert client.post(url("extend"), {"ex-working_days": "3", "ex-reason": "조사 필요"}).status_code == 302
    typed = client.post(url("close"), {"cl-outcome": "disciplinary", "cl-result_text": "징계 요구 결과"})
    assert typed.status_code == 200
    assert "징계 요구 결과" in typed.content.decode()
    ok = client.post(
        url("close"),
        {
            "cl-outcome": "disciplinary",
            "cl-result_text": "징계 요구",
            "cl-disciplinary_demand": "경징계",
            "cl-officials": [cast.official.person.pk],
        },
    )
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.status == "closed"
    again = client.post(url("investigate"))
    assert again.status_code == 200
    assert "처리할 수 없습니다" in again.content.decode()
    services.request_review(report=report, reason="재검토")
    same = client.post(url("reopen"), {"ro-handler": cast.aa_officer.pk})
    assert same.status_code == 200
    assert client.post(url("reopen"), {"ro-handler": cast.audit_staff.pk}).status_code == 302
    report.refresh_from_db()
    assert report.handler == cast.audit_staff


def test_triage_and_transfer_through_the_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    first, _ = submit(cast.district)
    second, _ = submit(cast.district)
    client = client_for("aa_officer")
    assert (
        client.post(reverse("reports:action", args=[first.pk, "not_passive"]), {"np-reason": "정당한 처리"}).status_code
        == 302
    )
    response = client.post(
        reverse("reports:action", args=[second.pk, "transfer"]),
        {"tr-to_institution": cast.other.pk, "tr-reason": "소관"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:transfers")
    assert client.get(second.get_absolute_url()).status_code == 404
    assert second.number in client.get(reverse("reports:transfers")).content.decode()
    receiver = client_for("aa_officer_b")
    assert "소관" in receiver.get(second.get_absolute_url()).content.decode()
    assert Report.objects.get(pk=second.pk).institution == cast.other
    # the first institution's staff cannot download the report's message files any more
    _ = actor_for
