"""Korean full-text search of the published library (ADR 0016 §Search).

One selector, `search(query, filters)`, hides the database:

- SQLite: an FTS5 table with the trigram tokenizer (`library_fts`: title and body, rowid =
  the case id) holds the published cases; the services keep it in step (`sync`). Words of
  three or more characters are matched there (each word quoted, so `"`, `*`, `OR`, `NEAR(`
  are plain text) and ranked by bm25 with the title weighted ten times the body.
- PostgreSQL: pg_trgm, a GIN trigram index on `search_text`; a word matches as a substring
  (ILIKE, served by the index), and ranks by the word's similarity to the title.
- Two-character words (two Hangul syllables, "주차") cannot be matched by trigrams: an
  index of the two-character pieces of every word finds them (PostgreSQL: a GIN index on
  `pa_bigrams(search_text)`; SQLite: the FTS5 table `library_bigrams`), then a
  contains-check confirms the candidates. A one-character word is only a contains-check.
  A title that contains the words ranks first.

Every word must match (AND). Queries are cut to MAX_QUERY characters and MAX_TERMS words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Case, F, FloatField, Func, QuerySet, Value, When
from django.db.models.expressions import Combinable, RawSQL

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
    queryset = published_cases().select_related("institution", "unit")
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
    return _contains(queryset, words).order_by(F("title_hits").desc(), "-published_at", "-pk")


def _title_hits(words: list[str]) -> Combinable:
    """How many of the words the title contains (a float, to add to ranks)."""
    total: Combinable = Value(0.0)
    for word in words:
        total = total + Case(When(title__icontains=word, then=Value(1.0)), default=Value(0.0))
    return total


def bigrams(text: str) -> list[str]:
    """The distinct two-character pieces of each word of `text`, lower-cased, in order of
    first appearance (PostgreSQL's `pa_bigrams` gives the same set)."""
    pieces: dict[str, None] = {}
    for word in _NOT_WORD.split(text.lower()):
        for i in range(len(word) - 1):
            pieces[word[i : i + 2]] = None
    return list(pieces)


def _contains(queryset: QuerySet[BestPractice], words: list[str]) -> QuerySet[BestPractice]:
    for word in words:
        queryset = queryset.filter(search_text__icontains=word)
    return queryset.annotate(title_hits=_title_hits(words))


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
    queryset = queryset.annotate(title_hits=_title_hits(words))
    if not long_words:
        return queryset.order_by("-title_hits", "-published_at", "-pk")
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


# --- PostgreSQL: pg_trgm --------------------------------------------------------------


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


class HasBigram(Func):
    """`pa_bigrams(text) @> ARRAY[piece]`: served by the GIN index on pa_bigrams(search_text)
    (migration library 0004); the piece is a parameter."""

    output_field = BooleanField()

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, tuple[Any, ...]]:  # type: ignore[override]
        text_sql, text_params = compiler.compile(self.source_expressions[0])
        piece_sql, piece_params = compiler.compile(self.source_expressions[1])
        return f"(pa_bigrams({text_sql}) @> ARRAY[{piece_sql}]::text[])", (*text_params, *piece_params)


class WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


def _postgres(queryset: QuerySet[BestPractice], words: list[str]) -> QuerySet[BestPractice]:
    rank: Combinable = Value(0.0)
    for word in words:
        if len(word) < MIN_TRIGRAM:
            if len(word) == BIGRAM and bigrams(word) == [word.lower()]:
                queryset = queryset.filter(HasBigram(F("search_text"), Value(word.lower())))
            queryset = queryset.filter(ILike(F("search_text"), Value(contains_pattern(word))))
        else:
            # A substring, as SQLite's trigram FTS matches: ILIKE on the column itself, which
            # the GIN trigram index serves (Django's icontains is UPPER(search_text) LIKE …,
            # which no index serves). Word similarity only ranks: as a filter (`<%`) the
            # planner evaluated it on every published case (200 ms for 2,000 cases).
            queryset = queryset.filter(ILike(F("search_text"), Value(contains_pattern(word))))
            # the title only: in the text a substring match scores 1 whatever its place, and
            # reading every match's whole text to say so cost 600 ms at 6,000 matches
            rank = rank + WordSimilarity(Value(word), F("title"))
    queryset = queryset.annotate(title_hits=_title_hits(words), rank=rank)
    return queryset.order_by("-title_hits", "-rank", "-published_at", "-pk")
