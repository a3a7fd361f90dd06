"""make vendor: cut the PretendardGOV fonts into unicode-range slices (docs/adr/0002, 0035).

krds-uiux ships PretendardGOV 400/500/700 as three whole woff2 files (~260 KB each: Latin,
symbols and the 2,780 Hangul syllables of its subset). A browser that meets them downloads
each weight whole, whatever the page shows. Here the weights the stylesheets use, Regular
(400) and Bold (700), are cut into small woff2 slices, each declared with its own
`unicode-range`, so a page downloads only the slices holding the characters it shows (the
"dynamic subset" of Pretendard and of Google Fonts' Korean fonts). No stylesheet asks for
Medium (500; office/tests/test_static_assets.py checks it), so it is not served.

- slice 000, the basic slice: ASCII, the punctuation and the few Hangul syllables every
  page uses in either language. It holds U+0020, so the browser fetches it for every weight
  a page uses (the first available font gives the line its metrics);
- the interface slices: the Hangul syllables of the project's own Korean strings (the msgids
  of the translation catalogue), split by where the strings appear (their `#:` references):
  first the public corner's (PUBLIC_SOURCES: its templates and views, the shared shell and
  components, and the forms and models of the apps with a public side), then the rest, the
  office's. Regular has one slice each. Bold text is headings, labels and titles, few
  characters a page: Bold's public slice holds the syllables of the short public strings
  (at most SHORT characters) and a second one the rest; its office syllables come in slices
  of BOLD_CHUNK, in frequency order;
- then what user-written text adds, in the Hangul frequency order of Pretendard's own
  dynamic subset (its published unicode-ranges, most frequent first): the first HOT
  syllables in slices of TAIL_SIZE, the rarer ones BLOCK a slice in code-point order (a
  short unicode-range each); the other characters of a published range stay together as they
  were, in slices of at most SYMBOLS;
- last, anything of the font that no published range names.

Hangul syllables take part in no OpenType lookup of the font (no kerning, no contextual
forms), so which slice holds one changes nothing in how it is drawn. The slices keep only the
OpenType features a browser applies by default (the stylesheets ask for no other: the test
checks it) and no vertical metrics (no stylesheet sets a vertical writing mode), so text
looks as it did with the whole fonts. Timestamps are kept, so the same inputs give the same
files.

usage: python scripts/font_slices.py FONTS_DIR RANGES_CSS CATALOGUE_PO OUT_DIR SOURCE_NOTE
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The cutting itself is shared with the pages' own subsets (core/page_fonts.py, docs/adr/0036).
from core.fontcut import (
    FAMILY,
    FEATURES,
    NAME_IDS,
    VERTICAL,
    WEIGHTS,
    Face,
    cut,
    faces,
    font_face,
    parse_unicode_range,
    rename,
    sfnt,
    unicode_range,
)

__all__ = [
    "FAMILY", "FEATURES", "NAME_IDS", "VERTICAL", "WEIGHTS", "Face", "cut", "faces", "font_face",
    "parse_unicode_range", "rename", "sfnt", "unicode_range",
]  # fmt: skip

CSS_NAME = "pretendard-gov.css"
TAIL_SIZE = 16
HOT = 1000
BLOCK = 128
SYMBOLS = 48
SHORT = 40
BOLD_CHUNK = 24
#: ASCII, common punctuation, and the Hangul that every page shows in either language: the
#: language switch names Korean in Korean ("한국어"), KRDS's script marks the current item
#: "선택됨" for screen readers
BASIC = set(range(0x20, 0x7F)) | {ord(c) for c in "한국어선택됨"} | {
    0xA0, 0xA9, 0xB7, 0xD7, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D,
    0x2022, 0x2026, 0x203B, 0x2190, 0x2192, 0x20A9,
}  # fmt: skip
HANGUL = range(0xAC00, 0xD7A4)
#: the sources of the public corner's strings: its templates (templates/portal/, an app's
#: templates/<app>/portal/ or portal_*.html), the shell and components every page shares, the
#: error pages, and its Python modules (portal/, an app's portal_*.py)
PUBLIC_SOURCES = re.compile(
    r"^(templates/(base\.html|components/|errors/|portal/|[a-z_]+/portal[/_])|portal/|[a-z_]+/portal_[a-z_]+\.py$)"
)
#: an app with public pages ...
PUBLIC_APP = re.compile(r"^(?:templates/)?(?!templates/)([a-z_]+)/portal[/_]")
#: ... shows the labels and choices of its forms and models there
PUBLIC_APP_MODULES = ("forms.py", "models.py")


@dataclass(frozen=True)
class Message:
    """A msgid of the catalogue (the Korean source string) and the files that use it."""

    text: str
    sources: tuple[str, ...]


def published_ranges(css: str) -> list[set[int]]:
    """The code points of each slice of a Pretendard dynamic-subset stylesheet, most
    frequent first (its slice [119] holds the commonest syllables, [0] the rarest)."""
    slices: dict[int, set[int]] = {}
    for face in re.findall(r"@font-face\s*{(.*?)}", css, re.DOTALL):
        index = re.search(r"\.subset\.(\d+)\.woff2", face)
        ranges = re.search(r"unicode-range:\s*([^;]+);", face)
        if index is None or ranges is None:
            continue
        slices.setdefault(int(index.group(1)), parse_unicode_range(ranges.group(1)))
    if len(slices) < 100:
        raise SystemExit(f"font_slices: {len(slices)} slices in the ranges stylesheet: not a dynamic subset")
    return [slices[i] for i in sorted(slices, reverse=True)]


def messages(po: str) -> list[Message]:
    """The msgids (and msgid_plurals) of a .po file with the source files of their `#:`
    references; a string's text is its quoted parts joined, escapes left as written."""
    found: list[Message] = []
    sources: list[str] = []
    parts: list[str] = []
    in_msgid = False

    def close() -> None:
        if parts:
            found.append(Message("".join(parts), tuple(dict.fromkeys(sources))))
        parts.clear()

    for line in po.splitlines():
        if line.startswith("#: "):
            sources.extend(ref.rpartition(":")[0] or ref for ref in line[3:].split())
        elif line.startswith(("msgid ", "msgid_plural ")):
            close()
            in_msgid = True
            parts.append(line.partition(" ")[2].strip()[1:-1])
        elif in_msgid and line.startswith('"'):
            parts.append(line.strip()[1:-1])
        elif line.startswith("msgstr"):
            close()
            in_msgid = False
            sources = []
    close()
    return [m for m in found if m.text]


