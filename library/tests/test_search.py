"""The one search selector on either database (SQLite FTS5 trigram or PostgreSQL pg_trgm):
short Korean words, ranking, filters, odd input and bounded queries."""

from __future__ import annotations

import pytest
from django.db import connection

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
    # the page, then its institutions and units (read for the page's cases only)
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        page = list(search.search("주차장")[:10])
        assert [case.institution.name for case in page] == ["새솔구"] * 10
        assert {case.unit.name for case in page} == {cast.building.name}
    with django_assert_max_num_queries(3):  # type: ignore[operator]
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


PIECE_INDEXES = ("library_search_trigram_idx", "library_search_bigram_pub_idx")


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
    for word, index in (("주차", "library_search_bigram_pub_idx"), ("주차장", "library_search_trigram_idx")):
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
    assert "library_search_trigram_idx" in _plan(found)


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
