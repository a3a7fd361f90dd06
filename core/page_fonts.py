"""A page's own font for its user-written text (docs/adr/0036).

The slices of `make vendor` (docs/adr/0002, 0035) serve the interface well: its strings are
known, so its syllables sit in two files per weight that every page shares. User-written
text is not known in advance: a library card's title and summary draw a few hundred
syllables scattered over the font, and each one costs a whole tail slice (16 syllables,
~2.2 KiB) or a share of a large one. So a page that shows user-written text also names a
subset of its own: exactly the characters of that text that the slices every page fetches
anyway do not hold, one woff2 per weight (~85 bytes a syllable).

- Templates mark user-written text with `{% glyphs %}…{% endglyphs %}` (`{% glyphs bold %}`
  for text drawn in Bold: titles); the marks collect the text's characters in the page's
  `Glyphs` (the context processor `core.context_processors.page_font` gives each render
  one), and `{% page_font %}` at the end of the page writes one `@font-face` per weight,
  after the slices' stylesheet, in the same family, with a unicode-range of exactly those
  characters. Of faces whose ranges overlap, a browser tries the one declared last first
  (CSS Fonts 4 §4.5), so it fetches the page's face and not the tail slices for them.
- A mark is never needed for correctness: a character the page's face lacks (an unmarked
  text, an htmx fragment swapped in later) is drawn from the slices as before. A mark in the
  wrong weight costs bytes, not looks.
- The face's URL carries its characters, signed (`token`): the server keeps no state, any
  app server can answer it, and nobody can make it cut other sets than pages name. The view
  (`core.views.page_font`) cuts the subset from the whole font in `static_src/krds/fonts`
  (~0.2 s) the first time and keeps it in the cache; the URL never changes meaning, so the
  browser may keep it for a year.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core import signing
from django.core.cache import caches
from django.urls import reverse

from core import fontcut, ratelimit

logger = logging.getLogger(__name__)

SLICES = "vendor/krds/fonts/pretendard-gov.css"
SOURCES = Path(settings.BASE_DIR) / "static_src" / "krds" / "fonts"
#: the slices a page fetches whatever it shows: the basic slice (ASCII, punctuation; it holds
#: the space, so every weight a page uses fetches it) and, in Korean, the public interface slice
ALWAYS = ".000.woff2"
KOREAN_INTERFACE = ".001.woff2"
SALT = "core.page_fonts"
CACHE_SECONDS = 30 * 24 * 3600
#: subsets cut in a minute, all visitors together, before the view answers 404 instead (the
#: browser then takes the slices): bounds the CPU a flood of distinct pages can cost
#: (~0.2 s a cut: at most a fifth of one core)
CUTS_PER_MINUTE = 60
#: a subset is never larger than the font (3,728 characters): a bound on what a token may ask
MAX_POINTS = 4096


class Glyphs:
    """The characters of a page's user-written text, by the font weight that draws them."""

    def __init__(self) -> None:
        self.by_weight: dict[int, set[str]] = {}

    def add(self, weight: int, text: str) -> None:
        self.by_weight.setdefault(weight, set()).update(text)


@dataclass(frozen=True)
class PageFace:
    weight: int
    url: str
    points: frozenset[int]

    def css(self) -> str:
        return fontcut.font_face(self.weight, self.url, set(self.points))


@functools.cache
def slices() -> tuple[fontcut.Face, ...]:
    path = finders.find(SLICES)
    if not path:
        raise RuntimeError(f"{SLICES} is missing: run make vendor")
    return tuple(fontcut.faces(Path(str(path)).read_text()))


@functools.cache
def covered(weight: int) -> frozenset[int]:
    """Every character the font has in this weight (the slices hold each once)."""
    return frozenset().union(*(face.points for face in slices() if face.weight == weight))


@functools.cache
def fetched_anyway(weight: int, korean: bool) -> frozenset[int]:
    names = (ALWAYS, KOREAN_INTERFACE) if korean else (ALWAYS,)
    return frozenset().union(*(f.points for f in slices() if f.weight == weight and f.file.endswith(names)))


