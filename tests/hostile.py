"""Hostile text for the input tests (issue 9): markup, template syntax, spreadsheet formulas
and unusual Unicode, and the checks that a page, a sheet or an e-mail shows it as text.

A payload never starts or ends with whitespace: forms strip the ends by default, and the
tests compare what is stored with what was typed.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import pkgutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django import forms
from django.apps import apps
from django.conf import settings

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
ATTR = "' onmouseover='alert(1)' x='"
TEMPLATE_VAR = "{{ 7|add:1 }}"
TEMPLATE_TAG = "{% debug %}"
TEMPLATE_LITERAL = "${7*7}"
HYPERLINK = '=HYPERLINK("http://x")'
FORMULAS = (HYPERLINK, "=1+1", "+1+1", "-1+1", "@SUM(A1)")
JAMO = "\u1100\u1161\u11a8"  # 각 spelled with combining (conjoining) jamo
PRECOMPOSED = "한국어 적극행정"
NFD = unicodedata.normalize("NFD", PRECOMPOSED)
RTL_OVERRIDE = "파일\u202egpj.exe"
RLM = "가\u200f나"
ZWJ = "가\u200d나"
ZWSP = "가\u200b나\ufeff다"
FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 👩‍👩‍👧‍👦, one emoji of seven code points
SKIN = "\U0001f44d\U0001f3fd \U0001f9d1\U0001f3ff\u200d\U0001f4bb"
FLAG = "\U0001f1f0\U0001f1f7"
CONTROL = "가\x01\x07\x1b[31m나\x7f다"
NUL = "가\x00나"
SURROGATE_TEXT = "\\ud83d\\ude00 &#xD800; %ED%A0%80"
MIXED = "<b>굵게</b> & \"큰따옴표\" '작은따옴표' </textarea></title><!--"
HEADER_BREAK = "제목\r\nBcc: victim@example.com"

#: one of each kind, each a single-line value a text input accepts
PAYLOADS: dict[str, str] = {
    "script": SCRIPT,
    "img": IMG,
    "attr": ATTR,
    "template_var": TEMPLATE_VAR,
    "template_tag": TEMPLATE_TAG,
    "template_literal": TEMPLATE_LITERAL,
    **{f"formula_{i}": f for i, f in enumerate(FORMULAS)},
    "jamo": JAMO,
    "precomposed": PRECOMPOSED,
    "nfd": NFD,
    "rtl_override": RTL_OVERRIDE,
    "rlm": RLM,
    "zwj": ZWJ,
    "zwsp": ZWSP,
    "family": FAMILY,
    "skin": SKIN,
    "flag": FLAG,
    "control": CONTROL,
    "surrogate_text": SURROGATE_TEXT,
    "mixed": MIXED,
}

#: everything above in one line (a field that accepts one of them should accept them all)
ALL_IN_ONE = " ".join(PAYLOADS.values())


def combined(prefix: str, length: int | None = None) -> str:
    """A value with a recognisable prefix, then every payload; cut to `length` characters
    (never ending in whitespace) when given."""
    text = f"{prefix} {SCRIPT} {IMG} {TEMPLATE_VAR} {TEMPLATE_TAG} {TEMPLATE_LITERAL} {JAMO} {NFD} "
    text += f"{RTL_OVERRIDE} {RLM} {ZWJ} {FAMILY} {SKIN} {FLAG} {MIXED} {SURROGATE_TEXT} 끝"
    if length is not None and len(text) > length:
        text = text[: length - 1] + "끝"
    return text


def long_text(length: int) -> str:
    """`length` characters mixing Hangul, combining jamo, emoji and markup."""
    unit = "가나다" + JAMO + "<i>" + FAMILY + "&amp;"
    text = (unit * (length // len(unit) + 1))[: length - 1]
    return text + "끝"


# --- What a page must (not) show -------------------------------------------------------------

#: markup that would run if a payload reached the page unescaped
RAW_MARKERS = ("<script>alert(1)", "<img src=x", "' onmouseover='", "<b>굵게</b>", "</textarea></title>")
#: what Django's {% debug %} prints when DEBUG is on (off, it prints nothing: the checks below
#: look for the typed "{% debug %}" itself)
EVALUATED_MARKERS = ("{'DEFAULT_MESSAGE_LEVELS'", "sql_queries", "&#x27;csrf_token&#x27;")


def assert_safe(body: str, *, where: str = "") -> None:
    """No payload's markup reached the page raw, no template was evaluated."""
    for marker in RAW_MARKERS + EVALUATED_MARKERS:
        assert marker not in body, f"{where}: {marker!r} in the page"


