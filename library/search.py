"""Korean full-text search of the published library (ADR 0016 §Search).

One selector, `search(query, filters)`, hides the database:

- SQLite: an FTS5 table with the trigram tokenizer (`library_fts`: title and body, rowid =
  the case id) holds the published cases; the services keep it in step (`sync`). Words of
  three or more characters are matched there (each word quoted, so `"`, `*`, `OR`, `NEAR(`
  are plain text) and ranked by bm25 with the title weighted ten times the body.
- PostgreSQL: two GIN indexes over the published cases only (partial indexes), one of the
  distinct three-character pieces of every word, one of the two-character pieces, each with
  the month of publication as one more element (`pa_trigram_keys(search_text,
  published_at)`, `pa_bigram_keys(…)`, library migration 0008). A word of two or three Hangul syllables
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
- The window (ADR 0037): a query matching more than WINDOW_LIMIT cases ranks those published
  in the fewest recent months that hold more than that many, so its cost stops growing
  with the library; the page says from which month.

Every word must match (AND). Queries are cut to MAX_QUERY characters and MAX_TERMS words.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
import unicodedata
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Case, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.expressions import Combinable, RawSQL
from django.utils import timezone

from core.keyset import COUNT_LIMIT, CappedPaginator, capped_count
from library.models import BestPractice
from library.selectors import first_published, forget_published_years, kept, published_cases

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


@dataclass(frozen=True)
class Found:
    """A search's results, and the window they were ranked in (ADR 0037)."""

    results: QuerySet[BestPractice]
    #: the first day (in Seoul) of the oldest month whose matches were ranked; None: every match
    since: datetime.date | None = None
    #: the window's capped count, made while choosing it (the page reads it again otherwise)
    counted: tuple[int, bool] | None = None


def search(query: str | None, filters: SearchFilters | None = None) -> QuerySet[BestPractice]:
    """Published cases matching the query and filters, best first (newest first without a
    query); when more match than WINDOW_LIMIT, those of the fewest recent months that hold
    more than that (`find`)."""
    return find(query, filters).results


def find(query: str | None, filters: SearchFilters | None = None) -> Found:
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
        return Found(queryset.order_by("-published_at", "-pk"))
    asked = repr((words, filters))
    if connection.vendor == "postgresql":
        ranked, size = _postgres(queryset, words)
        return _window(ranked, size, asked)
    if connection.vendor == "sqlite":
        return _window(_sqlite(queryset, words), None, asked)
    for word in words:
        queryset = queryset.filter(search_text__icontains=word)
    return _window(_contains_ranked(queryset, words), None, asked)


# --- The window of recent months (ADR 0037) ---------------------------------------------

#: a search that matches more cases than this ranks those of the fewest recent months that
#: hold more than this many (the count the page shows, "1,000건 이상"), so that its cost
#: follows one window's matches, not the whole library's
WINDOW_LIMIT = COUNT_LIMIT
#: the first window: this month and the one before
FIRST_WINDOW = 2
#: the windows tried before every match is ranked (each at least four times the one before
#: when it held none, twice when it held some: 2, 8, 32, 128 months… reach any library)
MAX_PROBES = 5
#: how much larger than the estimate the next window is (matches are not spread evenly)
MARGIN = 1.5
#: the months of the piece indexes are Korean calendar months (library migration 0008), so
#: "2026년 11월 이후" holds what was published from 1 November 00:00 in Seoul
MONTH_ZONE = zoneinfo.ZoneInfo("Asia/Seoul")


