"""make vendor: cut the PretendardGOV fonts into unicode-range slices (docs/adr/0002).

krds-uiux ships PretendardGOV 400/500/700 as three whole woff2 files (~260 KB each: Latin,
symbols and the 2,780 Hangul syllables of its subset). A browser that meets them downloads
each weight whole, whatever the page shows. Here each weight is cut into small woff2 slices,
each declared with its own `unicode-range`, so a page downloads only the slices holding the
characters it shows (the "dynamic subset" of Pretendard and of Google Fonts' Korean fonts):

- slice 000, the basic slice: ASCII, the punctuation and the few Hangul syllables every
  page uses in either language;
- slice 001, the interface slice: every Hangul syllable of the project's own Korean
  strings (the msgids of the translation catalogue), so a page's interface text needs
  one file per weight (cut finer, a Korean page needed more files and bytes, not fewer);
- then the rest in the order of Hangul syllable frequency that Pretendard's own
  dynamic subset follows (its published unicode-ranges, most frequent first), each of
  those slices cut to at most TAIL_SIZE characters: what user-written text adds;
- last, anything of the font that no published range names.

The slices keep only the OpenType features a browser applies by default (the stylesheets ask
for no other: office/tests/test_static_assets.py checks it), so the text looks as it did with
the whole fonts. Timestamps are kept, so the same inputs give the same files.

usage: python scripts/font_slices.py FONTS_DIR RANGES_CSS CATALOGUE_PO OUT_DIR SOURCE_NOTE
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterable
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

#: the slices are a Modified Version under the SIL OFL 1.1, which may not use the Reserved Font
#: Name "Pretendard" (§3): they are named anew, in the font and in the stylesheet
FAMILY = "Proactive GOV Sans"
WEIGHTS = {400: "Regular", 500: "Medium", 700: "Bold"}
CSS_NAME = "pretendard-gov.css"
TAIL_SIZE = 48
#: what HarfBuzz (Chromium, Firefox) applies to horizontal text unless CSS asks for more;
#: ljmo/vjmo/tjmo are the Hangul shaper's
FEATURES = [
    "abvm", "blwm", "calt", "ccmp", "clig", "curs", "dist", "kern", "liga", "locl",
    "mark", "mkmk", "rclt", "rlig", "rvrn", "ljmo", "vjmo", "tjmo",
]  # fmt: skip
#: name records kept: family, style, version, copyright and the OFL notice (13, 14); the
#: family, full, PostScript and unique names (1, 3, 4, 6) are written anew by `rename`
NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 13, 14]
#: ASCII, common punctuation, and the Hangul that every page shows in either language: the
#: language switch names Korean in Korean ("한국어"), KRDS's script marks the current item
#: "선택됨" for screen readers
BASIC = set(range(0x20, 0x7F)) | {ord(c) for c in "한국어선택됨"} | {
    0xA0, 0xA9, 0xB7, 0xD7, 0x2013, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D,
    0x2022, 0x2026, 0x203B, 0x2190, 0x2192, 0x20A9,
}  # fmt: skip
HANGUL = range(0xAC00, 0xD7A4)


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


def parse_unicode_range(value: str) -> set[int]:
    points: set[int] = set()
    for part in value.split(","):
        first, _, last = part.strip().removeprefix("U+").removeprefix("u+").partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return points


def catalogue_syllables(po: str) -> set[int]:
    """The Hangul syllables of the msgids (the Korean source strings) of a .po file."""
    msgids: list[str] = []
    in_msgid = False
    for line in po.splitlines():
        if line.startswith(("msgid ", "msgid_plural ")) or (in_msgid and line.startswith('"')):
            in_msgid = True
            msgids.append(line)
        else:
            in_msgid = False
    return {ord(c) for c in "".join(msgids) if ord(c) in HANGUL}


def plan(cmap: set[int], published: list[set[int]], interface: set[int]) -> list[set[int]]:
    """The slices, in order; together they hold every character of the font, each once."""
    basic = BASIC & cmap
    ui = (interface & cmap) - basic
    slices = [basic, ui]
    taken = basic | ui
    for points in published:
        rest = sorted((points & cmap) - taken)
        taken.update(rest)
        slices += [set(rest[i : i + TAIL_SIZE]) for i in range(0, len(rest), TAIL_SIZE)]
    slices.append(cmap - taken)
    return [s for s in slices if s]


def sfnt(font: Path) -> bytes:
    """The font as plain sfnt bytes: quicker to load once per slice than the woff2."""
    loaded = TTFont(font, recalcTimestamp=False)
    loaded.flavor = None
    out = io.BytesIO()
    loaded.save(out)
    return out.getvalue()


def cut(font: bytes, points: set[int]) -> bytes:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = FEATURES
    options.name_IDs = NAME_IDS
    source = TTFont(io.BytesIO(font), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=points)
    subsetter.subset(source)
    rename(source)
    source.flavor = "woff2"
    out = io.BytesIO()
    source.save(out)
    return out.getvalue()


def rename(font: TTFont) -> None:
    """Give the slice FAMILY's names instead of the Reserved Font Name (the style stays)."""
    table = font["name"]
    style = str(table.getDebugName(2) or "Regular")
    postscript = f"{FAMILY.replace(' ', '')}-{style.replace(' ', '')}"
    for name_id in (1, 3, 4, 6, 16, 17):
        table.removeNames(nameID=name_id)
    for name_id, value in ((1, FAMILY), (3, f"{postscript};slice"), (4, f"{FAMILY} {style}"), (6, postscript)):
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)


