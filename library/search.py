"""Korean full-text search of the published library (ADR 0016 §Search).

One selector, `search(query, filters)`, hides the database:

- SQLite: an FTS5 table with the trigram tokenizer (`library_fts`: title and body, rowid =
  the case id) holds the published cases; the services keep it in step (`sync`). Words of
  three or more characters are matched there (each word quoted, so `"`, `*`, `OR`, `NEAR(`
  are plain text) and ranked by bm25 with the title weighted ten times the body.
- PostgreSQL: two GIN indexes over the published cases only (partial indexes), one of the
  distinct three-character pieces of every word (`pa_trigrams(search_text)`), one of the
  two-character pieces (`pa_bigrams(search_text)`). A word of two or three Hangul syllables
  or ASCII letters and digits IS one piece, so the index answers it exactly and no case's
  text is read (ADR 0032: rechecking 6,000 matches of long text cost 200 ms at national
  size). A longer word asks for all its three-character pieces and is confirmed by a
  contains-check (ILIKE) of those candidates only.
- SQLite: two-character words (two Hangul syllables, "주차") cannot be matched by
  trigrams: the FTS5 table `library_bigrams` of the two-character pieces finds them, then a
  contains-check confirms the candidates.
- A one-character word is only a contains-check.
- Ranking: the cases whose title contains more of the words first, then (SQLite) FTS5's bm25,
  then the newest. The institution and unit shown with each case are read for the page's
  cases only (prefetch, not a join of every match).

Every word must match (AND). Queries are cut to MAX_QUERY characters and MAX_TERMS words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Case, F, FloatField, Func, QuerySet, Value, When
from django.db.models.expressions import Combinable, RawSQL

from core.keyset import COUNT_LIMIT, CappedPaginator
from library.models import BestPractice
from library.selectors import published_cases

FTS_TABLE = "library_fts"
BIGRAM_TABLE = "library_bigrams"
MAX_QUERY = 100
MAX_TERMS = 8
#: the shortest word trigrams can find
MIN_TRIGRAM = 3
#: the word length the two-character index serves
BIGRAM = 2
_NOT_WORD = re.compile(r"[\W_]+")
#: characters whose lower case Python and PostgreSQL agree on, so that a word of them that is
#: one piece needs no contains-check: Hangul syllables, ASCII letters and digits
_PLAIN = re.compile(r"[가-힣A-Za-z0-9]+")
TITLE_WEIGHT = 10.0


@dataclass(frozen=True)
class SearchFilters:
    institution_id: int | None = None
    policy_field: str = ""
    year: int | None = None


def terms(query: str | None) -> list[str]:
    """The words of a query: normalised (NFKC), without control characters, de-duplicated."""
    text = unicodedata.normalize("NFKC", query or "")[:MAX_QUERY]
    text = "".join(ch if not unicodedata.category(ch).startswith("C") else " " for ch in text)
    words = [w for w in re.split(r"\s+", text) if w]
    return list(dict.fromkeys(words))[:MAX_TERMS]


def search(query: str | None, filters: SearchFilters | None = None) -> QuerySet[BestPractice]:
    """Published cases matching the query and filters, best first (newest first without a
    query)."""
    filters = filters or SearchFilters()
    queryset = published_cases().prefetch_related("institution", "unit")
    if filters.institution_id is not None:
        queryset = queryset.filter(institution_id=filters.institution_id)
    if filters.policy_field:
        queryset = queryset.filter(policy_field=filters.policy_field)
    if filters.year is not None:
        queryset = queryset.filter(year=filters.year)
    words = terms(query)
    if not words:
        return queryset.order_by("-published_at", "-pk")
    if connection.vendor == "postgresql":
        return _postgres(queryset, words)
    if connection.vendor == "sqlite":
        return _sqlite(queryset, words)
    for word in words:
        queryset = queryset.filter(search_text__icontains=word)
    return _contains_ranked(queryset, words)


#: the columns the public list shows (the rest, the long texts above all, stay in the table)
LISTED = ("id", "title", "institution_id", "unit_id", "policy_field", "year", "problem", "view_count", "published_at")


def paginator(query: str | None, filters: SearchFilters | None, per_page: int) -> Paginator[BestPractice]:
    """The public list's pages: with words, ranked by relevance (no index serves that order),
    counting COUNT_LIMIT matches at most with no pages past them (ADR 0032); without, every
    case counted."""
    results = search(query, filters).only(*LISTED)
    if terms(query):
        return CappedPaginator(results, per_page, count_limit=COUNT_LIMIT)
    return Paginator(results, per_page)


def _contains_ranked(queryset: QuerySet[BestPractice], words: list[str]) -> QuerySet[BestPractice]:
    """The cases whose title holds more of the words first, then the newest."""
    return queryset.annotate(title_hits=_title_hits(words)).order_by("-title_hits", "-published_at", "-pk")


def _title_hits(words: list[str]) -> Combinable:
    """How many of the words the title contains (a float, to add to ranks)."""
    total: Combinable = Value(0.0)
    for word in words:
        total = total + Case(When(title__icontains=word, then=Value(1.0)), default=Value(0.0))
    return total


def pieces(text: str, size: int) -> list[str]:
    """The distinct `size`-character pieces of each word of `text`, lower-cased, in order of
    first appearance (PostgreSQL's `pa_bigrams` and `pa_trigrams` give the same sets)."""
    found: dict[str, None] = {}
    for word in _NOT_WORD.split(text.lower()):
        for i in range(len(word) - size + 1):
            found[word[i : i + size]] = None
    return list(found)


def bigrams(text: str) -> list[str]:
    return pieces(text, BIGRAM)


def trigrams(text: str) -> list[str]:
    return pieces(text, MIN_TRIGRAM)


# --- SQLite: FTS5 trigram -------------------------------------------------------------


def _fts_query(words: list[str]) -> str:
    """An FTS5 query of quoted strings: nothing the visitor types is an operator."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)


def _sqlite(queryset: QuerySet[BestPractice], words: list[str]) -> QuerySet[BestPractice]:
    long_words = [w for w in words if len(w) >= MIN_TRIGRAM]
    short_words = [w for w in words if len(w) < MIN_TRIGRAM]
    for word in short_words:
        if len(word) == BIGRAM and bigrams(word) == [word.lower()]:
            queryset = queryset.filter(
                pk__in=RawSQL(  # noqa: S611 (constant SQL; the word is a parameter)
                    f"SELECT rowid FROM {BIGRAM_TABLE} WHERE {BIGRAM_TABLE} MATCH %s",  # noqa: S608
                    (_fts_query([word.lower()]),),
                )
            )
        queryset = queryset.filter(search_text__icontains=word)
    if not long_words:
        return _contains_ranked(queryset, words)
    queryset = queryset.annotate(title_hits=_title_hits(words))
    match = _fts_query(long_words)
    table = BestPractice._meta.db_table
    queryset = queryset.filter(
        # Constant SQL (table names are ours); the visitor's words are a parameter.
        pk__in=RawSQL(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", (match,))  # noqa: S608, S611
    ).annotate(
        rank=RawSQL(  # noqa: S611
            f"SELECT bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) FROM {FTS_TABLE} "  # noqa: S608
            f'WHERE {FTS_TABLE} MATCH %s AND rowid = "{table}"."id"',
            (match,),
            output_field=FloatField(),
        )
    )
    # bm25 is lower for better matches.
    return queryset.order_by("-title_hits", "rank", "-published_at", "-pk")


def sync(case: BestPractice) -> None:
    """Keep the SQLite index in step with one case: indexed while published, else not.
    Called by every service that changes a case's text or state (no-op on PostgreSQL)."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [case.pk])  # noqa: S608
        cursor.execute(f"DELETE FROM {BIGRAM_TABLE} WHERE rowid = %s", [case.pk])  # noqa: S608
        if case.status == BestPractice.Status.PUBLISHED:
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
                [case.pk, case.title, "\n".join([case.problem, case.action, case.result])],
            )
            cursor.execute(
                f"INSERT INTO {BIGRAM_TABLE} (rowid, grams) VALUES (%s, %s)",  # noqa: S608
                [case.pk, " ".join(bigrams(case.search_text))],
            )


