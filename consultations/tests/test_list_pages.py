"""The list's pages by cursor (ADR 0029): the scopes ordered by (-created_at, -pk) move by
first, previous, next and last, keep the filters in every link (full page and htmx partial),
count at most 1,000 requests, send old numbered links to the first page and answer a forged
cursor with the first page and a notice. The audit queue, ordered by its deadline, keeps
numbered pages. A cursor never widens what the actor sees."""

from __future__ import annotations

import datetime

import pytest
from django.core.paginator import Page
from django.urls import reverse
from django.utils import timezone

from consultations import selectors
from consultations.models import Consultation
from consultations.selectors import ConsultationFilters
from consultations.tests.factories import actor, submitted
from core.keyset import KeysetPage
from institutions.models import Unit
from tests import keyset_pages
from tests.cast import Cast

pytestmark = pytest.mark.django_db
URL = reverse("consultations:list")
QUEUE = reverse("consultations:queue")
S = Consultation.Status


def _requests(
    cast: Cast, count: int, *, title: str = "찾을 요청", status: str = S.SUBMITTED, unit: Unit | None = None
) -> list[int]:
    """`count` bare requests of a unit (the building department by default; submitted ones are the audit side's to
    see, drafts only the department's), in groups of seven sharing one creation time, so that
    the tie on created_at falls across a page boundary and only the pk orders it."""
    unit = unit or cast.building
    rows = Consultation.objects.bulk_create(
        Consultation(
            institution_id=unit.institution_id,
            unit=unit,
            title=f"{title} {n:04}",
            status=status,
            submission_count=0 if status == S.DRAFT else 1,
        )
        for n in range(count)
    )
    base = timezone.now() - datetime.timedelta(days=1)
    pks = [row.pk for row in rows]
    for n in range(0, count, 7):
        group = pks[n : n + 7]
        Consultation.objects.filter(pk__in=group).update(created_at=base - datetime.timedelta(minutes=n))
    return pks


def _newest_first(pks: list[int]) -> list[int]:
    return list(Consultation.objects.filter(pk__in=pks).order_by("-created_at", "-pk").values_list("pk", flat=True))


def test_the_scopes_by_date_move_by_cursor_and_the_queue_by_number(cast: Cast) -> None:
    officer = actor(cast, "aa_officer")
    for scope in (selectors.SCOPE_ALL, selectors.SCOPE_MINE):
        assert selectors.pages_by_keyset(ConsultationFilters(scope=scope))
        assert isinstance(selectors.list_page(officer, ConsultationFilters(scope=scope)), KeysetPage)
    assert not selectors.pages_by_keyset(ConsultationFilters(scope=selectors.SCOPE_QUEUE))
    assert isinstance(selectors.list_page(officer, ConsultationFilters(scope=selectors.SCOPE_QUEUE)), Page)


