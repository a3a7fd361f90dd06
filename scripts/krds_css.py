"""make vendor: keep of KRDS's stylesheet only what our pages can use (docs/adr/0034).

krds-uiux's compiled stylesheet (resources/css/component/output.css, ~580 KB, ~37 KB with
Brotli, plus the design tokens it @imports) styles every KRDS component; our pages use a
small part of them. This script writes static/vendor/krds/css/component/output.css from the
unpruned copy in static_src/krds/ (which is not served), keeping:

- every style rule of which one selector can match what the project renders: each class,
  id and data-* attribute it names must be a name that
  - appears anywhere in a template (templates/**/*.html, and Django's form widget
    templates): every word of a template counts, not only those inside class="...";
  - appears in a string of the project's Python code (widget attrs, badge tones, action
    styles), a class built as "bg-light-{tone}" counting as the stem "bg-light-";
  - KRDS's UI script adds at run time (classList.add/toggle/replace, className, class="..."
    in its markup strings; the data-* attributes it sets), or htmx adds (htmx-request...);
  elements, attribute selectors other than data-*, pseudo-classes and pseudo-elements
  never remove a selector (they can match), nor does what stands inside :not(); inside
  :is(), :where() and :has() one argument must be able to match;
- the selectors of a kept rule that can match, the others dropped from its list (the whole
  list is kept when it holds a vendor-prefixed pseudo: a list holding one the browser does
  not know is dropped whole by that browser, and must stay so);
- @media and @supports with the rules kept inside them, @font-face, and any other at-rule;
- the design tokens (krds_tokens.css, @imported by the source) inlined in place of the
  @import, which saves a request;
- only the custom properties (--krds-...) that something kept reads: a var() of a kept
  declaration, of our own stylesheets (static/css), of KRDS's UI script (it reads
  --krds-zoom-* and --krds-contents-padding-x), and transitively the custom properties
  those read; @keyframes only when a kept declaration names them.

Comments go, one rule a line. office/tests/test_krds_css.py recomputes the result from
the source and fails when the committed file differs (a template began using a KRDS class
whose rules were pruned): run this script again (it needs no npm).

usage: python scripts/krds_css.py [SOURCE_CSS UI_SCRIPT HTMX OUT_CSS]
(without arguments: from static_src/krds and static/vendor/htmx to static/vendor/krds)
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import django
import tinycss2  # type: ignore[import-untyped]

ROOT = Path(__file__).resolve().parent.parent
#: the package's stylesheets as copied by scripts/vendor-frontend.sh, not served
SOURCE = ROOT / "static_src" / "krds" / "css" / "component" / "output.css"
#: KRDS's UI script as the package ships it (the served copy is minified)
UI_SCRIPT = ROOT / "static_src" / "krds" / "js" / "ui-script.js"
OUT = ROOT / "static" / "vendor" / "krds" / "css" / "component" / "output.css"
HTMX = ROOT / "static" / "vendor" / "htmx" / "htmx.min.js"
#: top-level folders holding no markup of ours (static_src holds KRDS's own)
NOT_PROJECT = {".git", ".venv", "node_modules", "var", "static", "static_src", "docs", "locale", "scripts"}
#: code that renders no page
NOT_RENDERING = {"tests", "migrations"}

WORD = re.compile(r"-?[A-Za-z_][\w-]*")
#: a class completed by a template expression: pa-field-{{ kind }}, {{ x }}-suffix
TEMPLATE_PREFIX = re.compile(r"(-?[A-Za-z_][\w-]*)\{[{%]")
TEMPLATE_SUFFIX = re.compile(r"[}%]\}([\w-]+)")
STEM_MIN = 3
JS_STRING = re.compile(r"\"([^\"\n]*)\"|'([^'\n]*)'|`([^`]*)`")
JS_CLASS_CALL = re.compile(r"classList\.(?:add|toggle|replace)\(([^)]*)\)")
JS_CLASS_NAME = re.compile(r"className\s*=\s*(\"[^\"]*\"|'[^']*'|`[^`]*`)")
JS_CLASS_ATTRIBUTE = re.compile(r"""class=(?:"([^"]*)"|'([^']*)')""")
JS_DATA_ATTRIBUTE = re.compile(r"\bdata-[\w-]+")
JS_DATASET = re.compile(r"\bdataset\.([A-Za-z]\w*)")
CUSTOM_PROPERTY = re.compile(r"--[\w-]+")
#: pseudo-classes of which one argument must be able to match
MATCHING_FUNCTIONS = {"is", "where", "matches", "any", "-webkit-any", "-moz-any", "has"}
VENDOR_PSEUDO = re.compile(r":-(?:webkit|moz|ms|o)-", re.IGNORECASE)
GROUPING_AT_RULES = {"media", "supports", "container", "layer", "document", "-moz-document"}


