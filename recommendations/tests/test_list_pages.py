"""The verifiers' queue in pages by cursor (ADR 0029): the open recommendations (the default),
every state and the verified list move by first, previous, next and last, keep the filters in
every link (full page and htmx partial), count at most COUNT_LIMIT recommendations, send old
numbered links to the first page and answer a forged cursor with the first page and a notice.
A cursor never widens what the actor sees."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from core.access import actor_for
from recommendations import selectors, services
from recommendations.models import Recommendation
from recommendations.tests.factories import submit
from recommendations.workflow import OPEN
from tests import keyset_pages
from tests.cast import Cast

pytestmark = pytest.mark.django_db
URL = reverse("recommendations:queue")
S = Recommendation.Status
_keys = itertools.count(1)


def _recommendations(
    cast: Cast, count: int, *, name: str = "찾을 공무원", status: str = S.RECEIVED, institution: Any = None
) -> list[int]:
    """`count` bare recommendations of an institution (the district by default), in groups of
    seven sharing one time of arrival (and, once decided, one time of decision), so that the
    tie falls across a page boundary and only the pk orders it."""
    institution = institution or cast.district
    rows = Recommendation.objects.bulk_create(
        Recommendation(
            institution=institution,
            number=f"추천-{(key := next(_keys)):05}",
            nominee_name=f"{name} {n:04}",
            what="민원을 한 번에 해결했습니다.",
            effect="처리 기간이 줄었습니다.",
            receipt_hash=f"receipt-{key}",
            submission_key=f"form-{key}",
            status=status,
        )
        for n in range(count)
    )
    base = timezone.now() - datetime.timedelta(days=1)
    pks = [row.pk for row in rows]
    decided = status in (S.VERIFIED, S.NOT_VERIFIED)
    for n in range(0, count, 7):
        at = base - datetime.timedelta(minutes=n)
        Recommendation.objects.filter(pk__in=pks[n : n + 7]).update(
            created_at=at - datetime.timedelta(days=10), decided_at=at if decided else None
        )
    return pks


def _in_order(pks: list[int], *ordering: str) -> list[int]:
    return list(Recommendation.objects.filter(pk__in=pks).order_by(*ordering).values_list("pk", flat=True))


def _newest_first(pks: list[int]) -> list[int]:
    return _in_order(pks, "-created_at", "-pk")


def test_the_open_list_is_served_by_its_own_index() -> None:
    """The partial index of the default list names the workflow's open states (spelt out in
    the model, which the workflow imports)."""
    (index,) = [i for i in Recommendation._meta.indexes if i.name == "rec_inst_open_idx"]
    assert index.condition is not None
    ((lookup, states),) = index.condition.children
    assert lookup == "status__in"
    assert set(states) == set(OPEN)


def test_walking_forward_and_back_keeps_the_filters_and_every_recommendation(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _recommendations(cast, 31) + _recommendations(cast, 31, status=S.VERIFYING)
    _recommendations(cast, 5, name="다른 공무원")
    _recommendations(cast, 3, status=S.NOT_VERIFIED)  # decided: not in the open list
    client = client_for("aa_officer")
    keyset_pages.walk(client, URL, {"q": "찾을"}, _newest_first(found), noun="추천", size=25, rows="rows")


def test_the_verified_list_moves_by_the_time_of_decision(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    verified = _recommendations(cast, 30, status=S.VERIFIED)
    _recommendations(cast, 4, status=S.NOT_VERIFIED)
    # all arrived at once: only the time of decision (and the pk) orders the list
    Recommendation.objects.filter(pk__in=verified).update(created_at=timezone.now() - datetime.timedelta(days=30))
    expected = _in_order(verified, "-decided_at", "-pk")
    client = client_for("hr_officer")
    first, second = keyset_pages.pages(client, URL, {"status": "verified"})
    assert "확인 완료(포상 후보) 30건" in first.content.decode()
    assert keyset_pages.pks(first, "rows") + keyset_pages.pks(second, "rows") == expected
    assert keyset_pages.position(second.content.decode()) == "26–30번째"
    # a cursor of the list by arrival is no cursor of the list by decision
    by_arrival = client.get(URL, {"status": "all"}).context["page_obj"].next_cursor
    moved = client.get(URL, {"status": "verified", "cursor": by_arrival})
    assert keyset_pages.NOTICE in moved.content.decode()
    assert keyset_pages.pks(moved, "rows") == expected[:25]


def test_the_htmx_results_carry_the_filters_in_their_links(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _recommendations(cast, 28, status=S.NOT_VERIFIED)
    _recommendations(cast, 4, name="다른 공무원", status=S.NOT_VERIFIED)
    filters = {"status": "not_verified", "q": "찾을"}  # what the filter form sends
    client = client_for("aa_officer")
    keyset_pages.assert_htmx_pages_keep_the_filters(
        client, URL, filters, _newest_first(found), noun="추천", rows="rows"
    )


@pytest.mark.parametrize("hx", [False, True])
def test_a_forged_cursor_shows_the_first_page_and_says_so(cast: Cast, client_for, hx: bool) -> None:  # type: ignore[no-untyped-def]
    expected = _newest_first(_recommendations(cast, 27))
    # another list's cursor
    theirs = keyset_pages.signed("core.keyset:reports.Report:due_on,pk", {"d": "n", "k": ["2026-01-01", 1], "s": 26})
    keyset_pages.assert_forged_cursor_gives_first_page(
        client_for("aa_officer"),
        URL,
        expected[:25],
        hx=hx,
        rows="rows",
        salt="core.keyset:recommendations.Recommendation:-created_at,-pk",
        other_list=theirs,
        no_keys=({"d": "n", "k": ["not a time", 1], "s": 26}, {"d": "n", "k": [None, None]}),
    )


def test_old_numbered_links_go_to_the_first_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    keyset_pages.assert_old_page_link_redirects(
        client, URL, {"page": "3", "status": "verified", "q": "김"}, f"{URL}?status=verified&q=%EA%B9%80"
    )
    keyset_pages.assert_old_page_link_redirects(client, URL, {"page": "²", "cursor": "x"}, URL)


def test_the_count_stops_at_the_limit(cast: Cast, client_for, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 30)
    _recommendations(cast, 31)
    _recommendations(cast, 31, status=S.VERIFIED)
    client = client_for("aa_officer")
    keyset_pages.assert_count_capped(client, URL, limit=30, noun="추천", page_size=selectors.PAGE_SIZE, rows="rows")
    assert "확인 완료(포상 후보) 30건 이상" in client.get(URL, {"status": "verified"}).content.decode()
    assert "추천 0건" in client.get(URL, {"status": "awaiting_reply"}).content.decode()


def _older(cast: Cast, count: int) -> None:
    """Recommendations through the services (handler, nominee and their unit), arrived before
    every other, so that they land on the second page of the list."""
    officer = actor_for(cast.aa_officer)
    made = []
    for _ in range(count):
        rec, _code = submit(cast.district, nominee_name="오래된 추천")
        services.start(actor=officer, rec=rec)
        made.append(rec.pk)
    Recommendation.objects.filter(pk__in=made).update(created_at=timezone.now() - datetime.timedelta(days=400))


def test_query_count_is_flat_on_the_first_and_a_later_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _older(cast, 1)
    page = keyset_pages.assert_flat_on_first_and_later_page(
        client_for("aa_officer"),
        URL,
        grow_first=lambda: _older(cast, 3),
        fill=lambda: _recommendations(cast, 25),
        grow_later=lambda: _older(cast, 3),
    )
    assert len(page.context["rows"]) == 7
    assert cast.aa_officer.person.name in page.content.decode()  # each row's handler, joined


def test_a_cursor_shows_another_institution_nothing_of_ours(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _recommendations(cast, 55)
    _recommendations(cast, 30, name="확인된 공무원", status=S.VERIFIED)
    (theirs,) = _recommendations(cast, 1, name="다온구 공무원", institution=cast.other)
    Recommendation.objects.filter(pk=theirs).update(created_at=timezone.now() - datetime.timedelta(days=400))
    ours = client_for("aa_officer").get(URL).context["page_obj"]
    # their one recommendation arrived before every one of ours, so it lies after any cursor of ours
    keyset_pages.assert_cursors_show_only(
        client_for,
        ("aa_officer_b",),
        URL,
        (ours.next_cursor, ours.last_cursor),
        [theirs],
        hidden=("찾을 공무원",),
        rows="rows",
    )
    verified = client_for("hr_officer").get(URL, {"status": "verified"}).context["page_obj"]
    theirs_verified = client_for("aa_officer_b").get(URL, {"status": "verified", "cursor": verified.next_cursor})
    assert theirs_verified.status_code == 200
    assert keyset_pages.pks(theirs_verified, "rows") == []
    for username in ("official", "head", "admin", "audit_staff", "protection_officer", "no_role"):
        assert client_for(username).get(URL, {"cursor": ours.next_cursor}).status_code == 404
