"""The English catalogue is complete: every Korean source string has a checked translation.

Korean is the source language of every string; English lives in
locale/en/LC_MESSAGES/django.po and the compiled django.mo, both committed
(see docs/adr/0007-i18n.md). These tests fail when

* an entry of the catalogue is untranslated or still marked fuzzy;
* a translation drops, adds or renames a placeholder (%(name)s, %s, {name}) or an HTML tag;
* the committed django.mo does not match django.po (compilemessages was not run);
* a translatable string in the source is missing from the catalogue (makemessages was not
  run, or the new entry was not translated). This one needs GNU gettext (xgettext, msgmerge):
  without it the test is skipped locally and fails under CI=true.

To fix a failure: `make messages`, translate the new entries in django.po, remove the
fuzzy flags after checking them, and run `make messages` again to compile.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
PO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.mo"

# The same exclusions as `make messages`.
IGNORED_DIRS = {".venv", "node_modules", "var", "locale", "__pycache__"}
IGNORED_PATHS = {Path("static") / "vendor"}


# --- a small .po reader (the project has no polib dependency) -----------------------------


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"line {self.line}: {context}{self.msgid!r}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(text: str) -> str:
    text = text.strip()
    if not (text.startswith('"') and text.endswith('"')):
        raise ValueError(f"not a quoted .po string: {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text[1:-1])


def parse_po(text: str) -> list[Entry]:
    """Entries of a .po file, header included (msgid ""), obsolete (#~) entries left out."""
    entries: list[Entry] = []
    current: Entry | None = None
    flags: set[str] = set()
    target: tuple[str, int] | None = None  # which field a continuation line extends

    def finish() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            target = None
            continue
        if line.startswith("#~"):
            flags = set()
            continue
        if line.startswith("#,"):
            finish()
            flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            continue
        if line.startswith("#"):
            if target is not None:
                finish()
                target = None
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"line {number}: continuation outside an entry")
            name, index = target
            value = _unquote(line)
            if name == "msgid":
                current.msgid += value
            elif name == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + value
            elif name == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + value
            else:
                current.msgstr[index] += value
            continue
        if keyword in ("msgctxt", "msgid") and (current is None or current.msgstr):
            finish()
        if current is None:
            current = Entry(line=number, flags=flags)
            flags = set()
        if keyword == "msgctxt":
            current.msgctxt, target = _unquote(rest), ("msgctxt", 0)
        elif keyword == "msgid":
            current.msgid, target = _unquote(rest), ("msgid", 0)
        elif keyword == "msgid_plural":
            current.msgid_plural, target = _unquote(rest), ("msgid_plural", 0)
        elif keyword == "msgstr":
            current.msgstr[0], target = _unquote(rest), ("msgstr", 0)
        elif match := re.fullmatch(r"msgstr\[(\d+)\]", keyword):
            index = int(match.group(1))
            current.msgstr[index], target = _unquote(rest), ("msgstr", index)
        else:
            raise ValueError(f"line {number}: unexpected {raw!r}")
    finish()
    return entries


# --- the checks ----------------------------------------------------------------------------

_PERCENT = re.compile(r"%(?:\((\w+)\))?[#0\- +]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]")
_NAMED_PERCENT = re.compile(r"%\((\w+)\)[#0\- +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")
_BRACE = re.compile(r"(?<!\{)\{(?:[A-Za-z_][\w.]*|\d*)(?:![rsa])?(?::[^{}]*)?\}(?!\})")
_HTML_TAGS = "a|abbr|b|br|cite|code|del|em|i|ins|kbd|li|mark|ol|p|q|s|samp|small|span|strong|sub|sup|time|u|ul|var"
_TAG = re.compile(rf"</?(?:{_HTML_TAGS})\b[^<>]*>", re.IGNORECASE)


def placeholders(text: str, *, python_format: bool) -> Counter[str]:
    """What a translation must keep: format directives, {braces} and inline HTML tags."""
    found: Counter[str] = Counter()
    if python_format:
        found.update(m.group(0) for m in _PERCENT.finditer(text))
    else:
        found.update(m.group(0) for m in _NAMED_PERCENT.finditer(text))
    found.update(m.group(0) for m in _BRACE.finditer(text))
    found.update(re.sub(r"\s+", " ", m.group(0).lower()) for m in _TAG.finditer(text))
    return found


def translation_problems(entries: list[Entry]) -> list[str]:
    problems: list[str] = []
    for entry in entries:
        if entry.msgid == "" and entry.msgctxt is None:  # the header
            if "fuzzy" in entry.flags:
                problems.append("the header is marked fuzzy")
            if "nplurals=2" not in entry.msgstr.get(0, "").replace(" ", ""):
                problems.append("the header does not declare English plural forms (nplurals=2)")
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"{entry.label} is marked fuzzy: check the translation and remove the flag")
        forms = [0, 1] if entry.msgid_plural is not None else [0]
        python_format = "python-format" in entry.flags
        for index in forms:
            text = entry.msgstr.get(index, "")
            if not text.strip():
                problems.append(f"{entry.label} has no English translation (msgstr[{index}])")
                continue
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            expected = placeholders(source, python_format=python_format)
            actual = placeholders(text, python_format=python_format)
            if expected != actual:
                missing = sorted((expected - actual).elements())
                extra = sorted((actual - expected).elements())
                problems.append(
                    f"{entry.label}: placeholders differ in msgstr[{index}] (missing {missing}, extra {extra})"
                )
    return problems


def _read(path: Path) -> list[Entry]:
    return parse_po(path.read_text(encoding="utf-8"))