def rebuild() -> int:
    """Rebuild the SQLite indexes from the published cases (after a restore, after
    seed_scale's bulk inserts); their number."""
    if connection.vendor != "sqlite":
        return published_cases().count()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body) "  # noqa: S608
            "SELECT id, title, problem || char(10) || action || char(10) || result "
            f"FROM {BestPractice._meta.db_table} WHERE status = %s",
            [BestPractice.Status.PUBLISHED],
        )
    return rebuild_bigrams(connection)


def rebuild_bigrams(db: BaseDatabaseWrapper) -> int:
    """Refill SQLite's two-character index from the published cases (also run by the
    migration that made it); their number. Reads and writes in batches."""
    table = BestPractice._meta.db_table
    count = 0
    last = 0
    with db.cursor() as cursor:
        cursor.execute(f"DELETE FROM {BIGRAM_TABLE}")  # noqa: S608
        while True:
            cursor.execute(
                f"SELECT id, search_text FROM {table} WHERE status = %s AND id > %s ORDER BY id LIMIT 2000",  # noqa: S608
                [BestPractice.Status.PUBLISHED, last],
            )
            batch = cursor.fetchall()
            if not batch:
                return count
            cursor.executemany(
                f"INSERT INTO {BIGRAM_TABLE} (rowid, grams) VALUES (%s, %s)",  # noqa: S608
                [(pk, " ".join(bigrams(text))) for pk, text in batch],
            )
            count += len(batch)
            last = batch[-1][0]