@dataclass(frozen=True)
class Names:
    """The class names, ids and data-* attributes our pages can hold: whole words, and the
    stems (prefixes, suffixes) of names completed when a page is rendered."""

    words: frozenset[str]
    prefixes: frozenset[str] = frozenset()
    suffixes: frozenset[str] = frozenset()

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        return (
            name in self.words
            or any(name.startswith(stem) for stem in self.prefixes)
            or any(name.endswith(stem) for stem in self.suffixes)
        )

    def __or__(self, other: Names) -> Names:
        return Names(self.words | other.words, self.prefixes | other.prefixes, self.suffixes | other.suffixes)


# --- What the project renders -------------------------------------------------------------


def project_files(root: Path, suffix: str) -> Iterator[Path]:
    """The project's own files ending in `suffix`, without tests, migrations and what is
    not ours (virtualenv, node_modules, static files)."""
    for top in sorted(root.iterdir()):
        if top.name in NOT_PROJECT or top.name.startswith("."):
            continue
        candidates = [top] if top.is_file() else sorted(top.rglob(f"*{suffix}"))
        for path in candidates:
            if path.name.endswith(suffix) and not NOT_RENDERING & set(path.relative_to(root).parts):
                yield path


def template_names(text: str) -> Names:
    """Every word of a template, and the stems of classes completed by {{ }} or {% %}."""
    return Names(
        frozenset(WORD.findall(text)),
        frozenset(stem for stem in TEMPLATE_PREFIX.findall(text) if len(stem) >= STEM_MIN),
        frozenset(stem for stem in TEMPLATE_SUFFIX.findall(text) if len(stem) >= STEM_MIN),
    )


def python_names(source: str) -> Names:
    """The words of every string in Python code; in an f-string, the word just before a
    replacement field is a prefix ("bg-light-{tone}"), the word just after one a suffix."""
    words: set[str] = set()
    prefixes: set[str] = set()
    suffixes: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            words.update(WORD.findall(node.value))
        elif isinstance(node, ast.JoinedStr):
            parts = node.values
            for index, part in enumerate(parts):
                if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                    continue
                text = part.value
                found = WORD.findall(text)
                words.update(found)
                if found and index + 1 < len(parts) and not text[-1:].isspace() and text.endswith(found[-1]):
                    prefixes.add(found[-1])
                if found and index > 0 and not text[:1].isspace() and text.startswith(found[0]):
                    suffixes.add(found[0])
    return Names(
        frozenset(words),
        frozenset(stem for stem in prefixes if len(stem) >= STEM_MIN),
        frozenset(stem for stem in suffixes if len(stem) >= STEM_MIN),
    )


def _js_strings(text: str) -> list[str]:
    return [next(group for group in match.groups() if group is not None) for match in JS_STRING.finditer(text)]