def syllables(texts: Iterable[str]) -> set[int]:
    return {ord(c) for text in texts for c in text if ord(c) in HANGUL}


def catalogue_syllables(po: str) -> set[int]:
    """The Hangul syllables of the msgids (the Korean source strings) of a .po file."""
    return syllables(m.text for m in messages(po))


def interface(po: str) -> tuple[set[int], set[int], set[int]]:
    """The Hangul syllables of the catalogue's public strings, of its short public strings
    (at most SHORT characters: what headings, labels and titles say) and of all its strings."""
    catalogue = messages(po)
    apps = {match.group(1) for m in catalogue for source in m.sources if (match := PUBLIC_APP.match(source))}
    modules = {f"{app}/{name}" for app in apps for name in PUBLIC_APP_MODULES}
    public = [m.text for m in catalogue if any(PUBLIC_SOURCES.match(s) or s in modules for s in m.sources)]
    return (
        syllables(public),
        syllables(text for text in public if len(text) <= SHORT),
        syllables(m.text for m in catalogue),
    )


def frequency_order(published: Sequence[set[int]]) -> dict[int, int]:
    """Each code point's place in the frequency order of the published ranges."""
    rank: dict[int, int] = {}
    for points in published:
        for point in sorted(points):
            rank.setdefault(point, len(rank))
    return rank


