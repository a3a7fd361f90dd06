"""The case list's pages by cursor (ADR 0029): the list and "my cases", ordered by
(-filed_on, -pk), move by first, previous, next and last, keep the filters in every link (full
page and htmx partial), count at most COUNT_LIMIT cases, send old numbered links to the first
page and answer a forged cursor with the first page and a notice. A cursor never widens what
the actor sees."""

from __future__ import annotations

import datetime
import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from exemptions import selectors
from exemptions.models import ExemptionCase, ExemptionOfficial
from exemptions.tests import factories as f
from institutions.models import Institution, Person
from tests import keyset_pages
from tests.cast import Cast

pytestmark = pytest.mark.django_db
URL = reverse("exemptions:list")
MINE = reverse("exemptions:mine")
S = ExemptionCase.Status
_numbers = itertools.count(10_000)  # clear of the numbers the services give


def _cases(
    cast: Cast,
    count: int,
    *,
    act: str = "찾을 행위",
    status: str = S.UNDER_REVIEW,
    institution: Institution | None = None,
    officials: list[Person] | None = None,
    days_ago: int = 10,
) -> list[int]:
    """`count` bare cases of an institution (the district by default), in groups of seven
    sharing one filing day, so that the tie on filed_on falls across a page boundary and only
    the pk orders it; each names `officials`, if given."""
    institution = institution or cast.district
    newest = timezone.localdate() - datetime.timedelta(days=days_ago)
    rows = ExemptionCase.objects.bulk_create(
        ExemptionCase(
            institution=institution,
            year=newest.year,
            number=(number := next(_numbers)),
            reference=f"면책-{number:05}",
            stage=ExemptionCase.Stage.AUDIT,
            origin=ExemptionCase.Origin.OWN_INITIATIVE,
            status=status,
            act=f"{act} {n:04}",
            matter_title="2026년 정기감사",
            matter_date=newest,
            filed_on=newest - datetime.timedelta(days=n // 7),
        )
        for n in range(count)
    )
    ExemptionOfficial.objects.bulk_create(
        ExemptionOfficial(case=case, person=person) for case in rows for person in officials or []
    )
    return [row.pk for row in rows]


def _newest_first(pks: list[int]) -> list[int]:
    return list(ExemptionCase.objects.filter(pk__in=pks).order_by("-filed_on", "-pk").values_list("pk", flat=True))


def test_walking_forward_and_back_keeps_the_filters_and_every_case(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _cases(cast, 62)
    _cases(cast, 5, act="다른 행위")
    _cases(cast, 3, status=S.DECIDED)
    filters = {"status": "under_review", "q": "찾을"}
    keyset_pages.walk(client_for("audit_staff"), URL, filters, _newest_first(found), noun="면책 건", size=50)


def test_the_htmx_results_carry_the_filters_in_their_links(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    found = _cases(cast, 53)
    _cases(cast, 4, act="다른 행위")
    # what the filter form sends: every field, the empty ones too
    filters = {"q": "찾을", "status": "", "stage": "", "decision": "", "quarter": ""}
    keyset_pages.assert_htmx_pages_keep_the_filters(
        client_for("aa_officer"), URL, filters, _newest_first(found), noun="면책 건"
    )


def test_my_cases_move_by_cursor_too(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    mine = _cases(cast, 55, officials=[cast.official.person])
    _cases(cast, 6, act="다른 사람 건", officials=[cast.official2.person])
    first, second = keyset_pages.pages(client_for("official"), MINE)
    assert "면책 건 55건" in first.content.decode()
    assert keyset_pages.pks(first) + keyset_pages.pks(second) == _newest_first(mine)
    assert "다른 사람 건" not in first.content.decode() + second.content.decode()


@pytest.mark.parametrize("hx", [False, True])
def test_a_forged_cursor_shows_the_first_page_and_says_so(cast: Cast, client_for, hx: bool) -> None:  # type: ignore[no-untyped-def]
    expected = _newest_first(_cases(cast, 52))
    # another list's cursor
    theirs = keyset_pages.signed("core.keyset:reports.Report:due_on,pk", {"d": "n", "k": ["2026-01-01", 1], "s": 26})
    keyset_pages.assert_forged_cursor_gives_first_page(
        client_for("aa_officer"),
        URL,
        expected[:50],
        hx=hx,
        salt="core.keyset:exemptions.ExemptionCase:-filed_on,-pk",
        other_list=theirs,
        no_keys=({"d": "n", "k": ["not a day", 1], "s": 51}, {"d": "n", "k": [None, None]}),
    )


def test_old_numbered_links_go_to_the_first_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("audit_staff")
    keyset_pages.assert_old_page_link_redirects(
        client, URL, {"page": "3", "status": "decided", "q": "도로"}, f"{URL}?status=decided&q=%EB%8F%84%EB%A1%9C"
    )
    keyset_pages.assert_old_page_link_redirects(client, URL, {"page": "2", "cursor": "x"}, URL)
    keyset_pages.assert_old_page_link_redirects(client_for("official"), MINE, {"page": "2"}, MINE)


def test_the_count_stops_at_the_limit(cast: Cast, client_for, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(selectors, "COUNT_LIMIT", 60)
    _cases(cast, 61)
    client = client_for("aa_officer")
    keyset_pages.assert_count_capped(client, URL, limit=60, noun="면책 건", page_size=selectors.PAGE_SIZE)
    assert "면책 건 0건" in client.get(URL, {"status": "withdrawn"}).content.decode()


def _older(cast: Cast, count: int) -> None:
    """Cases through the services (officials, applicant, work item), filed before every
    other, so that they land on the second page of the list."""
    officials = [cast.official.person, cast.official2.person]
    made = [
        f.opened(cast, act=f"오래된 행위 {n}", officials=officials, work_item=f.work_item(cast)) for n in range(count)
    ]
    made += [f.applied(cast, act=f"오래된 신청 {n}", work_item=f.work_item(cast)) for n in range(count)]
    long_ago = timezone.localdate() - datetime.timedelta(days=400)
    ExemptionCase.objects.filter(pk__in=[c.pk for c in made]).update(filed_on=long_ago)


def test_query_count_is_flat_on_the_first_and_a_later_page(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _older(cast, 1)
    page = keyset_pages.assert_flat_on_first_and_later_page(
        client_for("aa_officer"),
        URL,
        grow_first=lambda: _older(cast, 3),
        fill=lambda: _cases(cast, 50),
        grow_later=lambda: _older(cast, 3),
    )
    assert len(page.context["page_obj"]) == 14
    assert cast.official2.person.name in page.content.decode()  # each row's officials, prefetched


def test_a_cursor_shows_another_institution_nothing_of_ours(cast: Cast, client_for) -> None:  # type: ignore[no-untyped-def]
    _cases(cast, 55)
    named = _cases(cast, 55, act="건축과 건", officials=[cast.official.person])
    (theirs,) = _cases(
        cast, 1, act="다온구 행위", institution=cast.other, officials=[cast.official_b.person], days_ago=400
    )
    ours = client_for("aa_officer").get(URL).context["page_obj"]
    official = client_for("official").get(URL).context["page_obj"]
    # their one case is older than every case of ours, so it lies after any cursor of ours
    keyset_pages.assert_cursors_show_only(
        client_for,
        ("aa_officer_b", "official_b"),
        URL,
        (ours.next_cursor, ours.last_cursor, official.next_cursor),
        [theirs],
        hidden=("찾을 행위", "건축과 건"),
    )
    # an official of the same district sees only the cases naming them, whatever the cursor
    other_official = client_for("official2").get(URL, {"cursor": ours.next_cursor})
    assert other_official.status_code == 200
    assert keyset_pages.pks(other_official) == []
    following = client_for("official").get(URL, {"cursor": official.next_cursor})
    assert set(keyset_pages.pks(following)) <= set(named)
    for username in ("no_role", "head"):
        assert client_for(username).get(URL, {"cursor": ours.next_cursor}).status_code == 404
        assert client_for(username).get(MINE, {"cursor": ours.next_cursor}).status_code == 404