def unicode_range(points: Iterable[int]) -> str:
    runs: list[list[int]] = []
    for point in sorted(points):
        if runs and point == runs[-1][1] + 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return ", ".join(f"U+{a:x}" if a == b else f"U+{a:x}-{b:x}" for a, b in runs)


def main(fonts: Path, ranges_css: Path, catalogue: Path, out: Path, source_note: str) -> None:
    published = published_ranges(ranges_css.read_text())
    interface = catalogue_syllables(catalogue.read_text())
    out.mkdir(parents=True, exist_ok=True)
    faces: list[str] = []
    cmap: set[int] | None = None
    slices: list[set[int]] = []
    for weight, style in WEIGHTS.items():
        font = fonts / f"PretendardGOV-{style}.subset.woff2"
        data = sfnt(font)
        points = set(TTFont(io.BytesIO(data))["cmap"].getBestCmap())
        if cmap is None:
            cmap, slices = points, plan(points, published, interface)
        elif points != cmap:
            raise SystemExit(f"font_slices: {font.name} covers other characters than the Regular weight")
        for index, part in enumerate(slices):
            name = f"PretendardGOV-{style}.{index:03d}.woff2"
            (out / name).write_bytes(cut(data, part))
            faces.append(
                "@font-face {\n"
                f'  font-family: "{FAMILY}";\n'
                "  font-style: normal;\n"
                f"  font-weight: {weight};\n"
                "  font-display: swap;\n"
                f'  src: url("{name}") format("woff2");\n'
                f"  unicode-range: {unicode_range(part)};\n"
                "}\n"
            )
    header = (
        f"/* {FAMILY}: PretendardGOV 400/500/700 in unicode-range slices (a Modified Version under\n"
        "   the OFL, named anew): a page downloads only the slices of the characters it shows.\n"
        "   Written by scripts/font_slices.py (make vendor); do not edit.\n"
        f"   {source_note}\n"
        "   Copyright (c) 2021, Kil Hyung-jin (https://github.com/orioncactus/pretendard), with\n"
        "   Reserved Font Name Pretendard. SIL Open Font License 1.1: ../../LICENSES/OFL-1.1-PretendardGOV.txt */\n"
    )
    (out / CSS_NAME).write_text(header + "".join(faces))
    sys.stdout.write(
        f"{len(slices)} slices a weight: basic {len(slices[0])} characters, interface {len(slices[1])} "
        f"syllables, {len(slices) - 2} more by frequency\n"
    )


if __name__ == "__main__":
    if len(sys.argv) != 6:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]), sys.argv[5])