def month_start(today: datetime.date, back: int) -> datetime.date:
    """The first day of the month `back` months before `today`'s."""
    months = today.year * 12 + today.month - 1 - back
    return datetime.date(months // 12, months % 12 + 1, 1)


def month_keys(since: datetime.date, today: datetime.date) -> list[str]:
    """The month elements of the piece indexes ('@YYYYMM', library migration 0008) from
    `since` to the month after `today`'s (a clock a little ahead)."""
    keys = []
    month = since
    last = month_start(today, -1)
    while month <= last:
        keys.append(f"@{month.year}{month.month:02d}")
        month = month_start(month, -1)
    return keys


def _window(ranked: QuerySet[BestPractice], size: int | None, asked: str) -> Found:
    """The ranked matches of the fewest recent months that hold more than WINDOW_LIMIT of
    them (`_choose`). A window is kept in the cache under the published cases' generation
    and the day (`asked`: the words and filters), so the same popular words again, the next
    page and every visitor who types them, rank without counting first; publishing or
    unpublishing a case, a rebuild of the indexes and a restore move the generation on."""
    today = timezone.now().astimezone(MONTH_ZONE).date()
    rules = (WINDOW_LIMIT, FIRST_WINDOW, MAX_PROBES, MARGIN)  # a release that changes them asks again
    digest = hashlib.blake2b(repr((asked, rules)).encode(), digest_size=12).hexdigest()
    since, counted = kept(
        f"search-window:{digest}:{today.isoformat()}",
        lambda: _choose(ranked, size, today),
        # only a window (a popular word): any other answer costs a try or two to find again,
        # and any typed text would otherwise take a cache entry
        worth=lambda chosen: chosen[0] is not None,
    )
    if since is None:
        return Found(ranked, None, counted)
    return Found(ranked.filter(_published_since(since, today, size)), since, counted)


def _choose(
    ranked: QuerySet[BestPractice], size: int | None, today: datetime.date
) -> tuple[datetime.date | None, tuple[int, bool] | None]:
    """The first month of the window and its capped count; (None, count) for every match when
    the months tried reach back to the library's first publication, (None, None) when
    MAX_PROBES tries found no window. Each try is a capped count (at most WINDOW_LIMIT + 1
    rows read), the first of this month and the one before; the next is sized from the rate
    of matches found so far, and is at least twice as long (four times after none: a year
    filter or a word of old cases)."""
    first = first_published()
    months = FIRST_WINDOW
    for _ in range(MAX_PROBES):
        since = month_start(today, months - 1)
        if first is None or since <= first.astimezone(MONTH_ZONE).date():
            return None, capped_count(ranked, WINDOW_LIMIT)
        found = capped_count(ranked.filter(_published_since(since, today, size)), WINDOW_LIMIT)
        if found[1]:
            return since, found
        if found[0] == 0:
            months *= 4
        else:
            rate = found[0] / _elapsed(today, months)
            months = max(2 * months, math.ceil(MARGIN * (WINDOW_LIMIT + 1) / rate))
    return None, None


def _elapsed(today: datetime.date, months: int) -> float:
    """How many months of time a window of `months` months up to `today` holds so far (this
    month has only begun)."""
    days = (month_start(today, -1) - month_start(today, 0)).days
    return months - 1 + today.day / days


def _published_since(since: datetime.date, today: datetime.date, size: int | None) -> Any:
    """Published from `since`'s month to the month after `today`'s: on PostgreSQL the months'
    elements of the piece index the words already use (one index scan), elsewhere the dates
    (the same months, in MONTH_ZONE)."""
    if size is None:
        start = datetime.datetime.combine(since, datetime.time(), tzinfo=MONTH_ZONE)
        end = datetime.datetime.combine(month_start(today, -2), datetime.time(), tzinfo=MONTH_ZONE)
        return Q(published_at__gte=start, published_at__lt=end)
    return InMonths(F("search_text"), F("published_at"), size, month_keys(since, today))


#: the columns the public list shows (the rest, the long texts above all, stay in the table)
LISTED = ("id", "title", "institution_id", "unit_id", "policy_field", "year", "problem", "view_count", "published_at")


def paginator(query: str | None, filters: SearchFilters | None, per_page: int) -> Paginator[BestPractice]:
    """The public list's pages: with words, ranked by relevance (no index serves that order),
    counting WINDOW_LIMIT matches at most with no pages past them (ADR 0032), in the window
    of recent months when there are more (ADR 0037); without, every case counted."""
    found = find(query, filters)
    results = found.results.only(*LISTED)
    if terms(query):
        return SearchPaginator(results, per_page, count_limit=WINDOW_LIMIT, counted=found.counted, since=found.since)
    return Paginator(results, per_page)


class SearchPaginator(CappedPaginator):
    """The search's pages, with the window they were ranked in (`since`: the page says so)."""

    def __init__(
        self,
        object_list: QuerySet[Any],
        per_page: int,
        *,
        count_limit: int,
        counted: tuple[int, bool] | None,
        since: datetime.date | None,
    ) -> None:
        super().__init__(object_list, per_page, count_limit=count_limit, counted=counted)
        self.since = since


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
    seed_scale's bulk inserts); their number. Kept windows and years are read anew."""
    forget_published_years()
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
    """`pa_<n>gram_keys(search_text, published_at) @> ARRAY[piece, ...]`: served by the
    partial GIN index on that function (library migration 0008) when the query also asks for
    published cases; the pieces are parameters. The index is exact for these arrays: the
    database reads no text to confirm a match."""

    output_field = BooleanField()
    FUNCTIONS = {BIGRAM: "pa_bigram_keys", MIN_TRIGRAM: "pa_trigram_keys"}
    OPERATOR = "@>"

    def __init__(self, text: Any, published: Any, size: int, found: list[str]) -> None:
        self.size = size
        super().__init__(text, published, *(Value(piece) for piece in found))

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, tuple[Any, ...]]:  # type: ignore[override]
        text_sql, params = compiler.compile(self.source_expressions[0])
        published_sql, published_params = compiler.compile(self.source_expressions[1])
        params = (*params, *published_params)
        items = []
        for piece in self.source_expressions[2:]:
            piece_sql, piece_params = compiler.compile(piece)
            items.append(piece_sql)
            params = (*params, *piece_params)
        keys = f"{self.FUNCTIONS[self.size]}({text_sql}, {published_sql})"
        return f"({keys} {self.OPERATOR} ARRAY[{', '.join(items)}]::text[])", tuple(params)