def script_names(ui_script: str, htmx: str) -> Names:
    """The classes KRDS's UI script and htmx add at run time, and the data-* attributes
    and custom properties the UI script sets or reads."""
    words: set[str] = set()
    for call in JS_CLASS_CALL.findall(ui_script):
        for string in _js_strings(call):
            words.update(WORD.findall(string))
    for assigned in JS_CLASS_NAME.findall(ui_script):
        words.update(WORD.findall(assigned[1:-1]))
    for double, single in JS_CLASS_ATTRIBUTE.findall(ui_script):
        words.update(WORD.findall(double or single))
    words.update(JS_DATA_ATTRIBUTE.findall(ui_script))
    words.update(
        "data-" + re.sub(r"[A-Z]", lambda m: "-" + m.group(0).lower(), key) for key in JS_DATASET.findall(ui_script)
    )
    words.update(CUSTOM_PROPERTY.findall(ui_script))
    words.update(re.findall(r"htmx-[a-z][\w-]*", htmx))
    return Names(frozenset(words))


def django_form_names() -> Names:
    """What Django's own form rendering writes (widget templates, errorlist, helptext)."""
    forms = Path(django.__file__).parent / "forms"
    names = Names(frozenset())
    for path in sorted(forms.rglob("*.html")):
        names |= template_names(path.read_text())
    for path in sorted(forms.glob("*.py")):
        names |= python_names(path.read_text())
    return names


def project_names(root: Path = ROOT, ui_script: Path = UI_SCRIPT, htmx: Path = HTMX) -> Names:
    """Every name our pages can hold: templates, Python strings, the scripts' run-time classes."""
    names = django_form_names() | script_names(ui_script.read_text(), htmx.read_text())
    for path in project_files(root, ".html"):
        names |= template_names(path.read_text())
    for path in project_files(root, ".py"):
        names |= python_names(path.read_text())
    return names


# --- Selectors ----------------------------------------------------------------------------


def split_commas(nodes: Sequence[Any]) -> list[list[Any]]:
    """A selector list's selectors (top-level commas)."""
    parts: list[list[Any]] = [[]]
    for node in nodes:
        if node.type == "literal" and node.value == ",":
            parts.append([])
        else:
            parts[-1].append(node)
    return parts


def _significant(nodes: Iterable[Any]) -> list[Any]:
    return [node for node in nodes if node.type not in {"whitespace", "comment"}]


def may_match(selector: Sequence[Any], names: Names) -> bool:
    """Whether a complex selector can match a page: every class, id and data-* attribute it
    requires is one our pages can hold. Elements, other attributes and pseudo-classes can
    always match; :not() requires nothing; :is()/:where()/:has() need one matching argument."""
    nodes = list(selector)
    for index, node in enumerate(nodes):
        if node.type == "literal" and node.value == "." and index + 1 < len(nodes):
            following = nodes[index + 1]
            if following.type == "ident" and following.value not in names:
                return False
        elif node.type == "hash" and node.value not in names:
            return False
        elif node.type == "[] block":
            inside = _significant(node.content)
            attribute = inside[0].value if inside and inside[0].type == "ident" else ""
            if attribute.lower().startswith("data-") and attribute not in names:
                return False
        elif node.type == "function" and node.lower_name.removeprefix(":") in MATCHING_FUNCTIONS:
            preceded_by_colon = index > 0 and nodes[index - 1].type == "literal" and nodes[index - 1].value == ":"
            if preceded_by_colon and not any(may_match(part, names) for part in split_commas(node.arguments)):
                return False
    return True


def _text(nodes: Iterable[Any]) -> str:
    """Nodes serialized with each run of whitespace as one space, comments dropped."""
    return "".join(
        " " if node.type == "whitespace" else node.serialize() for node in nodes if node.type != "comment"
    ).strip()


def kept_selectors(prelude: Sequence[Any], names: Names) -> str | None:
    """The selectors of a rule that can match, or None when none can."""
    selectors = split_commas(prelude)
    matching = [selector for selector in selectors if may_match(selector, names)]
    if not matching:
        return None
    if len(matching) < len(selectors) and VENDOR_PSEUDO.search(_text(prelude)):
        matching = selectors
    return ",".join(_text(selector) for selector in matching)


# --- The stylesheet -----------------------------------------------------------------------


@dataclass
class Declaration:
    name: str
    value: list[Any]
    important: bool

    def text(self) -> str:
        return f"{self.name}:{_text(self.value)}{'!important' if self.important else ''}"


@dataclass
class Style:
    selectors: str
    body: list[Declaration | str]  # a nested rule (none in KRDS 1.1) is kept as its text