# --- the checker itself can fail -----------------------------------------------------------

_HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
)


def test_checker_accepts_a_complete_catalogue() -> None:
    text = _HEADER + (
        '#, python-format\nmsgid "%(n)s건"\nmsgid_plural "%(n)s건"\nmsgstr[0] "%(n)s case"\nmsgstr[1] "%(n)s cases"\n\n'
        'msgid ""\n"긴 "\n"문장"\nmsgstr ""\n"A long "\n"sentence"\n\n'
        'msgid "<code>Bearer &lt;토큰&gt;</code> 헤더"\nmsgstr "<code>Bearer &lt;token&gt;</code> header"\n\n'
        '#~ msgid "지운 문장"\n#~ msgstr ""\n'
    )
    entries = parse_po(text)
    assert [e.msgid for e in entries] == ["", "%(n)s건", "긴 문장", "<code>Bearer &lt;토큰&gt;</code> 헤더"]
    assert translation_problems(entries) == []


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ('msgid "저장"\nmsgstr ""\n', "no English translation"),
        ('#, fuzzy\nmsgid "저장"\nmsgstr "Save"\n', "fuzzy"),
        ('#, python-format\nmsgid "%(name)s 님"\nmsgstr "Dear %(nam)s"\n', "placeholders differ"),
        ('#, python-format\nmsgid "%(pct)s%% 이상"\nmsgstr "at least %(pct)s%"\n', "placeholders differ"),
        ('msgid "{count}건"\nmsgstr "cases"\n', "placeholders differ"),
        ('msgid "<strong>주의</strong>"\nmsgstr "Caution"\n', "placeholders differ"),
        (
            '#, python-format\nmsgid "%(n)s건"\nmsgid_plural "%(n)s건"\nmsgstr[0] "%(n)s case"\nmsgstr[1] ""\n',
            "msgstr[1]",
        ),
    ],
)
def test_checker_reports_a_bad_entry(body: str, complaint: str) -> None:
    problems = translation_problems(parse_po(_HEADER + body))
    assert len(problems) == 1
    assert complaint in problems[0]


def test_checker_reports_a_fuzzy_header() -> None:
    assert "the header is marked fuzzy" in translation_problems(parse_po("#, fuzzy\n" + _HEADER))


# --- the committed catalogue ---------------------------------------------------------------


def test_english_catalogue_has_no_untranslated_or_fuzzy_entry_or_broken_placeholder() -> None:
    entries = _read(PO_PATH)
    assert len(entries) > 1, "the English catalogue is empty"
    problems = translation_problems(entries)
    assert not problems, "English catalogue problems:\n" + "\n".join(problems)


def test_compiled_catalogue_matches_the_po_file() -> None:
    with MO_PATH.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]
    stale: list[str] = []
    entries = [e for e in _read(PO_PATH) if e.msgid or e.msgctxt]
    for entry in entries:
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt is not None else entry.msgid
        if entry.msgid_plural is None:
            if catalog.get(key) != entry.msgstr[0]:
                stale.append(entry.label)
        elif any(catalog.get((key, i)) != entry.msgstr.get(i) for i in (0, 1)):
            stale.append(entry.label)
    assert not stale, "django.mo is out of date, run `make messages`:\n" + "\n".join(stale[:20])
    assert len(catalog) >= len(entries)


def test_english_is_served_from_the_catalogue() -> None:
    # Passed through variables so that makemessages does not collect this file as a source.
    title, working_days = "적극행정 통합관리시스템", "%(n)s근무일"
    with translation.override("en"):
        assert translation.gettext(title) == "Active Administration Management System"
        assert translation.ngettext(working_days, working_days, 1) % {"n": 1} == "1 working day"
        assert translation.ngettext(working_days, working_days, 3) % {"n": 3} == "3 working days"
    with translation.override("ko"):
        assert translation.gettext(title) == title


def _copy_sources(destination: Path) -> None:
    base = Path(settings.BASE_DIR)
    for directory, dirnames, filenames in os.walk(base):
        relative = Path(directory).relative_to(base)
        dirnames[:] = [
            d for d in dirnames if not d.startswith(".") and d not in IGNORED_DIRS and relative / d not in IGNORED_PATHS
        ]
        for name in filenames:
            if name.endswith((".py", ".html", ".txt")):
                target = destination / relative / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(Path(directory) / name, target)


def test_every_source_string_is_in_the_catalogue_and_translated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        message = "GNU gettext (xgettext, msgmerge) is needed to compare the catalogue with the source"
        if os.environ.get("CI") in ("true", "1"):
            pytest.fail(message + " (apt-get install gettext)")
        pytest.skip(message)
    tree = tmp_path / "src"
    _copy_sources(tree)
    catalogue = tree / "locale" / "en" / "LC_MESSAGES" / "django.po"
    catalogue.parent.mkdir(parents=True)
    shutil.copyfile(PO_PATH, catalogue)
    monkeypatch.chdir(tree)
    with override_settings(LOCALE_PATHS=[tree / "locale"]):
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    fresh = [e for e in _read(catalogue) if e.msgid or e.msgctxt]
    committed = {(e.msgctxt, e.msgid) for e in _read(PO_PATH)}
    new = [e.label for e in fresh if (e.msgctxt, e.msgid) not in committed]
    assert not new, (
        "translatable strings missing from locale/en/LC_MESSAGES/django.po; run `make messages` and "
        "translate them:\n" + "\n".join(new)
    )
    problems = translation_problems(_read(catalogue))
    assert not problems, "\n".join(problems)