# --- PostgreSQL: GIN indexes of word pieces ----------------------------------------------


def contains_pattern(word: str) -> str:
    """A LIKE pattern matching `word` anywhere, its own %, _ and \\ taken literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ILike(Func):
    """`text ILIKE pattern` (PostgreSQL), which the GIN trigram index on the column serves."""

    output_field = BooleanField()

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, tuple[Any, ...]]:  # type: ignore[override]
        text_sql, text_params = compiler.compile(self.source_expressions[0])
        pattern_sql, pattern_params = compiler.compile(self.source_expressions[1])
        return f"({text_sql} ILIKE {pattern_sql})", (*text_params, *pattern_params)


class HasPieces(Func):
    """`pa_<n>grams(text) @> ARRAY[piece, ...]`: served by the partial GIN index on that
    function of search_text (library migration 0006) when the query also asks for
    published cases; the pieces are parameters. The index is exact for these arrays: the
    database reads no text to confirm a match."""

    output_field = BooleanField()
    FUNCTIONS = {BIGRAM: "pa_bigrams", MIN_TRIGRAM: "pa_trigrams"}

    def __init__(self, text: Any, size: int, found: list[str]) -> None:
        self.size = size
        super().__init__(text, *(Value(piece) for piece in found))

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, tuple[Any, ...]]:  # type: ignore[override]
        text_sql, params = compiler.compile(self.source_expressions[0])
        items = []
        for piece in self.source_expressions[1:]:
            piece_sql, piece_params = compiler.compile(piece)
            items.append(piece_sql)
            params = (*params, *piece_params)
        return f"({self.FUNCTIONS[self.size]}({text_sql}) @> ARRAY[{', '.join(items)}]::text[])", tuple(params)


def _postgres(queryset: QuerySet[BestPractice], words: list[str]) -> QuerySet[BestPractice]:
    for word in words:
        longer, shorter = trigrams(word), bigrams(word)
        if longer:
            queryset = queryset.filter(HasPieces(F("search_text"), MIN_TRIGRAM, longer))
        elif shorter:
            queryset = queryset.filter(HasPieces(F("search_text"), BIGRAM, shorter))
        if not _one_piece(word, longer or shorter):
            # A contains-check of the candidates (ILIKE on the column; Django's icontains is
            # UPPER(search_text) LIKE …): pieces found in any order, or a word with
            # punctuation; a one-character word has no index and reads every case.
            queryset = queryset.filter(ILike(F("search_text"), Value(contains_pattern(word))))
    # Every match is ranked, so the cost grows with the matches (about 1 µs each: 6,000 in
    # 8 ms at national size). pg_trgm's word_similarity to the title, as a second key, cost
    # twice that and only reordered titles without the words (ADR 0032).
    return _contains_ranked(queryset, words)


def _one_piece(word: str, found: list[str]) -> bool:
    """The word is exactly the one piece the index found (so it needs no contains-check):
    two or three characters on which both databases agree about case."""
    return _PLAIN.fullmatch(word) is not None and found == [word.lower()]
