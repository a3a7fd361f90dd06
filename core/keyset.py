"""Keyset ("cursor") pagination for lists that grow without bound (ADR 0029).

A page is "the rows after this one" in the queryset's own ordering, not "skip N rows": the
database seeks to the cursor through the index that serves the ordering and reads one page,
however deep the page and however large the table. The count is bounded too: at most
`count_limit` + 1 rows are counted (a LIMIT subquery), so a large list says "1,000건 이상"
instead of reading every row of the institution for COUNT(*).

    page = KeysetPaginator(queue(actor, status="all"), 25).page(request.GET.get("cursor"))
    {% include "components/keyset_pagination.html" with page_obj=page %}

- The queryset must be ordered (`order_by`) by the model's own columns, the last of which is
  unique (usually "pk"), so that every row has exactly one place and a cursor is exact. A
  nullable column is allowed and kept where the database puts NULLs (PostgreSQL after the
  values, SQLite before), so the order is the one the indexes serve.
- The cursor is opaque and signed (django.core.signing, salted with the model and the
  ordering): a tampered, truncated or foreign cursor gives the first page with
  `invalid_cursor` set, never an error.
- Links: first (no cursor), previous, next and last. The previous page of a page near the
  start is the first page itself (full, not a short page). The position (rows 26-50) travels
  in the cursor where it is known; it is a guide, as rows may come and go between clicks.
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured, ValidationError
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import F, Field, Func, Lookup, Model, Q, QuerySet, Value
from django.db.models.lookups import GreaterThan, LessThan
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.functional import cached_property

__all__ = [
    "COUNT_LIMIT",
    "MAX_CURSOR_LENGTH",
    "CappedPaginator",
    "KeysetPage",
    "KeysetPaginator",
    "capped_count",
    "numbered_page_redirect",
]

#: rows counted at most (one more tells "more than this")
COUNT_LIMIT = 1000
#: a longer cursor is refused before it is even checked
MAX_CURSOR_LENGTH = 500

NEXT, PREVIOUS, LAST = "n", "p", "l"


def capped_count(queryset: QuerySet[Any], limit: int = COUNT_LIMIT) -> tuple[int, bool]:
    """(rows counted, more than `limit`): COUNT(*) over a LIMIT subquery, so counting a large
    result costs what counting `limit` rows does."""
    counted = queryset.order_by().values("pk")[: limit + 1].count()
    return min(counted, limit), counted > limit


class CappedPaginator(Paginator[Any]):
    """Numbered pages over at most `count_limit` rows, for a list ordered by something no index
    serves (a search ranked by relevance): the count stops at the limit (`count_capped` says
    there are more: "1,000건 이상") and pages past it do not exist, so a popular word costs
    what a narrow one does to count (ADR 0032)."""

    def __init__(
        self,
        object_list: QuerySet[Any],
        per_page: int,
        *,
        count_limit: int = COUNT_LIMIT,
        counted: tuple[int, bool] | None = None,
    ) -> None:
        """`counted`: the capped count of `object_list` when the caller already made it."""
        super().__init__(object_list, per_page)
        self.queryset = object_list
        self.count_limit = count_limit
        if counted is not None:
            self._counted = counted

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        return capped_count(self.queryset, self.count_limit)

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_capped(self) -> bool:
        return self._counted[1]


@dataclass(frozen=True)
class _Key:
    """One column of the ordering, as one direction of travel sees it."""

    name: str  # as the ordering names it ("due_on", "pk")
    column: Field[Any, Any]
    descending: bool
    nulls_first: bool  # NULLs come before the values in this direction of travel

    def beyond(self, value: Any) -> Q | None:
        """Rows strictly after `value` on this column (None: no row can be)."""
        if value is None:
            return Q(**{f"{self.name}__isnull": False}) if self.nulls_first else None
        beyond = Q(**{f"{self.name}__{'lt' if self.descending else 'gt'}": value})
        if self.column.null and not self.nulls_first:
            beyond |= Q(**{f"{self.name}__isnull": True})
        return beyond

    def same(self, value: Any) -> Q:
        return Q(**{f"{self.name}__isnull": True}) if value is None else Q(**{self.name: value})


def _after(keys: list[_Key], values: list[Any]) -> Q | None:
    """Rows strictly after `values` in the order of `keys`: (a > x) or (a = x and b > y)...
    None when no row can be."""
    condition: Q | None = None
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        beyond = key.beyond(value)
        if beyond is not None:
            part = equal & beyond
            condition = part if condition is None else condition | part
        equal &= key.same(value)
    return condition


def _row(*expressions: Any) -> Func:
    return Func(*expressions, function="", template="(%(expressions)s)", output_field=Field())


def _row_beyond(keys: list[_Key], values: list[Any]) -> Lookup[Any]:
    """(a, b, c) > (x, y, z) as one row comparison: PostgreSQL (and SQLite) seek it in an
    index on (…, a, b, c) and estimate it by its first column, where the same condition
    spelt out with OR is estimated as if its parts were independent (far too few rows, so
    the planner may sort instead of seeking). Only for columns in one direction, none of
    them NULL on either side."""
    lookup = LessThan if keys[0].descending else GreaterThan
    columns = [F(key.name) for key in keys]
    given = [Value(value, output_field=key.column) for key, value in zip(keys, values, strict=True)]
    return lookup(_row(*columns), _row(*given))


def _segments(keys: list[_Key], values: list[Any]) -> list[Q]:
    """`_after` as the database can seek it, in the order of travel, each part an index
    range read only when the parts before it do not fill the page: the rows that share the
    cursor's NULL-ness on the leading column, bounded by its value (one row comparison
    where the columns run one way; the rows equal on the lead, then the rows beyond it,
    where they do not), then (if they come after) the rows on the other side of the NULLs.
    Together they are exactly `_after`."""
    lead, value = keys[0], values[0]
    rest = _after(keys[1:], values[1:])
    segments: list[Q] = []
    if value is None:
        if rest is not None:
            segments.append(lead.same(None) & rest)
        if lead.nulls_first:
            segments.append(Q(**{f"{lead.name}__isnull": False}))
        return segments
    beyond = Q(**{f"{lead.name}__{'lt' if lead.descending else 'gt'}": value})
    if rest is None:
        segments.append(beyond)
    elif all(key.descending == lead.descending and not key.column.null for key in keys[1:]):
        segments.append(Q(_row_beyond(keys, values)))
    else:
        # Columns in mixed directions (or a nullable one after the lead): no one row
        # comparison fits, and `a <= x AND (a < x OR (a = x AND …))` is a range on the
        # lead alone, which reads every row of the cursor's lead value before it (a year
        # of the work register). The rows that share the lead's value, after the cursor on
        # the rest (a range of an index on (…, a, b, …)), then the rows beyond it.
        segments += [lead.same(value) & part for part in _segments(keys[1:], values[1:])]
        segments.append(beyond)
    if lead.column.null and not lead.nulls_first:
        segments.append(Q(**{f"{lead.name}__isnull": True}))
    return segments


def _plain(value: Any) -> Any:
    """A column value as JSON keeps it exactly (dates and times in ISO form, microseconds
    included; the column's to_python reads them back)."""
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


@dataclass
class KeysetPage:
    """One page: its rows, where it stands and the cursors of its neighbours."""

    object_list: list[Any]
    paginator: KeysetPaginator
    has_next: bool = False
    has_previous: bool = False
    next_cursor: str | None = None
    previous_cursor: str | None = None
    #: the cursor of the last page (offered whenever there is a next one)
    last_cursor: str | None = None
    is_last: bool = False
    #: rows counted, at most paginator.count_limit; `count_capped` when there are more
    count: int = 0
    count_capped: bool = False
    #: the 1-based position of the first row, where known
    start: int | None = None
    #: a cursor was given and refused: this is the first page
    invalid_cursor: bool = False

    def __iter__(self) -> Iterator[Any]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    @property
    def is_first(self) -> bool:
        return not self.has_previous

    @property
    def end(self) -> int | None:
        return None if self.start is None else self.start + len(self.object_list) - 1

    @property
    def count_limit(self) -> int:
        return self.paginator.count_limit

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous


class KeysetPaginator:
    def __init__(self, queryset: QuerySet[Any], per_page: int, *, count_limit: int = COUNT_LIMIT) -> None:
        if per_page < 1 or count_limit < per_page:
            raise ImproperlyConfigured("per_page must be at least 1 and count_limit at least per_page")
        self.queryset = queryset
        self.per_page = per_page
        self.count_limit = count_limit
        self.ordering = tuple(self._ordering(queryset))
        self.columns = [self._column(name) for name in self.ordering]
        unique = self.columns[-1]
        if not (unique.primary_key or unique.unique) or unique.null:
            raise ImproperlyConfigured("Keyset ordering must end with a unique, non-null column (pk)")
        meta = queryset.model._meta
        self.salt = f"core.keyset:{meta.label}:{','.join(self.ordering)}"

    # --- the ordering ---------------------------------------------------------------------

    @staticmethod
    def _ordering(queryset: QuerySet[Any]) -> list[str]:
        ordering = [name for name in queryset.query.order_by if isinstance(name, str)]
        if not ordering or len(ordering) != len(queryset.query.order_by):
            raise ImproperlyConfigured("Keyset pagination needs a queryset ordered by column names (order_by)")
        return ordering

    def _column(self, name: str) -> Field[Any, Any]:
        meta = self.queryset.model._meta
        bare = name.lstrip("-")
        if "__" in bare or bare == "?":
            raise ImproperlyConfigured(f"Keyset ordering takes the model's own columns only, not {name!r}")
        try:
            column = meta.pk if bare == "pk" else meta.get_field(bare)
        except FieldDoesNotExist as exc:
            raise ImproperlyConfigured(f"Keyset ordering: no column {name!r}") from exc
        if column is None or not isinstance(column, Field) or column.is_relation:
            raise ImproperlyConfigured(f"Keyset ordering: {name!r} is not a plain column (use its _id)")
        return column

    def _keys(self, direction: str) -> list[_Key]:
        """The ordering as travel in `direction` sees it (backwards: every column flipped)."""
        largest = connections[self.queryset.db].features.nulls_order_largest
        keys = []
        for name, column in zip(self.ordering, self.columns, strict=True):
            descending = name.startswith("-") != (direction != NEXT)
            nulls_first = largest if descending else not largest
            keys.append(_Key(name.lstrip("-"), column, descending, nulls_first))
        return keys

    def _order_by(self, direction: str) -> list[str]:
        if direction == NEXT:
            return list(self.ordering)
        return [name[1:] if name.startswith("-") else f"-{name}" for name in self.ordering]

    # --- cursors ----------------------------------------------------------------------------

    def _values(self, row: Model) -> list[Any]:
        return [getattr(row, column.attname) for column in self.columns]

    def _cursor(self, direction: str, row: Model | None, start: int | None) -> str:
        payload = {"d": direction, "k": None if row is None else [_plain(v) for v in self._values(row)], "s": start}
        return signing.Signer(salt=self.salt).sign_object(payload)

    def cursor_after(self, row: Model, *, start: int | None = None) -> str:
        """The cursor of the page that begins after `row` (its next link). `start`: that
        page's 1-based position, if known."""
        return self._cursor(NEXT, row, start)

    def _read(self, cursor: str) -> tuple[str, list[Any] | None, int | None]:
        """(direction, key values, start), or ValueError for any cursor we did not make."""
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError("cursor too long")
        try:
            payload = signing.Signer(salt=self.salt).unsign_object(cursor)
        except (signing.BadSignature, ValueError, TypeError) as exc:
            raise ValueError("cursor not ours") from exc
        if not isinstance(payload, dict):
            raise ValueError("cursor shape")
        direction, values, start = payload.get("d"), payload.get("k"), payload.get("s")
        if direction not in (NEXT, PREVIOUS, LAST) or (start is not None and type(start) is not int):
            raise ValueError("cursor shape")
        if direction == LAST:
            return direction, None, None
        if not isinstance(values, list) or len(values) != len(self.columns):
            raise ValueError("cursor shape")
        try:
            typed = [None if v is None else column.to_python(v) for column, v in zip(self.columns, values, strict=True)]
        except (ValidationError, TypeError, ValueError) as exc:
            raise ValueError("cursor values") from exc
        if typed[-1] is None:
            raise ValueError("cursor without its unique key")
        return direction, typed, start if start is not None and start >= 1 else None

    # --- pages ------------------------------------------------------------------------------

    def count(self) -> tuple[int, bool]:
        return capped_count(self.queryset, self.count_limit)

    def _fetch(self, direction: str, values: list[Any] | None, want: int) -> list[Any]:
        ordered = self.queryset.order_by(*self._order_by(direction))
        if values is None:
            return list(ordered[:want])
        rows: list[Any] = []
        for segment in _segments(self._keys(direction), values):
            rows += ordered.filter(segment)[: want - len(rows)]
            if len(rows) >= want:
                break
        return rows

    def page(self, cursor: str | None = None) -> KeysetPage:
        """The page a cursor (from one of this list's links) points at; no cursor, or one we
        cannot read, is the first page."""
        count, capped = self.count()
        direction, values, start, invalid = NEXT, None, None, False
        if cursor:
            try:
                direction, values, start = self._read(cursor)
            except ValueError:
                invalid = True
        page_size = self.per_page
        if direction == NEXT:
            rows = self._fetch(NEXT, values, page_size + 1)
            if values is not None and not rows:
                return self._last(count, capped)  # the rows after it are gone: the end
            page = self._page(rows[:page_size], count, capped, has_next=len(rows) > page_size)
            page.has_previous = values is not None
            page.start = 1 if values is None else start
        elif direction == PREVIOUS:
            rows = self._fetch(PREVIOUS, values, page_size + 1)
            if len(rows) <= page_size:  # at the start: the first page, full
                return self._first(count, capped)
            page = self._page(rows[:page_size][::-1], count, capped, has_next=True)
            page.has_previous = True
            page.start = start if start is not None and start > 1 else None  # 1 with rows before: stale
        else:
            return self._last(count, capped)
        page.invalid_cursor = invalid
        return self._linked(page)

    def _first(self, count: int, capped: bool) -> KeysetPage:
        rows = self._fetch(NEXT, None, self.per_page + 1)
        page = self._page(rows[: self.per_page], count, capped, has_next=len(rows) > self.per_page)
        page.start = 1
        return self._linked(page)

    def _last(self, count: int, capped: bool) -> KeysetPage:
        rows = self._fetch(PREVIOUS, None, self.per_page + 1)
        page = self._page(rows[: self.per_page][::-1], count, capped, has_next=False)
        page.has_previous = len(rows) > self.per_page
        page.is_last = True
        if not capped:
            page.start = max(1, count - len(page.object_list) + 1)
        return self._linked(page)

    def _page(self, rows: list[Any], count: int, capped: bool, *, has_next: bool) -> KeysetPage:
        return KeysetPage(object_list=rows, paginator=self, has_next=has_next, count=count, count_capped=capped)

    def _linked(self, page: KeysetPage) -> KeysetPage:
        rows, start = page.object_list, page.start
        if page.has_next:
            page.next_cursor = self._cursor(NEXT, rows[-1], None if start is None else start + len(rows))
            page.last_cursor = self._cursor(LAST, None, None)
        else:
            page.is_last = True
        if page.has_previous and rows:
            before = None if start is None or start - self.per_page < 1 else start - self.per_page
            page.previous_cursor = self._cursor(PREVIOUS, rows[0], before)
        elif page.has_previous:
            page.has_previous = False
        return page


def numbered_page_redirect(request: HttpRequest) -> HttpResponseRedirect | None:
    """For a list that moved to cursors: a link of its numbered pages (`?page=N`) goes to the
    first page with the same filters (serving it would need the OFFSET cursors remove);
    None when the request has no `page`."""
    if "page" not in request.GET:
        return None
    kept = request.GET.copy()
    del kept["page"]
    kept.pop("cursor", None)
    return HttpResponseRedirect(f"{request.path}?{kept.urlencode()}" if kept else request.path)
