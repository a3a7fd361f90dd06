"""Cutting PretendardGOV into woff2 subsets: the slices `make vendor` writes
(scripts/font_slices.py, docs/adr/0002, 0035) and the subsets of a page's own user-written
text (core/page_fonts.py, docs/adr/0036) are cut the same way, named the same, with the
same features. No Django here: the vendoring script imports it without settings.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

#: the slices are a Modified Version under the SIL OFL 1.1, which may not use the Reserved Font
#: Name "Pretendard" (§3): they are named anew, in the font and in the stylesheet
FAMILY = "Proactive GOV Sans"
WEIGHTS = {400: "Regular", 700: "Bold"}
#: what HarfBuzz (Chromium, Firefox) applies to horizontal text unless CSS asks for more;
#: ljmo/vjmo/tjmo are the Hangul shaper's
FEATURES = [
    "abvm", "blwm", "calt", "ccmp", "clig", "curs", "dist", "kern", "liga", "locl",
    "mark", "mkmk", "rclt", "rlig", "rvrn", "ljmo", "vjmo", "tjmo",
]  # fmt: skip
#: name records kept: family, style, version, copyright and the OFL notice (13, 14); the
#: family, full, PostScript and unique names (1, 3, 4, 6) are written anew by `rename`
NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 13, 14]
#: tables only vertical text reads
VERTICAL = ["vhea", "vmtx"]


@dataclass(frozen=True)
class Face:
    """One @font-face of the slices' stylesheet."""

    weight: int
    file: str
    points: frozenset[int]


def parse_unicode_range(value: str) -> set[int]:
    points: set[int] = set()
    for part in value.split(","):
        first, _, last = part.strip().removeprefix("U+").removeprefix("u+").partition("-")
        points.update(range(int(first, 16), int(last or first, 16) + 1))
    return points


def faces(css: str) -> list[Face]:
    """The @font-face rules of a stylesheet this script wrote, in order."""
    found = []
    for face in re.findall(r"@font-face\s*{(.*?)}", css, re.DOTALL):
        weight = re.search(r"font-weight:\s*(\d+)", face)
        url = re.search(r'url\("([^"]+)"\)', face)
        ranges = re.search(r"unicode-range:\s*([^;}]+)", face)
        if weight is None or url is None or ranges is None:
            raise ValueError(f"an @font-face without weight, url or unicode-range: {face[:200]}")
        found.append(Face(int(weight.group(1)), url.group(1), frozenset(parse_unicode_range(ranges.group(1)))))
    return found


def sfnt(font: Path | str) -> bytes:
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
    options.drop_tables += VERTICAL
    # lazy: only the glyphs kept are decompiled (the same bytes, twice as fast)
    source = TTFont(io.BytesIO(font), recalcTimestamp=False, lazy=True)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=points)
    subsetter.subset(source)
    rename(source)
    source.flavor = "woff2"
    out = io.BytesIO()
    source.save(out)
    return out.getvalue()


def rename(font: TTFont) -> None:
    """Give the slice FAMILY's names instead of the Reserved Font Name (the style stays), in
    Windows records only: browsers read no other."""
    table = font["name"]
    style = str(table.getDebugName(2) or "Regular")
    postscript = f"{FAMILY.replace(' ', '')}-{style.replace(' ', '')}"
    for name_id in (1, 3, 4, 6, 16, 17):
        table.removeNames(nameID=name_id)
    table.removeNames(platformID=1)
    for name_id, value in ((1, FAMILY), (3, f"{postscript};slice"), (4, f"{FAMILY} {style}"), (6, postscript)):
        table.setName(value, name_id, 3, 1, 0x409)


def unicode_range(points: Iterable[int]) -> str:
    runs: list[list[int]] = []
    for point in sorted(points):
        if runs and point == runs[-1][1] + 1:
            runs[-1][1] = point
        else:
            runs.append([point, point])
    return ",".join(f"U+{a:x}" if a == b else f"U+{a:x}-{b:x}" for a, b in runs)


def font_face(weight: int, name: str, points: set[int]) -> str:
    return (
        f'@font-face{{font-family:"{FAMILY}";font-weight:{weight};font-display:swap;'
        f'src:url("{name}") format("woff2");unicode-range:{unicode_range(points)}}}\n'
    )