def test_walking_forward_and_back_keeps_the_filters_and_every_request(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _requests(cast, 62)
    _requests(cast, 5, title="다른 요청")
    _requests(cast, 3, status=S.UNDER_REVIEW)
    filters = {"scope": "all", "status": "submitted", "q": "찾을"}
    client = client_for("aa_officer")
    keyset_pages.walk(client, URL, filters, _newest_first(found), noun="사전컨설팅", size=50, rows="rows")


def test_the_htmx_results_carry_the_filters_in_their_links(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _requests(cast, 53)
    _requests(cast, 4, title="다른 요청")
    # what the filter form sends: every field, the hidden work item empty
    filters = {"scope": "all", "status": "", "q": "찾을", "work_item": ""}
    client = client_for("audit_staff")
    keyset_pages.assert_htmx_pages_keep_the_filters(
        client, URL, filters, _newest_first(found), noun="사전컨설팅", rows="rows"
    )


def test_the_departments_own_list_moves_by_cursor_too(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    ours = _requests(cast, 55, status=S.DRAFT)
    _requests(cast, 6, title="도시계획과 요청", status=S.DRAFT, unit=cast.planning)
    first, second = keyset_pages.pages(client_for("official"), URL)
    assert first.context["scope"] == "mine"
    assert keyset_pages.pks(first, "rows") + keyset_pages.pks(second, "rows") == _newest_first(ours)
    assert "도시계획과 요청" not in first.content.decode() + second.content.decode()


@pytest.mark.parametrize("hx", [False, True])
def test_a_forged_cursor_shows_the_first_page_and_says_so(cast: Cast, client_for, hx: bool) -> None:  # type: ignore[no-untyped-def]
    expected = _newest_first(_requests(cast, 52))
    # another list's cursor
    theirs = keyset_pages.signed("core.keyset:reports.Report:due_on,pk", {"d": "n", "k": ["2026-01-01", 1], "s": 26})
    keyset_pages.assert_forged_cursor_gives_first_page(
        client_for("aa_officer"),
        URL,
        expected[:50],
        data={"scope": "all"},
        hx=hx,
        rows="rows",
        salt="core.keyset:consultations.Consultation:-created_at,-pk",
        other_list=theirs,
        no_keys=({"d": "n", "k": ["not a time", 1], "s": 51}, {"d": "n", "k": [None, None]}),
    )


def test_old_numbered_links_go_to_the_first_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    keyset_pages.assert_old_page_link_redirects(
        client, URL, {"page": "3", "scope": "all", "q": "도로"}, f"{URL}?scope=all&q=%EB%8F%84%EB%A1%9C"
    )
    # "mine", the default
    keyset_pages.assert_old_page_link_redirects(client_for("official"), URL, {"page": "2", "cursor": "x"}, URL)
    # the queue's address with another scope moves by cursor as well
    keyset_pages.assert_old_page_link_redirects(client, QUEUE, {"scope": "all", "page": "2"}, f"{QUEUE}?scope=all")


def test_the_audit_queue_keeps_numbered_pages(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _requests(cast, 53)
    client = client_for("aa_officer")
    second = client.get(QUEUE, {"page": "2"})
    assert second.status_code == 200
    page = second.context["page_obj"]
    assert (page.number, page.paginator.count, len(second.context["rows"])) == (2, 53, 3)
    html = second.content.decode()
    assert "사전컨설팅 53건" in html
    assert 'href="?page=1"' in html
    assert "cursor=" not in html
    assert client.get(QUEUE, {"cursor": "garbage"}).context["page_obj"].number == 1  # a cursor means nothing here


def test_the_count_stops_at_a_thousand(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _requests(cast, selectors.COUNT_LIMIT + 1)
    client = client_for("aa_officer")
    keyset_pages.assert_count_capped(
        client, URL, data={"scope": "all"}, limit=1000, noun="사전컨설팅", page_size=selectors.PAGE_SIZE, rows="rows"
    )
    assert "사전컨설팅 0건" in client.get(URL, {"scope": "all", "status": "draft"}).content.decode()


def _older(cast: Cast, count: int) -> None:
    """Requests through the services (number, deadline, officials, work item), made older than
    every other, so that they land on the second page of the list."""
    officials = [cast.official.person, cast.official2.person]
    made = [submitted(cast, title=f"오래된 요청 {n}", officials=officials) for n in range(count)]
    long_ago = timezone.now() - datetime.timedelta(days=400)
    Consultation.objects.filter(pk__in=[c.pk for c in made]).update(created_at=long_ago)


def test_query_count_is_flat_on_the_first_and_a_later_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _older(cast, 1)
    page = keyset_pages.assert_flat_on_first_and_later_page(
        client_for("aa_officer"),
        URL,
        data={"scope": "all"},
        grow_first=lambda: _older(cast, 5),
        fill=lambda: _requests(cast, 50),
        grow_later=lambda: _older(cast, 6),
    )
    assert len(page.context["rows"]) == 12
    assert "근무일 남음" in page.content.decode()  # each row's deadline, attached in one query


def test_a_cursor_shows_another_institution_nothing_of_ours(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _requests(cast, 55)
    drafts = _requests(cast, 55, title="건축과 초안", status=S.DRAFT)
    (theirs,) = _requests(cast, 1, title="다온구 요청", unit=cast.other_unit)
    Consultation.objects.filter(pk=theirs).update(created_at=timezone.now() - datetime.timedelta(days=400))
    ours = client_for("aa_officer").get(URL, {"scope": "all"}).context["page_obj"]
    department = client_for("official").get(URL, {"scope": "all"}).context["page_obj"]
    # their one request is older than every row of ours, so it lies after any cursor of ours
    keyset_pages.assert_cursors_show_only(
        client_for,
        ("aa_officer_b", "official_b"),
        URL,
        (ours.next_cursor, ours.last_cursor, department.next_cursor),
        [theirs],
        hidden=("찾을 요청", "건축과 초안"),
        data={"scope": "all"},
        rows="rows",
    )
    # another department of the same district: the building department's drafts stay its own
    other_unit = client_for("official2").get(URL, {"scope": "all", "cursor": department.next_cursor})
    assert other_unit.status_code == 200
    assert not set(keyset_pages.pks(other_unit, "rows")) & set(drafts)
    for username in ("no_role", "supervisor"):
        assert client_for(username).get(URL, {"cursor": ours.next_cursor}).status_code == 404