def faces_for(glyphs: Glyphs, language: str | None) -> list[PageFace]:
    """The page's faces: per weight the font has, the marked characters that no slice the
    page fetches anyway holds; none when there are none, or when this installation lacks the
    whole font of the weight (the slices then draw everything, as before)."""
    korean = (language or "").startswith("ko")
    found = []
    for weight in sorted(glyphs.by_weight):
        if weight not in fontcut.WEIGHTS or not source_path(weight).is_file():
            continue
        points = frozenset(ord(c) for c in glyphs.by_weight[weight]) & covered(weight)
        points -= fetched_anyway(weight, korean)
        if points:
            found.append(PageFace(weight, reverse("page_font", kwargs={"token": token(weight, points)}), points))
    return found


# --- The token: the weight and the characters, signed ---------------------------------------


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte, number = number & 0x7F, number >> 7
        out.append(byte | (0x80 if number else 0))
        if not number:
            return bytes(out)


def _pack(points: Iterable[int]) -> str:
    """The sorted code points as varint gaps (a syllable of a page's text is ~1.2 bytes),
    base64url without padding."""
    out, last = bytearray(), 0
    for point in sorted(points):
        out += _varint(point - last)
        last = point
    return base64.urlsafe_b64encode(bytes(out)).decode().rstrip("=")


def _unpack(text: str) -> frozenset[int]:
    data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    points, last, number, shift = set(), 0, 0, 0
    for byte in data:
        number |= (byte & 0x7F) << shift
        shift += 7
        if shift > 21:
            raise ValueError("a gap past the last code point")
        if not byte & 0x80:
            last += number
            points.add(last)
            number, shift = 0, 0
    if shift or len(points) > MAX_POINTS or last > 0x10FFFF:
        raise ValueError("not a set of code points")
    return frozenset(points)


def token(weight: int, points: Iterable[int]) -> str:
    """`weight.version.points`, signed: the version is the whole font's, so a token cut
    from a font that `make vendor` has since replaced names nothing (404: the slices)."""
    return signing.Signer(salt=SALT).sign(f"{weight}.{version(weight)}.{_pack(points)}")


def read_token(value: str) -> tuple[int, frozenset[int]]:
    """The weight and characters a token names; ValueError when it is not one we signed,
    was signed for another version of the font, or names nothing the font has."""
    try:
        weight_text, font_version, packed = signing.Signer(salt=SALT).unsign(value).split(".")
        weight = int(weight_text)
        if weight not in fontcut.WEIGHTS or font_version != version(weight):
            raise ValueError("another weight or version of the font")
        points = _unpack(packed) & covered(weight)
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise ValueError("not a page font") from error
    if not points:
        raise ValueError("not a page font")
    return weight, points


# --- The subset --------------------------------------------------------------------------------


def source_path(weight: int) -> Path:
    return SOURCES / f"PretendardGOV-{fontcut.WEIGHTS[weight]}.subset.woff2"


@functools.cache
def version(weight: int) -> str:
    """A short digest of the whole font of a weight ("" without it)."""
    if weight not in fontcut.WEIGHTS:
        return ""
    path = source_path(weight)
    return hashlib.sha256(path.read_bytes()).hexdigest()[:8] if path.is_file() else ""


@functools.cache
def source(weight: int) -> bytes:
    """The whole font of a weight as sfnt bytes (read once per process: ~0.5 s)."""
    return bytes(fontcut.sfnt(source_path(weight)))


def font(weight: int, points: frozenset[int]) -> bytes | None:
    """The woff2 subset: from the fonts cache, else cut (~0.2 s for a page's few hundred
    syllables) and kept; None when this installation lacks the whole font (a page named it
    before) or more than CUTS_PER_MINUTE subsets were cut in the last minute."""
    store = caches["fonts"]
    key = f"page-font:{weight}:{version(weight)}:" + hashlib.sha256(_pack(points).encode()).hexdigest()
    data = store.get(key)
    if data is None:
        if not source_path(weight).is_file():
            logger.warning("page font: %s is missing (make vendor); the slices draw the text", source_path(weight))
            return None
        if ratelimit.bump("page-font:cuts", 60) > CUTS_PER_MINUTE:
            logger.warning("page font: more than %d subsets cut this minute; the slices draw the text", CUTS_PER_MINUTE)
            return None
        data = fontcut.cut(source(weight), set(points))
        store.set(key, data, CACHE_SECONDS)
    return bytes(data)
