"""Declaring what the bulk importer can import (core/importer.py).

A module describes one kind of import as an `ImportSpec`: its columns (`ColumnSpec`: a key,
the header labels accepted in Korean and English, a parser, whether a value is required),
the model, the key fields that identify a record within the institution, and `build`, which
turns one row's parsed values into unsaved model instances. `register_spec` makes the kind
available to the shared screens, the background task and the template download.

`build` should not fail: checks belong in the parsers and in `validate` (the preview, which
does not build, must find every error).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import get_language

from core.access import Actor
from core.import_parsers import Parser

if TYPE_CHECKING:
    from core.models import ImportJob

Label = str | Promise
RowErrors = list[tuple[str, str]]  # (column key or label, message); "" for the whole row


def normalise_header(text: str) -> str:
    """Compare headers without spaces, case, required marks or a trailing (필수)/(선택)."""
    text = re.sub(r"\((필수|선택|required|optional)\)$", "", str(text).strip(), flags=re.IGNORECASE)
    return re.sub(r"[\s*_]+", "", text).casefold()


@dataclass(frozen=True)
class ColumnSpec:
    """One column: its key (the name `build` reads), the header labels accepted (the Korean
    header first, the English one second, then other spellings), its parser and whether a
    value is required."""

    key: str
    headers: Sequence[Label]
    parser: Parser
    required: bool = False
    help: Label = ""

    @property
    def label(self) -> str:
        """The header in the active language: the one the template file and the upload page
        show (a file may use any of the headers, in either language)."""
        if len(self.headers) > 1 and (get_language() or "").startswith("en"):
            return str(self.headers[1])
        return str(self.headers[0])

    @property
    def other_headers(self) -> list[str]:
        """The other headers accepted for this column."""
        label = self.label
        return [str(h) for h in self.headers if str(h) != label]

    def matches(self, normalised: str) -> bool:
        return any(normalise_header(str(h)) == normalised for h in self.headers)


Build = Callable[[dict[str, Any], "ImportContext"], models.Model | list[models.Model]]
Validate = Callable[[dict[str, Any], "ImportContext"], RowErrors]
Prescan = Callable[[Iterator[tuple[int, dict[str, str]]], "ImportContext"], dict[int, RowErrors]]
Finish = Callable[["ImportContext"], None]


@dataclass(frozen=True)
class ImportSpec:
    kind: str
    label: Label
    columns: Sequence[ColumnSpec]
    model: type[models.Model]
    #: column keys (also model field names) that identify a record within the institution
    key_fields: Sequence[str]
    build: Build
    #: roles allowed to use this import (in the actor's institution)
    roles: frozenset[str]
    batch_size: int = 1000
    #: compare keys without case (unit codes are unique case-insensitively)
    key_case_insensitive: bool = False
    #: cross-field checks of one row's parsed values
    validate: Validate | None = None
    #: a first pass over the raw rows (e.g. to allow references to rows of the same file)
    prescan: Prescan | None = None
    #: run after the last batch, inside the final transaction (e.g. link rows to each other)
    finish: Finish | None = None
    #: where the user goes to see what was imported: a URL name without arguments, or a
    #: function of the actor giving the URL
    list_url: str | Callable[[Actor], str] = ""
    description: Label = ""

    def allows(self, actor: Actor) -> bool:
        return actor.institution_id is not None and actor.has(*self.roles)

    def column(self, key: str) -> ColumnSpec:
        return next(c for c in self.columns if c.key == key)


_SPECS: dict[str, ImportSpec] = {}


def register_spec(spec: ImportSpec) -> None:
    """Make a spec available under its kind (registering a kind again replaces it)."""
    _SPECS[spec.kind] = spec


def unregister_spec(kind: str) -> None:
    _SPECS.pop(kind, None)


def get_spec(kind: str) -> ImportSpec | None:
    return _SPECS.get(kind)


def specs() -> list[ImportSpec]:
    return list(_SPECS.values())


def specs_for(actor: Actor) -> list[ImportSpec]:
    return [spec for spec in _SPECS.values() if spec.allows(actor)]


@dataclass
class ImportContext:
    """What parsers, resolvers and `build` may use: who imports into which institution, and a
    scratch dict for the spec's own state during one pass."""

    actor: Actor
    institution_id: int
    job: ImportJob | None = None
    state: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