@dataclass
class Group:
    """@media, @supports and the like, with the rules kept inside."""

    head: str
    rules: list[Item]


@dataclass
class Verbatim:
    """@font-face, @keyframes and any other at-rule, kept whole (@keyframes only if named)."""

    text: str
    keyframes: str = ""


Item = Style | Group | Verbatim


def _fail(message: str) -> SystemExit:
    return SystemExit(f"krds_css: {message}")


def _declarations(content: Sequence[Any]) -> list[Declaration | str]:
    body: list[Declaration | str] = []
    for node in tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True):
        if node.type == "declaration":
            body.append(Declaration(node.name, list(node.value), node.important))
        elif node.type == "error":
            raise _fail(f"cannot read a declaration at line {node.source_line}: {node.message}")
        else:
            body.append(node.serialize())
    return body


def parse_rules(nodes: Sequence[Any], names: Names, source: Path) -> list[Item]:
    """The rules of a stylesheet (or a group's content) that our pages can use."""
    items: list[Item] = []
    for node in nodes:
        if node.type == "error":
            raise _fail(f"{source.name} line {node.source_line}: {node.message}")
        if node.type == "qualified-rule":
            selectors = kept_selectors(node.prelude, names)
            if selectors is not None:
                items.append(Style(selectors, _declarations(node.content or [])))
        elif node.lower_at_keyword == "charset":
            continue
        elif node.lower_at_keyword == "import":
            items.extend(_imported(node, names, source))
        elif node.lower_at_keyword in GROUPING_AT_RULES and node.content is not None:
            inner = parse_rules(
                tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True), names, source
            )
            items.append(Group(f"@{node.at_keyword} {_text(node.prelude)}".rstrip(), inner))
        elif node.lower_at_keyword.endswith("keyframes"):
            items.append(Verbatim(node.serialize(), keyframes=_text(node.prelude)))
        else:
            items.append(Verbatim(node.serialize()))
    return items


def _imported(rule: Any, names: Names, source: Path) -> list[Item]:
    """An @import of a local stylesheet, inlined (its rules come first in the cascade where
    the @import stood, as before)."""
    target = _significant(rule.prelude)
    if len(target) != 1 or target[0].type not in {"string", "url"}:
        raise _fail(f"{source.name}: an @import with conditions or media: {_text(rule.prelude)}")
    path = (source.parent / target[0].value).resolve()
    text = path.read_text()
    if "url(" in text:
        raise _fail(f"{path.name} refers to files by url(): inlining it would move them")
    return parse_rules(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True), names, path)


def _walk(items: Iterable[Item]) -> Iterator[Item]:
    for item in items:
        yield item
        if isinstance(item, Group):
            yield from _walk(item.rules)


def _var_names(nodes: Iterable[Any]) -> set[str]:
    found: set[str] = set()
    for node in nodes:
        if node.type == "function":
            if node.lower_name == "var":
                found.update(arg.value for arg in node.arguments if arg.type == "ident" and arg.value.startswith("--"))
            found |= _var_names(node.arguments)
        elif node.type in {"() block", "[] block", "{} block"}:
            found |= _var_names(node.content)
    return found


def read_custom_properties(items: list[Item], also_read: set[str]) -> set[str]:
    """The custom properties something reads: the var()s of ordinary declarations and
    `also_read`, then what the custom properties so read read in turn."""
    read = set(also_read)
    reads_of: dict[str, set[str]] = {}
    for item in _walk(items):
        if not isinstance(item, Style):
            continue
        for declaration in item.body:
            if isinstance(declaration, str):
                read |= set(CUSTOM_PROPERTY.findall(declaration))
            elif declaration.name.startswith("--"):
                reads_of.setdefault(declaration.name, set()).update(_var_names(declaration.value))
            else:
                read |= _var_names(declaration.value)
    for item in _walk(items):
        if isinstance(item, Verbatim):
            read |= set(CUSTOM_PROPERTY.findall(item.text))
    pending = list(read)
    while pending:
        for name in reads_of.get(pending.pop(), set()):
            if name not in read:
                read.add(name)
                pending.append(name)
    return read