def cut_runs(points: Iterable[int], size: int) -> list[set[int]]:
    ordered = list(points)
    return [set(ordered[i : i + size]) for i in range(0, len(ordered), size)]


def tails(cmap: set[int], published: Sequence[set[int]], taken: set[int]) -> list[set[int]]:
    """What the basic and interface slices left: the Hangul in frequency order (the first HOT
    in slices of TAIL_SIZE, the rarer ones BLOCK a slice in code-point order), each published
    range's other characters together (cut at SYMBOLS), then whatever no range names."""
    taken = set(taken)
    hangul: list[int] = []
    symbols: list[set[int]] = []
    for points in published:
        rest = sorted((points & cmap) - taken)
        taken.update(rest)
        hangul += [p for p in rest if p in HANGUL]
        symbols += cut_runs((p for p in rest if p not in HANGUL), SYMBOLS)
    hangul += sorted(p for p in cmap - taken if p in HANGUL)
    taken.update(hangul)
    return [*cut_runs(hangul[:HOT], TAIL_SIZE), *cut_runs(sorted(hangul[HOT:]), BLOCK), *symbols, cmap - taken]


def plan(cmap: set[int], published: Sequence[set[int]], po: str) -> dict[int, list[set[int]]]:
    """The slices of each weight, in order; each weight's slices hold every character of the
    font, each once, and end in the same tail slices."""
    basic = BASIC & cmap
    public, short, catalogue = ((points & cmap) - basic for points in interface(po))
    office = catalogue - public
    rank = frequency_order(published)
    by_frequency = sorted(office, key=lambda p: (rank.get(p, len(rank)), p))
    rest = tails(cmap, published, basic | catalogue)
    slices = {
        400: [basic, public, office, *rest],
        700: [basic, short, public - short, *cut_runs(by_frequency, BOLD_CHUNK), *rest],
    }
    return {weight: [s for s in parts if s] for weight, parts in slices.items()}


def main(fonts: Path, ranges_css: Path, catalogue: Path, out: Path, source_note: str) -> None:
    published = published_ranges(ranges_css.read_text())
    po = catalogue.read_text()
    out.mkdir(parents=True, exist_ok=True)
    css: list[str] = []
    cmap: set[int] | None = None
    slices: dict[int, list[set[int]]] = {}
    for weight, style in WEIGHTS.items():
        font = fonts / f"PretendardGOV-{style}.subset.woff2"
        data = sfnt(font)
        points = set(TTFont(io.BytesIO(data))["cmap"].getBestCmap())
        if cmap is None:
            cmap, slices = points, plan(points, published, po)
        elif points != cmap:
            raise SystemExit(f"font_slices: {font.name} covers other characters than the Regular weight")
        for index, part in enumerate(slices[weight]):
            name = f"PretendardGOV-{style}.{index:03d}.woff2"
            (out / name).write_bytes(cut(data, part))
            css.append(font_face(weight, name, part))
    header = (
        f"/* {FAMILY}: PretendardGOV 400 and 700 in unicode-range slices (a Modified Version under\n"
        "   the OFL, named anew): a page downloads only the slices of the characters it shows.\n"
        "   Written by scripts/font_slices.py (make vendor); do not edit.\n"
        f"   {source_note}\n"
        "   Copyright (c) 2021, Kil Hyung-jin (https://github.com/orioncactus/pretendard), with\n"
        "   Reserved Font Name Pretendard. SIL Open Font License 1.1: ../../LICENSES/OFL-1.1-PretendardGOV.txt */\n"
    )
    (out / CSS_NAME).write_text(header + "".join(css))
    regular, bold = slices[400], slices[700]
    sys.stdout.write(
        f"Regular: {len(regular)} slices (basic {len(regular[0])} characters, public {len(regular[1])} and office "
        f"{len(regular[2])} syllables); Bold: {len(bold)} slices (short public strings {len(bold[1])} syllables)\n"
    )


if __name__ == "__main__":
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), sys.argv[5])
