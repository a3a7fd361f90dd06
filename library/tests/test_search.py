"""The one search selector on either database (SQLite FTS5 trigram or PostgreSQL pg_trgm):
short Korean words, ranking, filters, odd input and bounded queries."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.urls import reverse

from library import search, services
from library.models import BestPractice
from library.search import SearchFilters
from library.tests.factories import BestPracticeFactory, actor, published, write
from tests.cast import Cast

F = BestPractice.PolicyField


def titles(query: str, filters: SearchFilters | None = None) -> list[str]:
    return [case.title for case in search.search(query, filters)]


@pytest.fixture
def library(cast: Cast) -> Cast:
    published(
        cast,
        title="주차장 공유로 주차난 해소",
        problem="주택가에 주차할 곳이 없었습니다.",
        action="학교 운동장을 야간에 개방했습니다.",
        result="민원이 줄었습니다.",
        policy_field=F.URBAN,
        year=2025,
    )
    published(
        cast,
        title="폭염 취약계층 안부 확인",
        problem="홀로 사는 어르신이 위험했습니다.",
        action="방문 간호사가 안부를 확인했고, 복지관 주차장을 쉼터로 썼습니다.",
        result="위험 가구를 찾았습니다.",
        policy_field=F.WELFARE,
        year=2024,
    )
    published(
        cast,
        user=cast.official2,
        title="건축허가 사전 상담",
        problem="서류 보완이 잦았습니다.",
        action="사전 상담 창구를 열었습니다.",
        result="처리기간이 줄었습니다.",
        policy_field=F.CIVIL,
        year=2025,
    )
    write(cast, title="주차 정책 초안(공개 전)")
    return cast


def test_a_two_syllable_word_finds_its_cases_with_the_title_hit_first(library: Cast) -> None:
    assert titles("주차") == ["주차장 공유로 주차난 해소", "폭염 취약계층 안부 확인"]


def test_a_longer_word_is_ranked_with_the_title_hit_first(library: Cast) -> None:
    assert titles("주차장") == ["주차장 공유로 주차난 해소", "폭염 취약계층 안부 확인"]


def test_a_word_in_the_body_only_is_found(library: Cast) -> None:
    assert titles("간호사") == ["폭염 취약계층 안부 확인"]
    assert titles("창구") == ["건축허가 사전 상담"]


def test_every_word_must_match(library: Cast) -> None:
    assert titles("주차장 쉼터") == ["폭염 취약계층 안부 확인"]
    assert titles("주차 상담") == []


def test_no_query_lists_the_newest_first(library: Cast) -> None:
    assert titles("") == ["건축허가 사전 상담", "폭염 취약계층 안부 확인", "주차장 공유로 주차난 해소"]


def test_filters_combine_with_the_query(library: Cast) -> None:
    assert titles("", SearchFilters(year=2025)) == ["건축허가 사전 상담", "주차장 공유로 주차난 해소"]
    assert titles("", SearchFilters(year=2025, policy_field=F.URBAN)) == ["주차장 공유로 주차난 해소"]
    assert titles("주차", SearchFilters(policy_field=F.WELFARE)) == ["폭염 취약계층 안부 확인"]
    assert titles("주차", SearchFilters(institution_id=library.district.pk, year=2024)) == ["폭염 취약계층 안부 확인"]
    assert titles("주차", SearchFilters(institution_id=library.other.pk)) == []


def test_drafts_and_unpublished_cases_are_never_found(library: Cast) -> None:
    assert "주차 정책 초안(공개 전)" not in titles("주차")
    case = BestPractice.objects.get(title="주차장 공유로 주차난 해소")
    services.case_unpublish(actor=actor(library.aa_officer), case=case, reason="정정")
    assert titles("주차장") == ["폭염 취약계층 안부 확인"]
    assert titles("공유로") == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '""',
        "*",
        "주차*",
        "OR",
        "주차 OR 폭염",
        "NEAR(",
        "NEAR(주차장 폭염)",
        '주차장" OR "폭염',
        "AND NOT",
        "title:주차장",
        "^주차장",
        "'; DROP TABLE library_bestpractice; --",
        "%",
        "_",
        "100%",
        "\x00\x01주차",
        "😀😀😀",
        "주" * 10_000,
        "주차장 " * 500,
        "주-",
        "_주",
        "A",
        "ab",
    ],
)
def test_odd_input_never_fails(library: Cast, query: str) -> None:
    found = titles(query)
    assert isinstance(found, list)
    assert "주차 정책 초안(공개 전)" not in found


def test_operators_are_searched_as_text(library: Cast) -> None:
    assert titles("주차 OR 폭염") == []
    assert titles("NEAR(") == []
    assert titles("%") == []


def test_the_query_is_cut_to_its_first_words(library: Cast) -> None:
    assert search.terms("가 나 다 라 마 바 사 아 자 차") == ["가", "나", "다", "라", "마", "바", "사", "아"]
    assert len("".join(search.terms("주" * 10_000))) == search.MAX_QUERY
    assert search.terms("주차\x00장") == ["주차", "장"]


def test_a_page_of_results_costs_a_fixed_number_of_queries(cast: Cast, django_assert_max_num_queries: object) -> None:
    for n in range(30):
        BestPracticeFactory(unit=cast.building, title=f"주차장 사례 {n}", author=cast.official)
    # when the library's first case was published (kept in the cache after this), the
    # capped count of the first window (which reaches back to it: every match is ranked), the
    # page, then its institutions and units (read for the page's cases only)
    with django_assert_max_num_queries(5):  # type: ignore[operator]
        page = list(search.search("주차장")[:10])
        assert [case.institution.name for case in page] == ["새솔구"] * 10
        assert {case.unit.name for case in page} == {cast.building.name}
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        assert len(list(search.search("주차")[:10])) == 10


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 index exists on SQLite only")
def test_the_sqlite_index_holds_the_published_cases_only_and_rebuilds(library: Cast) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {search.FTS_TABLE}")  # noqa: S608
        assert cursor.fetchone()[0] == 3
        cursor.execute(f"DELETE FROM {search.FTS_TABLE}")  # noqa: S608
    assert titles("주차장") == []
    assert search.rebuild() == 3
    assert titles("주차장") == ["주차장 공유로 주차난 해소", "폭염 취약계층 안부 확인"]


def test_the_two_character_pieces_of_each_word() -> None:
    assert search.bigrams("주차장 공유, 주차난!") == ["주차", "차장", "공유", "차난"]
    assert search.bigrams("AI 기반 e-Gov") == ["ai", "기반", "go", "ov"]
    assert search.bigrams("가 _ ! 나") == []


PIECE_INDEXES = ("library_search_trigram_keys_idx", "library_search_bigram_keys_idx")


def _plan(queryset: object) -> str:
    """EXPLAIN of a queryset with only the piece indexes left to it: the table's other indexes
    are dropped inside the test's transaction (which rolls back) and sequential and plain
    index scans are off, since on a table of a few rows the planner prefers any of those to a
    GIN index. The piece indexes are partial: they serve the query only if it matches their
    predicate."""
    sql, params = queryset.query.sql_with_params()  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'library_bestpractice' "
            "AND indexname NOT IN (%s, %s, 'library_bestpractice_pkey')",
            PIECE_INDEXES,
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pa_bigrams exists on PostgreSQL only")
def test_postgres_pieces_match_python_and_the_indexes_answer_short_words_alone(library: Cast) -> None:
    texts = ["주차장 공유로 주차난 해소", "AI 기반 e-Government 2026년", "홀로 사는 어르신이\n위험했습니다."]
    with connection.cursor() as cursor:
        for text in texts:
            cursor.execute("SELECT pa_bigrams(%s), pa_trigrams(%s)", [text, text])
            two, three = cursor.fetchone()
            assert set(two) == set(search.bigrams(text)), text
            assert set(three) == set(search.trigrams(text)), text
    for word, index in (("주차", "library_search_bigram_keys_idx"), ("주차장", "library_search_trigram_keys_idx")):
        found = search.search(word)
        assert "ILIKE" not in str(found.query), word  # the index is exact: no case's text is read
        plan = _plan(found)
        assert index in plan, plan
        assert "Recheck Cond" not in plan or "ILIKE" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pa_trigrams exists on PostgreSQL only")
def test_postgres_longer_words_ask_for_all_their_pieces_then_check_the_candidates(cast: Cast) -> None:
    published(cast, title="가나다 마바 나다라", problem="조각은 모두 있지만 낱말은 없습니다.")
    published(cast, title="가나다라 사례", problem="낱말이 그대로 있습니다.")
    found = search.search("가나다라")
    assert [case.title for case in found] == ["가나다라 사례"]
    assert "ILIKE" in str(found.query)
    assert 'UPPER("library_bestpractice"."search_text"' not in str(found.query)
    assert "library_search_trigram_keys_idx" in _plan(found)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the piece indexes exist on PostgreSQL only")
def test_postgres_words_of_both_lengths_ask_one_index_for_all_their_pieces(library: Cast) -> None:
    found = search.search("주차장 주차")
    assert [case.title for case in found] == ["주차장 공유로 주차난 해소", "폭염 취약계층 안부 확인"]
    sql = str(found.query)
    assert "pa_trigram_keys" not in sql  # the two-character index alone, then a contains-check
    assert "ILIKE" in sql
    plan = _plan(found)
    assert "library_search_bigram_keys_idx" in plan, plan
    assert "library_search_trigram_keys_idx" not in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 tables exist on SQLite only")
def test_the_sqlite_two_character_index_serves_two_syllable_words_and_rebuilds(library: Cast) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {search.BIGRAM_TABLE}")  # noqa: S608
        assert cursor.fetchone()[0] == 3  # the published cases, not the draft
        cursor.execute(f"DELETE FROM {search.BIGRAM_TABLE}")  # noqa: S608
    assert titles("주차") == []  # the index, not a scan, found them
    assert search.rebuild() == 3
    assert titles("주차") == ["주차장 공유로 주차난 해소", "폭염 취약계층 안부 확인"]
    assert titles("차장") == ["주차장 공유로 주차난 해소", "폭염 취약계층 안부 확인"]


def test_like_wildcards_typed_by_the_visitor_are_literal(cast: Cast) -> None:
    published(cast, title="민원 38% 감소", problem="처리기간_단축 사례입니다.")
    assert titles("38%") == ["민원 38% 감소"]
    assert titles("3_%") == []
    assert titles("기간_단") == ["민원 38% 감소"]
    assert titles("기간x단") == []


def test_ascii_words_match_whatever_their_case_and_the_unpublished_never(cast: Cast) -> None:
    published(cast, title="CCTV 설치로 안전 강화", problem="AI 분석도 썼습니다.")
    write(cast, title="CCTV 초안", problem="AI 없음")
    for query in ("cctv", "CCTV", "Cctv", "ai", "AI 설치", "cct"):
        assert titles(query) == ["CCTV 설치로 안전 강화"], query


# --- The window of recent months (ADR 0037) ------------------------------------------------

NOW = datetime.datetime(2026, 12, 7, 9, tzinfo=datetime.UTC)


def _published_on(cast: Cast, day: datetime.date, **values: Any) -> BestPractice:
    case = published(cast, **values)
    at = datetime.datetime.combine(day, datetime.time(6), tzinfo=datetime.UTC)
    BestPractice.objects.filter(pk=case.pk).update(published_at=at)
    return case


def _library_of(cast: Cast, *cases: tuple[datetime.date, str, str]) -> None:
    """Published cases: (day published, title, problem)."""
    for day, title, problem in cases:
        _published_on(cast, day, title=title, problem=problem)


@pytest.fixture
def window_of_two(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """More than two matches make a window; the clock stands on 7 December 2026."""
    monkeypatch.setattr(search, "WINDOW_LIMIT", 2)
    with time_machine.travel(NOW, tick=False):
        yield


def test_months_and_their_keys() -> None:
    assert search.month_start(datetime.date(2026, 1, 15), 0) == datetime.date(2026, 1, 1)
    assert search.month_start(datetime.date(2026, 1, 15), 1) == datetime.date(2025, 12, 1)
    assert search.month_start(datetime.date(2026, 1, 15), 13) == datetime.date(2024, 12, 1)
    assert search.month_start(datetime.date(2026, 12, 31), -1) == datetime.date(2027, 1, 1)
    assert search.month_keys(datetime.date(2025, 12, 1), datetime.date(2026, 1, 15)) == [
        "@202512",
        "@202601",
        "@202602",
    ]


@pytest.mark.django_db
def test_a_popular_word_ranks_the_matches_of_the_recent_months_that_hold_more_than_the_limit(
    cast: Cast, window_of_two: None
) -> None:
    _library_of(
        cast,
        (datetime.date(2026, 3, 10), "정류장 그늘막", "그늘을 만들었습니다."),
        *((datetime.date(2026, 11, day), f"폭염 대책 {day}", "정류장에 그늘막을 세웠다.") for day in (2, 28, 20)),
    )
    found = search.find("정류장")
    assert found.since == datetime.date(2026, 11, 1)  # this month and the one before hold 3 > 2
    assert found.counted == (2, True)
    # the title hit of March is outside the window: only the window's matches are ranked
    assert sorted(case.title for case in found.results) == ["폭염 대책 2", "폭염 대책 20", "폭염 대책 28"]
    paginator = search.paginator("정류장", None, 12)
    assert (paginator.count, paginator.count_capped, paginator.since) == (2, True, datetime.date(2026, 11, 1))  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_the_next_window_is_sized_from_the_matches_found_and_a_rare_word_is_ranked_whole(
    cast: Cast, window_of_two: None
) -> None:
    _library_of(
        cast,
        (datetime.date(2026, 11, 5), "하천 정비", "징검다리를 놓았습니다."),
        *((datetime.date(2026, month, 5), f"징검다리 {month}월", "하천을 건넜습니다.") for month in (8, 9, 4)),
        (datetime.date(2026, 2, 5), "징검다리 2월", "오래된 사례입니다."),
    )
    found = search.find("징검다리")
    # November and the first week of December (1.23 months) hold one match: at that rate
    # 1.5 × 3 matches need six months (since July)
    assert found.since == datetime.date(2026, 7, 1)
    assert sorted(case.title for case in found.results) == ["징검다리 8월", "징검다리 9월", "하천 정비"]
    assert found.results[2].title == "하천 정비"  # the title hits first

    _published_on(cast, datetime.date(2025, 1, 5), title="다른 정비", problem="돌다리를 놓았습니다.")
    rare = search.find("돌다리")
    assert (rare.since, rare.counted) == (None, (1, False))
    assert [case.title for case in rare.results] == ["다른 정비"]


@pytest.mark.django_db
def test_the_months_are_seoul_months_on_either_database(cast: Cast, window_of_two: None) -> None:
    """1 November 01:00 in Seoul is 31 October in UTC: it is in "since November"."""
    _library_of(cast, (datetime.date(2025, 1, 5), "오래된 사례", "다른 이야기입니다."))
    for at in ("2026-10-31T16:00:00+00:00", "2026-11-20T06:00:00+00:00", "2026-12-01T06:00:00+00:00"):
        case = published(cast, title=f"공원 {at[:10]}", problem="반려견 놀이터를 열었습니다.")
        BestPractice.objects.filter(pk=case.pk).update(published_at=datetime.datetime.fromisoformat(at))
    late = published(cast, title="공원 전날", problem="반려견 놀이터를 열었습니다.")
    day_before = datetime.datetime(2026, 10, 31, 14, tzinfo=datetime.UTC)  # 23:00 in Seoul
    BestPractice.objects.filter(pk=late.pk).update(published_at=day_before)
    found = search.find("반려견")
    assert found.since == datetime.date(2026, 11, 1)
    assert sorted(case.title for case in found.results) == ["공원 2026-10-31", "공원 2026-11-20", "공원 2026-12-01"]


@pytest.mark.django_db
def test_a_year_filter_walks_back_to_its_months(cast: Cast, window_of_two: None) -> None:
    """No match in the recent months (the year's cases were published long ago): the window
    grows fourfold until it holds more than the limit, and the year's cases are ranked."""
    _library_of(
        cast,
        (datetime.date(2023, 1, 5), "가장 오래된 사례", "다른 이야기입니다."),
        *((datetime.date(2025, month, 5), f"경로당 {month}월", "경로당 냉방을 지원했습니다.") for month in (3, 6, 9)),
        (datetime.date(2026, 11, 5), "경로당 새 사례", "경로당 난방을 지원했습니다."),
    )
    BestPractice.objects.filter(title__startswith="경로당 ").exclude(title="경로당 새 사례").update(year=2024)
    found = search.find("경로당", SearchFilters(year=2024))
    # 2 months (none of 2024's), then 8 (none), then 32: since May 2024
    assert found.since == datetime.date(2024, 5, 1)
    assert sorted(case.title for case in found.results) == ["경로당 3월", "경로당 6월", "경로당 9월"]


@pytest.mark.django_db
def test_a_published_case_without_a_date_does_not_turn_the_window_off(cast: Cast, window_of_two: None) -> None:
    undated = published(cast, title="날짜 없는 사례", problem="다른 이야기입니다.")
    BestPractice.objects.filter(pk=undated.pk).update(published_at=None)
    _library_of(
        cast,
        (datetime.date(2025, 1, 5), "오래된 사례", "다른 이야기입니다."),
        *((datetime.date(2026, 11, day), f"등굣길 {day}", "등굣길 안전을 살폈습니다.") for day in (2, 3, 4)),
    )
    assert search.find("등굣길").since == datetime.date(2026, 11, 1)


@pytest.mark.django_db
def test_a_word_that_never_fills_a_window_ranks_every_match_title_hits_first(cast: Cast, window_of_two: None) -> None:
    _published_on(cast, datetime.date(2026, 12, 1), title="민원 안내", problem="수어 통역을 붙였습니다.")
    _published_on(cast, datetime.date(2023, 5, 1), title="수어 통역 영상", problem="안내 영상입니다.")
    found = search.find("수어")
    assert found.since is None
    assert [case.title for case in found.results] == ["수어 통역 영상", "민원 안내"]


@pytest.mark.django_db
def test_a_library_younger_than_the_window_is_ranked_whole_with_one_count(
    cast: Cast, window_of_two: None, django_assert_num_queries: Any
) -> None:
    for day in (2, 3, 4):
        _published_on(cast, datetime.date(2026, 11, day), title=f"버스 노선 {day}", problem="마을버스를 늘렸습니다.")
    search.find("다른")  # the first publication is read once, then kept
    with django_assert_num_queries(1):
        found = search.find("마을버스")
    assert (found.since, found.counted) == (None, (2, True))
    assert len(list(found.results)) == 3


@pytest.mark.django_db
def test_the_public_list_says_which_months_it_ranked(cast: Cast, window_of_two: None, client: Any) -> None:
    _published_on(cast, datetime.date(2024, 1, 5), title="오래된 사례", problem="다른 이야기입니다.")
    for day in (2, 3, 4):
        _published_on(cast, datetime.date(2026, 11, day), title=f"버스 노선 {day}", problem="마을버스를 늘렸습니다.")
    page = client.get(reverse("portal_library:list"), {"q": "마을버스"}).content.decode()
    assert "2026년 11월 이후 공개된 사례 가운데 관련도 순으로 앞의 2건까지" in page
    assert "'마을버스' 검색 결과 2건 이상" in page
    english = client.get(reverse("portal_library:list"), {"q": "마을버스"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "among the cases published since November 2026" in english


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pa_trigram_keys exists on PostgreSQL only")
def test_postgres_the_months_are_asked_of_the_words_index(cast: Cast, window_of_two: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pa_trigram_keys(%s, %s), pa_bigram_keys(%s, NULL)", ["가나다", NOW, "가나"])
        three, two = cursor.fetchone()
    assert set(three) == {"가나다", "@202612"}
    assert set(two) == {"가나", "@"}  # unpublished: no month any window asks for
    _published_on(cast, datetime.date(2024, 1, 5), title="오래된 사례", problem="다른 이야기입니다.")
    for day in (2, 3, 4):
        _published_on(cast, datetime.date(2026, 11, day), title=f"버스 노선 {day}", problem="마을버스를 늘렸습니다.")
    found = search.find("마을버스")
    assert found.since == datetime.date(2026, 11, 1)
    sql = str(found.results.query)
    assert "&&" in sql
    assert "published_at >=" not in sql
    plan = _plan(found.results)
    assert "library_search_trigram_keys_idx" in plan, plan
    assert "&&" in plan.split("Index Cond", 1)[-1], plan


@pytest.mark.django_db
def test_the_window_is_kept_until_a_published_case_changes_or_the_day_does(
    cast: Cast, window_of_two: None, django_assert_num_queries: Any
) -> None:
    _published_on(cast, datetime.date(2024, 1, 5), title="오래된 사례", problem="다른 이야기입니다.")
    for day in (2, 3, 4):
        _published_on(cast, datetime.date(2026, 11, day), title=f"버스 노선 {day}", problem="마을버스를 늘렸습니다.")
    first = search.find("마을버스")
    assert (first.since, first.counted) == (datetime.date(2026, 11, 1), (2, True))
    with django_assert_num_queries(0):  # the same words again: no count before the ranking
        again = search.find("마을버스")
    assert (again.since, again.counted) == (first.since, first.counted)
    assert sorted(case.title for case in again.results) == ["버스 노선 2", "버스 노선 3", "버스 노선 4"]
    # other filters are another search; one without a window is not kept (any typed text
    # would take a cache entry): it asks again, the first publication kept
    other = search.find("마을버스", SearchFilters(institution_id=cast.other.pk))
    assert (other.since, other.counted) == (None, (0, False))
    with django_assert_num_queries(4):  # 2, 8 and 32 months, then the whole library
        assert search.find("마을버스", SearchFilters(institution_id=cast.other.pk)).counted == (0, False)

    # a case published through the service moves the library's generation on
    published(cast, title="버스 노선 새 사례", problem="마을버스를 또 늘렸습니다.")
    renewed = search.find("마을버스")
    assert renewed.since == datetime.date(2026, 11, 1)
    assert len(list(renewed.results)) == 4

    # another day, another window: on 10 January December and January hold one match
    # (1.32 months of time), so 1.5 × 3 matches need six months, since August
    with time_machine.travel(datetime.datetime(2027, 1, 10, 9, tzinfo=datetime.UTC), tick=False):
        later = search.find("마을버스")
    assert (later.since, later.counted) == (datetime.date(2026, 8, 1), (2, True))


@pytest.mark.django_db
def test_only_publishing_unpublishing_a_rebuild_or_a_restore_read_the_kept_values_anew(cast: Cast) -> None:
    """The kept years and windows stand while drafts are written and reviewed."""
    from django.core.cache import cache

    from core.backup import restore_backup, restored
    from library.selectors import YEARS_GENERATION, published_years
    from library.tests.factories import in_review

    case = published(cast, title="그늘막 설치", problem="정류장에 그늘막을 세웠습니다.")
    published_years()
    before = cache.get(YEARS_GENERATION)
    draft = write(cast, title="초안", problem="아직 쓰는 중입니다.")
    services.case_update(
        actor=actor(draft.author),
        case=draft,
        unit=draft.unit,
        title="초안 수정",
        policy_field=draft.policy_field,
        year=draft.year,
        problem="고쳐 씁니다.",
        action=draft.action,
        result=draft.result,
    )
    services.case_submit(actor=actor(draft.author), case=draft)
    services.case_return(actor=actor(cast.aa_officer), case=in_review(cast), reason="보완해 주십시오.")
    assert cache.get(YEARS_GENERATION) == before
    services.case_unpublish(actor=actor(cast.aa_officer), case=case, reason="내용을 고칩니다.")
    assert cache.get(YEARS_GENERATION) != before
    moved = cache.get(YEARS_GENERATION)
    search.rebuild()
    assert cache.get(YEARS_GENERATION) != moved
    moved = cache.get(YEARS_GENERATION)
    restored.send(sender=restore_backup)
    assert cache.get(YEARS_GENERATION) != moved