def assert_shown_as_text(body: str, typed: str, *, where: str = "") -> None:
    """The page shows `typed` whole and escaped (so {{ 7|add:1 }} is there as typed, not
    8), and nothing raw."""
    from django.utils.html import escape

    assert_safe(body, where=where)
    assert escape(typed) in body, f"{where}: {typed[:40]!r} not shown as typed"


def assert_starts_shown(body: str, typed: str, *, where: str = "", length: int = 30) -> None:
    """A list shows the start of `typed` escaped (it may cut the rest)."""
    from django.utils.html import escape

    assert_safe(body, where=where)
    assert escape(typed[:length]) in body, f"{where}: {typed[:length]!r} not shown"


# --- Spreadsheets ---------------------------------------------------------------------------


def xlsx_cells(content: bytes) -> list[Any]:
    """Every non-empty cell of every sheet of an XLSX (openpyxl cells, data_type and value)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(content))
    cells = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            cells.extend(cell for cell in row if cell.value is not None)
    return cells


def assert_no_formulas(content: bytes) -> list[Any]:
    """No cell of the workbook is a formula; returns the cells."""
    cells = xlsx_cells(content)
    formulas = [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert not formulas, f"formula cells: {formulas}"
    return cells


# --- Every project form ---------------------------------------------------------------------


def project_app_configs() -> list[Any]:
    base = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(base) and "site-packages" not in path.parts:
            found.append(config)
    return found


def import_project_modules() -> None:
    """Import every module of the project's apps (not tests, migrations or commands), so
    every form class is defined."""
    for config in project_app_configs():
        for module in pkgutil.walk_packages([config.path], config.name + "."):
            parts = module.name.split(".")
            if {"tests", "migrations", "management"} & set(parts):
                continue
            importlib.import_module(module.name)


def project_form_classes() -> list[type[forms.BaseForm]]:
    """Every Form and ModelForm class the project's apps define, in a stable order."""
    import_project_modules()
    roots = {config.name for config in project_app_configs()}

    def walk(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from walk(sub)

    found = {cls for cls in walk(forms.BaseForm) if cls.__module__.split(".")[0] in roots}
    return sorted(found, key=lambda cls: (cls.__module__, cls.__qualname__))


def text_fields(form_class: type[forms.BaseForm]) -> list[tuple[str, forms.CharField]]:
    """The form's text fields (CharField and its kinds): the declared ones, and the ones an
    instance adds or replaces when the form can be built without arguments."""
    fields: dict[str, forms.Field] = dict(form_class.base_fields)
    with contextlib.suppress(Exception):  # a form that needs arguments keeps its declared fields
        fields.update(form_class().fields)
    return [(name, field) for name, field in fields.items() if isinstance(field, forms.CharField)]


# --- Filling a real form --------------------------------------------------------------------

#: text fields whose kind checks a format (an address, a link): they get their usual value
_FORMATTED = (forms.EmailField, forms.URLField, forms.RegexField, forms.SlugField, forms.UUIDField)


def sized(prefix: str, max_length: int | None) -> str:
    """Every payload after `prefix`, exactly `max_length` characters long when there is a
    limit (padded with long text or cut), else the payloads once."""
    text = combined(prefix)
    if max_length is None:
        return text
    if len(text) >= max_length:
        return text[: max_length - 1] + "끝"
    return text + " " + long_text(max_length - len(text) - 1)


def fill(form: forms.BaseForm, tag: str, *, keep: tuple[str, ...] = (), cap: int | None = None) -> dict[str, str]:
    """Hostile values, by their POST names, for the form's visible free-text fields (not
    `keep`, not the ones of a format): each starts with "<tag>-<field>" and is as long as
    the field allows (at most `cap` characters)."""
    values = {}
    for name, field in form.fields.items():
        if name in keep or field.widget.is_hidden or not isinstance(field, forms.CharField):
            continue
        if isinstance(field, _FORMATTED):
            continue
        limit = min(field.max_length or cap or 0, cap or field.max_length or 0) or None
        values[form.add_prefix(name)] = sized(f"{tag}-{name}", limit)
    return values


def unprefixed(form: forms.BaseForm, values: dict[str, str]) -> dict[str, str]:
    """`values` by field name instead of POST name."""
    return {name: values[form.add_prefix(name)] for name in form.fields if form.add_prefix(name) in values}


def assert_stored(record: Any, typed: dict[str, str], *, names: dict[str, str] | None = None) -> int:
    """Each typed value the record has a column for is stored exactly as typed (`names`
    maps a form field to another attribute). Returns how many were compared."""
    record.refresh_from_db()
    compared = 0
    for field, value in typed.items():
        attribute = (names or {}).get(field, field)
        if not isinstance(getattr(record, attribute, None), str):
            continue  # not a text column of the record (a relation, say)
        assert getattr(record, attribute) == value, f"{attribute} not stored as typed"
        compared += 1
    return compared