def _idents(items: list[Item]) -> set[str]:
    """The identifiers of every declaration kept: a @keyframes is kept when one names it
    (in `animation`, or in a custom property that an `animation` reads)."""
    found: set[str] = set()
    for item in _walk(items):
        if isinstance(item, Style):
            for declaration in item.body:
                if isinstance(declaration, Declaration):
                    found.update(node.value for node in declaration.value if node.type == "ident")
                else:
                    found.update(WORD.findall(declaration))
    return found


def _trimmed(items: list[Item], read: set[str], animations: set[str] | None = None) -> list[Item]:
    """Without unread custom properties, what is left empty, and (given the names
    `animations`) the @keyframes none of them names."""
    kept: list[Item] = []
    for item in items:
        if isinstance(item, Style):
            body = [d for d in item.body if isinstance(d, str) or not d.name.startswith("--") or d.name in read]
            if body:
                kept.append(Style(item.selectors, body))
        elif isinstance(item, Group):
            inner = _trimmed(item.rules, read, animations)
            if inner:
                kept.append(Group(item.head, inner))
        elif not item.keyframes or animations is None or item.keyframes in animations:
            kept.append(item)
    return kept


def _lines(items: list[Item]) -> Iterator[str]:
    for item in items:
        if isinstance(item, Style):
            body = ";".join(d if isinstance(d, str) else d.text() for d in item.body)
            yield f"{item.selectors}{{{body}}}"
        elif isinstance(item, Group):
            yield f"{item.head}{{"
            yield from _lines(item.rules)
            yield "}"
        else:
            yield item.text


def prune(source: Path, names: Names, *, read_elsewhere: Iterable[str] = (), header: str = "") -> str:
    """The stylesheet `source` (and what it @imports) with only what `names` can use.
    `read_elsewhere`: custom properties other stylesheets and scripts read."""
    text = source.read_text()
    items = parse_rules(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True), names, source)
    read = read_custom_properties(items, set(read_elsewhere))
    kept = _trimmed(items, read)
    kept = _trimmed(kept, read, _idents(kept))
    head = ['@charset "UTF-8";'] if text.lstrip().lower().startswith("@charset") else []
    if header:
        head.append(f"/* {header} */")
    return "\n".join([*head, *_lines(kept)]) + "\n"


def read_by_project(root: Path = ROOT, ui_script: Path = UI_SCRIPT) -> set[str]:
    """Custom properties our stylesheets (static/css) and KRDS's UI script read."""
    read = set(CUSTOM_PROPERTY.findall(ui_script.read_text()))
    for sheet in sorted((root / "static" / "css").rglob("*.css")):
        read |= set(CUSTOM_PROPERTY.findall(sheet.read_text()))
    return read


HEADER = (
    "KRDS (krds-uiux) output.css with its tokens, pruned to the rules our pages can use by"
    " scripts/krds_css.py (make vendor); do not edit. The whole file: static_src/krds/css."
    " ISC licence and the KRDS terms of use: ../../../NOTICE.md"
)


def build(source: Path = SOURCE, ui_script: Path = UI_SCRIPT, htmx: Path = HTMX, root: Path = ROOT) -> str:
    """The pruned stylesheet for the project at `root`."""
    names = project_names(root, ui_script, htmx)
    return prune(source, names, read_elsewhere=read_by_project(root, ui_script), header=HEADER)


def main(source: Path, ui_script: Path, htmx: Path, out: Path) -> None:
    text = build(source, ui_script, htmx)
    out.write_text(text)
    sys.stdout.write(f"{out.name}: {source.stat().st_size // 1024} KB -> {len(text.encode()) // 1024} KB\n")


if __name__ == "__main__":
    if len(sys.argv) == 5:
        main(*(Path(argument) for argument in sys.argv[1:]))
    elif len(sys.argv) == 1:
        main(SOURCE, UI_SCRIPT, HTMX, OUT)
    else:
        raise SystemExit(__doc__)
