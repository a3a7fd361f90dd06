"""Bounded pagination for list endpoints.

- `LimitOffset`: `?limit=50&offset=0`, limit at most 200, offset at most 10,000, with a
  total `count`. For lists that stay small within one institution (units, roles, people of
  a unit).
- `Keyset`: `?limit=50&cursor=...`, limit at most 200, an opaque `next_cursor`, no count
  and no deep OFFSET scan. For lists that grow without bound (the work register, cases,
  audit entries). The ordering must end with the primary key and use non-null columns.

    @router.get("/entries", response=list[EntryOut])
    @api_access(LOGIN)
    @paginate(Keyset, ordering=("-year", "reference", "pk"))
    def entry_list(request: HttpRequest) -> QuerySet[WorkItem]:
        return entries_visible(get_actor(request))
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Schema
from ninja.errors import ConfigError, ValidationError
from ninja.pagination import PaginationBase, paginate

__all__ = ["MAX_LIMIT", "MAX_OFFSET", "Keyset", "LimitOffset", "paginate"]

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_OFFSET = 10_000


def _ordered(queryset: Any) -> Any:
    if isinstance(queryset, QuerySet) and not queryset.ordered:
        return queryset.order_by("pk")
    return queryset


class LimitOffset(PaginationBase):
    # Named for the paginator: the two Inputs would otherwise clash as schema components.
    class LimitOffsetInput(PaginationBase.Input):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="한 번에 받을 항목 수(최대 200)")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="건너뛸 항목 수(최대 10,000)")

    Input = LimitOffsetInput  # type: ignore[assignment]  # ninja reads `Input`; mypy sees a redefinition

    class Output(Schema):
        items: list[Any]
        count: int

    def paginate_queryset(
        self, queryset: Any, pagination: LimitOffsetInput, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        queryset = _ordered(queryset)
        offset, limit = pagination.offset, pagination.limit
        return {"items": list(queryset[offset : offset + limit]), "count": self._items_count(queryset)}


def _cursor_error() -> ValidationError:
    message = gettext("올바르지 않은 커서입니다. 앞 응답의 next_cursor를 그대로 보내 주십시오.")
    return ValidationError([{"loc": ["query", "cursor"], "msg": message, "type": "value_error"}])


class Keyset(PaginationBase):
    class KeysetInput(PaginationBase.Input):
        limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="한 번에 받을 항목 수(최대 200)")
        cursor: str | None = Field(None, max_length=1000, description="앞 응답의 next_cursor")

    Input = KeysetInput  # type: ignore[assignment]

    class Output(Schema):
        items: list[Any]
        next_cursor: str | None

    def __init__(self, *, ordering: tuple[str, ...] = ("-pk",), **kwargs: Any) -> None:
        if not ordering or ordering[-1].lstrip("-") not in {"pk", "id"}:
            raise ConfigError("Keyset ordering must end with the primary key ('pk' or '-pk')")
        if any("__" in field for field in ordering):
            raise ConfigError("Keyset ordering takes the model's own columns only")
        self.ordering = ordering
        super().__init__(**kwargs)

    def _values(self, obj: Model) -> list[Any]:
        return [getattr(obj, field.lstrip("-")) for field in self.ordering]

    def encode(self, obj: Model) -> str:
        raw = json.dumps(self._values(obj), cls=DjangoJSONEncoder, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def decode(self, cursor: str) -> list[Any]:
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values = json.loads(raw)
        except (binascii.Error, ValueError) as exc:
            raise _cursor_error() from exc
        if not isinstance(values, list) or len(values) != len(self.ordering):
            raise _cursor_error()
        return values

    def after(self, values: list[Any]) -> Q:
        """Rows strictly after `values` in the ordering: (a > x) or (a = x and b > y) ..."""
        condition = Q()
        equal = Q()
        for field, value in zip(self.ordering, values, strict=True):
            name = field.lstrip("-")
            lookup = "lt" if field.startswith("-") else "gt"
            condition |= equal & Q(**{f"{name}__{lookup}": value})
            equal &= Q(**{name: value})
        return condition

    def paginate_queryset(
        self, queryset: Any, pagination: KeysetInput, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        if not isinstance(queryset, QuerySet):
            raise ConfigError("Keyset pagination needs a QuerySet")
        queryset = queryset.order_by(*self.ordering)
        limit = pagination.limit
        try:
            if pagination.cursor:
                queryset = queryset.filter(self.after(self.decode(pagination.cursor)))
            rows = list(queryset[: limit + 1])
        except (ValueError, TypeError, DjangoValidationError) as exc:
            # A cursor whose values do not fit the columns.
            raise _cursor_error() from exc
        next_cursor = self.encode(rows[limit - 1]) if len(rows) > limit else None
        return {"items": rows[:limit], "next_cursor": next_cursor}
