"""The office list's pages by cursor (ADR 0029), every scope: "mine" and "all" newest first
(-created_at, -pk), the review queue oldest request first (submitted_at, pk). Each moves by
first, previous, next and last, keeps the filters in every link (full page and htmx
partial), counts at most COUNT_LIMIT cases, sends old numbered links to the first page and
answers a forged cursor with the first page and a notice. A cursor never widens what the
actor sees, and the refused roles stay refused."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.keyset import KeysetPage
from institutions.models import Unit
from library import selectors
from library.models import BestPractice
from library.selectors import CaseFilters
from library.tests.factories import actor, in_review, published
from tests import keyset_pages
from tests.cast import Cast

pytestmark = pytest.mark.django_db
URL = reverse("library:list")
QUEUE = reverse("library:queue")
S = BestPractice.Status


def _cases(
    cast: Cast,
    count: int,
    *,
    title: str = "찾을 사례",
    status: str = S.PUBLISHED,
    author: User | None = None,
    unit: Unit | None = None,
) -> list[int]:
    """`count` bare cases (written by official2 of the planning department unless told), in
    groups of seven sharing one creation time (and request time), so that the tie falls
    across a page boundary and only the pk orders it."""
    author = author or cast.official2
    unit = unit or cast.planning
    now = timezone.now()
    rows = BestPractice.objects.bulk_create(
        BestPractice(
            institution_id=unit.institution_id,
            unit=unit,
            title=f"{title} {n:04}",
            policy_field=BestPractice.PolicyField.URBAN,
            year=2025,
            status=status,
            author=author,
            submitted_at=None if status == S.DRAFT else now,
            published_at=now if status == S.PUBLISHED else None,
        )
        for n in range(count)
    )
    base = now - datetime.timedelta(days=1)
    pks = [row.pk for row in rows]
    for n in range(0, count, 7):
        at = base - datetime.timedelta(minutes=n)
        group = BestPractice.objects.filter(pk__in=pks[n : n + 7])
        group.update(created_at=at)
        group.exclude(status=S.DRAFT).update(submitted_at=at)
    return pks


def _newest_first(pks: list[int]) -> list[int]:
    return list(BestPractice.objects.filter(pk__in=pks).order_by("-created_at", "-pk").values_list("pk", flat=True))


def _oldest_request_first(pks: list[int]) -> list[int]:
    return list(BestPractice.objects.filter(pk__in=pks).order_by("submitted_at", "pk").values_list("pk", flat=True))


def test_every_scope_moves_by_cursor(cast: Cast) -> None:
    reviewer = actor(cast.aa_officer)
    for scope in (selectors.SCOPE_MINE, selectors.SCOPE_QUEUE, selectors.SCOPE_ALL):
        assert isinstance(selectors.list_page(reviewer, CaseFilters(scope=scope)), KeysetPage)


def test_walking_forward_and_back_keeps_the_filters_and_every_case(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _cases(cast, 42)
    _cases(cast, 5, title="다른 사례")
    _cases(cast, 3, status=S.IN_REVIEW)
    filters = {"scope": "all", "status": "published", "q": "찾을"}
    keyset_pages.walk(client_for("aa_officer"), URL, filters, _newest_first(found), noun="우수사례", size=30)


def test_the_queue_moves_oldest_request_first(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    waiting = _cases(cast, 33, status=S.IN_REVIEW)
    _cases(cast, 4, title="공개 사례")
    first, second = keyset_pages.pages(client_for("aa_officer"), QUEUE)
    assert first.context["scope"] == "queue"
    html = first.content.decode()
    assert "우수사례 33건" in html
    assert keyset_pages.pks(first) + keyset_pages.pks(second) == _oldest_request_first(waiting)
    assert keyset_pages.position(second.content.decode()) == "31–33번째"
    assert "공개 사례" not in html + second.content.decode()


def test_my_own_cases_move_by_cursor_too(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    mine = _cases(cast, 35, status=S.DRAFT, author=cast.official, unit=cast.building)
    _cases(cast, 6, title="남의 초안", status=S.DRAFT)
    first, second = keyset_pages.pages(client_for("official"), URL)
    assert first.context["scope"] == "mine"
    assert keyset_pages.pks(first) + keyset_pages.pks(second) == _newest_first(mine)
    assert "남의 초안" not in first.content.decode() + second.content.decode()


def test_the_htmx_results_carry_the_filters_in_their_links(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _cases(cast, 33)
    _cases(cast, 4, title="다른 사례")
    # what the filter form sends: every field, the empty ones too
    filters = {"scope": "all", "status": "", "q": "찾을"}
    keyset_pages.assert_htmx_pages_keep_the_filters(
        client_for("hr_officer"), URL, filters, _newest_first(found), noun="우수사례"
    )


@pytest.mark.parametrize("hx", [False, True])
def test_a_forged_cursor_shows_the_first_page_and_says_so(cast: Cast, client_for, hx: bool) -> None:  # type: ignore[no-untyped-def]
    expected = _newest_first(_cases(cast, 32))
    # another list's cursor: the review queue's
    their_key = {"d": "n", "k": ["2026-01-01T00:00:00+00:00", 1], "s": 31}
    theirs = keyset_pages.signed("core.keyset:library.BestPractice:submitted_at,pk", their_key)
    keyset_pages.assert_forged_cursor_gives_first_page(
        client_for("aa_officer"),
        URL,
        expected[:30],
        data={"scope": "all"},
        hx=hx,
        salt="core.keyset:library.BestPractice:-created_at,-pk",
        other_list=theirs,
        no_keys=({"d": "n", "k": ["not a time", 1], "s": 31}, {"d": "n", "k": [None, None]}),
    )


def test_old_numbered_links_go_to_the_first_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("aa_officer")
    keyset_pages.assert_old_page_link_redirects(
        client, URL, {"page": "3", "scope": "all", "q": "주차"}, f"{URL}?scope=all&q=%EC%A3%BC%EC%B0%A8"
    )
    keyset_pages.assert_old_page_link_redirects(client, QUEUE, {"page": "2", "cursor": "x"}, QUEUE)
    keyset_pages.assert_old_page_link_redirects(client_for("official"), URL, {"page": "2"}, URL)


def test_the_count_stops_at_the_limit(cast: Cast, client_for, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 40)
    _cases(cast, 41)
    client = client_for("aa_officer")
    keyset_pages.assert_count_capped(
        client, URL, data={"scope": "all"}, limit=40, noun="우수사례", page_size=selectors.PAGE_SIZE
    )
    assert "우수사례 0건" in client.get(URL, {"scope": "all", "status": "draft"}).content.decode()


def _older(cast: Cast, count: int) -> None:
    """Cases through the services (history, officials, reviewer), of both departments, made
    older than every other, so that they land on the second page of the list."""
    made = []
    for n in range(count):
        user = cast.official if n % 2 else cast.official2
        officials = [cast.official.person, cast.official2.person]
        made.append(published(cast, user=user, title=f"오래된 사례 {n}", officials=officials))
        made.append(in_review(cast, user=user, title=f"검토 중 사례 {n}"))
    long_ago = timezone.now() - datetime.timedelta(days=400)
    BestPractice.objects.filter(pk__in=[c.pk for c in made]).update(created_at=long_ago)


def test_query_count_is_flat_on_the_first_and_a_later_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _older(cast, 1)
    page = keyset_pages.assert_flat_on_first_and_later_page(
        client_for("aa_officer"),
        URL,
        data={"scope": "all"},
        grow_first=lambda: _older(cast, 4),
        fill=lambda: _cases(cast, 30),
        grow_later=lambda: _older(cast, 5),
    )
    assert len(page.context["page_obj"]) == 20


def test_a_cursor_shows_another_institution_nothing_of_ours(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _cases(cast, 35)
    drafts = _cases(cast, 35, title="건축과 초안", status=S.DRAFT, author=cast.official, unit=cast.building)
    (theirs,) = _cases(cast, 1, title="다온구 사례", author=cast.official_b, unit=cast.other_unit)
    BestPractice.objects.filter(pk=theirs).update(created_at=timezone.now() - datetime.timedelta(days=400))
    ours = client_for("aa_officer").get(URL, {"scope": "all"}).context["page_obj"]
    own = client_for("official").get(URL).context["page_obj"]
    # their one case is older than every case of ours, so it lies after any cursor of ours
    keyset_pages.assert_cursors_show_only(
        client_for,
        ("aa_officer_b", "official_b"),
        URL,
        (ours.next_cursor, ours.last_cursor, own.next_cursor),
        [theirs],
        hidden=("찾을 사례", "건축과 초안"),
        data={"scope": "all"},
    )
    # another official of the same district: the building department's drafts stay its author's
    other_author = client_for("official2").get(URL, {"scope": "all", "cursor": own.next_cursor})
    assert other_author.status_code == 200
    assert not set(keyset_pages.pks(other_author)) & set(drafts)


@pytest.mark.parametrize("username", ["no_role", "head", "admin", "supervisor"])
def test_the_refused_stay_refused_with_a_cursor_or_an_old_link(cast: Cast, client_for, username: str) -> None:  # type: ignore[no-untyped-def]
    _cases(cast, 35)
    cursor = client_for("aa_officer").get(URL, {"scope": "all"}).context["page_obj"].next_cursor
    client = client_for(username)
    for url in (URL, QUEUE):
        assert client.get(url, {"scope": "all", "cursor": cursor}).status_code == 404
        assert client.get(url, {"page": "2"}).status_code == 404


def test_the_queue_is_refused_to_writers_with_a_cursor(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _cases(cast, 35, status=S.IN_REVIEW)
    cursor = client_for("aa_officer").get(QUEUE).context["page_obj"].next_cursor
    official = client_for("official")
    assert official.get(QUEUE, {"cursor": cursor}).status_code == 404
    assert official.get(QUEUE, {"page": "2"}).status_code == 404