class InMonths(HasPieces):
    """`pa_<n>gram_keys(search_text, published_at) && ARRAY['@YYYYMM', ...]`: published in one
    of the months, answered by the same index as the words' pieces (ADR 0037)."""

    OPERATOR = "&&"


def _postgres(queryset: QuerySet[BestPractice], words: list[str]) -> tuple[QuerySet[BestPractice], int | None]:
    """The ranked matches, and the piece size of the index their first word used (the
    window's months are asked of the same index); None when no word has pieces."""
    size: int | None = None
    # Words of both kinds (three characters or more, and two) ask one index for all their
    # pieces, the two-character one: PostgreSQL does not AND two GIN indexes here, and
    # computed the other word's pieces from every candidate's text instead (2.2 s at 1M).
    mixed = {bool(trigrams(word)) for word in words if bigrams(word)} == {True, False}
    for word in words:
        longer, shorter = ([] if mixed else trigrams(word)), bigrams(word)
        pieces_size = MIN_TRIGRAM if longer else BIGRAM if shorter else None
        if pieces_size is not None:
            queryset = queryset.filter(HasPieces(F("search_text"), F("published_at"), pieces_size, longer or shorter))
            size = size or pieces_size
        if not _one_piece(word, longer or shorter):
            # A contains-check of the candidates (ILIKE on the column; Django's icontains is
            # UPPER(search_text) LIKE …): pieces found in any order, or a word with
            # punctuation; a one-character word has no index and reads every case.
            queryset = queryset.filter(ILike(F("search_text"), Value(contains_pattern(word))))
    # Every match of the window is ranked (about 1 µs each); pg_trgm's word_similarity to
    # the title, as a second key, cost twice that and only reordered titles without the
    # words (ADR 0032).
    return _contains_ranked(queryset, words), size


def _one_piece(word: str, found: list[str]) -> bool:
    """The word is exactly the one piece the index found (so it needs no contains-check):
    two or three characters on which both databases agree about case."""
    return _PLAIN.fullmatch(word) is not None and found == [word.lower()]
