"""Cell parsers of the bulk importer (core.importer).

Every reader hands the importer cells as text (core.import_readers normalises Excel dates,
numbers and booleans to text), so a parser takes one non-empty, stripped string and returns
the Python value, or raises `CellError` with a Korean message. Empty cells never reach a
parser: the importer uses the parser's `empty` value, or reports a missing required value.

A `Reference` parser only normalises the key; the importer resolves the keys of a whole
batch with one query per reference column (`Reference.resolve`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from core.importer import ImportContext


class CellError(Exception):
    """A cell's value is not acceptable. The message is shown to the user with the row
    number and the column."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = str(message)


def _shown(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


class Parser:
    """Base class: `__call__(text) -> value`; `empty` is the value of an empty cell;
    `describe()` is the one-line guide printed in the template file."""

    empty: Any = None
    #: templates show `parser.describe`; they must not call the parser itself
    do_not_call_in_templates = True

    def __call__(self, value: str) -> Any:
        raise NotImplementedError

    def describe(self) -> str:
        return ""


class Text(Parser):
    empty = ""

    def __init__(self, max_length: int) -> None:
        self.max_length = max_length

    def __call__(self, value: str) -> str:
        if len(value) > self.max_length:
            raise CellError(
                _("%(max)d자 이내로 적어 주십시오(지금 %(length)d자).") % {"max": self.max_length, "length": len(value)}
            )
        return value

    def describe(self) -> str:
        return _("글자, %(max)d자 이내") % {"max": self.max_length}


class Email(Text):
    def __call__(self, value: str) -> str:
        value = super().__call__(value)
        try:
            validate_email(value)
        except ValidationError as exc:
            raise CellError(_("전자우편 주소 형식이 아닙니다: %(value)s") % {"value": _shown(value)}) from exc
        return value

    def describe(self) -> str:
        return _("전자우편 주소 (예: hong@korea.kr)")


def _squash(value: str) -> str:
    """Compare choice labels without case or spaces: '진행중' matches '진행 중'."""
    return re.sub(r"\s+", "", value).casefold()


class Choice(Parser):
    """A TextChoices value: its code, or its label in Korean or English."""

    def __init__(self, choices: type[models.TextChoices], *, default: str | None = None) -> None:
        self.choices = choices
        self.empty = default
        self._lookup: dict[str, str] | None = None

    def _table(self) -> dict[str, str]:
        if self._lookup is None:
            table: dict[str, str] = {}
            for code in self.choices.values:
                table[_squash(str(code))] = str(code)
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    for code, label in self.choices.choices:
                        table.setdefault(_squash(str(label)), str(code))
            self._lookup = table
        return self._lookup

    def __call__(self, value: str) -> str:
        code = self._table().get(_squash(value))
        if code is None:
            raise CellError(
                _("'%(value)s'은(는) 쓸 수 없는 값입니다. 다음 중 하나를 적어 주십시오: %(allowed)s")
                % {"value": _shown(value), "allowed": self.allowed()}
            )
        return code

    def allowed(self) -> str:
        return ", ".join(str(label) for label in self.choices.labels)

    def describe(self) -> str:
        return _("다음 중 하나: %(allowed)s") % {"allowed": self.allowed()}


_DATE_RE = re.compile(
    r"^(?P<y>\d{4})\s*[-./]\s*(?P<m>\d{1,2})\s*[-./]\s*(?P<d>\d{1,2})\.?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE_RE = re.compile(r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$")


class Date(Parser):
    """YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD (also '2026. 3. 1.' and YYYYMMDD); Excel date cells
    arrive as ISO text from the reader."""

    def __call__(self, value: str) -> datetime.date:
        match = _DATE_RE.match(value) or _COMPACT_DATE_RE.match(value)
        if match is None:
            raise CellError(
                _("날짜 형식이 아닙니다: '%(value)s'. 2026-03-01처럼 연-월-일로 적어 주십시오.")
                % {"value": _shown(value)}
            )
        try:
            return datetime.date(int(match["y"]), int(match["m"]), int(match["d"]))
        except ValueError as exc:
            raise CellError(_("없는 날짜입니다: '%(value)s'.") % {"value": _shown(value)}) from exc

    def describe(self) -> str:
        return _("날짜 (예: 2026-03-01, 2026.03.01, 2026/03/01)")


class Integer(Parser):
    def __init__(self, *, min_value: int | None = None, max_value: int | None = None) -> None:
        self.min_value = min_value
        self.max_value = max_value

    def __call__(self, value: str) -> int:
        text = value.replace(",", "")
        if text.endswith(".0"):
            text = text[:-2]
        try:
            number = int(text)
        except ValueError as exc:
            raise CellError(_("정수가 아닙니다: '%(value)s'.") % {"value": _shown(value)}) from exc
        if (self.min_value is not None and number < self.min_value) or (
            self.max_value is not None and number > self.max_value
        ):
            raise CellError(
                _("%(min)s부터 %(max)s까지의 수를 적어 주십시오(지금 %(value)s).")
                % {"min": self.min_value, "max": self.max_value, "value": number}
            )
        return number

    def describe(self) -> str:
        if self.min_value is not None and self.max_value is not None:
            return _("정수, %(min)s~%(max)s") % {"min": self.min_value, "max": self.max_value}
        return _("정수")


_TRUE = {"y", "yes", "true", "1", "o", "○", "예", "네", "해당", "true()"}
_FALSE = {"n", "no", "false", "0", "x", "×", "아니오", "아니요", "미해당", "false()"}


class Boolean(Parser):
    empty = False

    def __call__(self, value: str) -> bool:
        key = _squash(value)
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise CellError(_("예/아니오(Y/N)로 적어 주십시오: '%(value)s'.") % {"value": _shown(value)})

    def describe(self) -> str:
        return _("예 또는 아니오 (Y/N)")


Resolver = Callable[["ImportContext", set[str]], dict[str, Any]]


class Reference(Parser):
    """A key of another record (a unit code, an employee number). The importer collects the
    keys of a batch and calls `resolve(context, keys)` once; keys missing from the answer
    are reported with `missing` (a message with %(value)s)."""

    def __init__(
        self,
        resolve: Resolver,
        *,
        missing: str | Promise,
        max_length: int = 100,
        description: str | Promise = "",
    ) -> None:
        self.resolve = resolve
        self.missing = missing
        self.max_length = max_length
        self.description = description

    def __call__(self, value: str) -> str:
        if len(value) > self.max_length:
            raise CellError(_("%(max)d자 이내로 적어 주십시오.") % {"max": self.max_length})
        return value

    def missing_message(self, key: str) -> str:
        return str(self.missing) % {"value": _shown(key)}

    def describe(self) -> str:
        return str(self.description)


def by_field(
    model: type[models.Model],
    field: str,
    *,
    case_insensitive: bool = False,
    extra: Callable[[models.QuerySet[Any]], models.QuerySet[Any]] | None = None,
) -> Resolver:
    """A resolver looking `field` up among the institution's records of `model`, one query
    for all the keys of a batch; it answers {key: primary key}."""

    def resolve(context: ImportContext, keys: set[str]) -> dict[str, Any]:
        queryset = model._default_manager.filter(institution_id=context.institution_id)
        if extra is not None:
            queryset = extra(queryset)
        if not case_insensitive:
            rows: Iterable[tuple[Any, Any]] = queryset.filter(**{f"{field}__in": keys}).values_list(field, "pk")
            return dict(rows)
        from django.db.models.functions import Upper

        # Several spellings of one key ("PLN", "pln") in one file all resolve to the record.
        wanted: dict[str, list[str]] = {}
        for key in keys:
            wanted.setdefault(key.upper(), []).append(key)
        rows = queryset.annotate(_key=Upper(field)).filter(_key__in=wanted).values_list("_key", "pk")
        return {spelling: pk for found, pk in rows for spelling in wanted[found]}

    return resolve


REQUIRED_MISSING = gettext_lazy("필수 값이 비어 있습니다.")
