"""Which characters a page draws in each weight of the sliced font, and so which slices a
browser must fetch to show it (docs/adr/0035).

In the page (chromium, through Playwright), DRAWN walks the text - text nodes,
::before/::after/::marker content, the values and placeholders of inputs, and every option
of a select (chromium sizes a select by its widest option) - and notes each character under
the computed font-weight of the element that draws it, when the element's first font family
is the sliced one. Text inside `display: none` is left out unless `hidden` asks for it:
chromium fetches no font for it. (The office's mobile menu is hidden by KRDS's script only
when it runs, and chromium fetched its text's slices on some loads and not on others: an
office page fetches between what its shown text needs and what all its text needs.)

`needed` reads the slices' stylesheet as a browser does: each weight is matched to a face
weight (CSS Fonts 4 §5.2), and a face is fetched when its unicode-range holds a drawn
character or U+0020 (the first available font gives the line its metrics). Checked against
what chromium fetched, it gives the bytes any slicing would cost a page, and `missing` the
characters that would fall back to another font.

    DATABASE_URL=... python -m bench.fonts [--out drawn.json]   # the four public pages
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import os
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "static" / "vendor" / "krds" / "fonts"
#: what a response's headers add to its body on the wire (WhiteNoise on loopback, measured)
HEADERS = 400

DRAWN = """([family, hidden]) => {
  const out = {};
  const add = (weight, text) => {
    if (!text) return;
    out[weight] = out[weight] || new Set();
    for (const ch of text) if (ch >= " ") out[weight].add(ch);
  };
  const ours = (style) => style.fontFamily.split(",")[0].trim().replace(/^["']|["']$/g, "") === family;
  const transformed = (style, text) => ({
    uppercase: text.toUpperCase(), lowercase: text.toLowerCase(), capitalize: text + text.toUpperCase(),
  })[style.textTransform] ?? text;
  const quoted = (content) => (content.match(/"(?:[^"\\\\]|\\\\.)*"/g) || [])
    .map((s) => { try { return JSON.parse(s); } catch { return s.slice(1, -1); } }).join("");
  const valueless = new Set(["hidden", "checkbox", "radio", "file", "range", "color", "image"]);
  const shown = (el) => el.tagName === "TEXTAREA" || !valueless.has(el.type);
  const laidOut = (el) => hidden || el.checkVisibility();
  const skipped = new Set(["SCRIPT", "STYLE", "TEMPLATE", "NOSCRIPT", "OPTION"]);
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || skipped.has(el.tagName) || !laidOut(el) || !node.nodeValue.trim()) continue;
    const style = getComputedStyle(el);
    if (ours(style)) add(style.fontWeight, transformed(style, node.nodeValue));
  }
  for (const el of document.body.querySelectorAll("*")) {
    if (!laidOut(el)) continue;
    for (const pseudo of ["::before", "::after", "::marker"]) {
      const style = getComputedStyle(el, pseudo);
      const text = quoted(style.content);
      if (text.trim() && ours(style)) add(style.fontWeight, transformed(style, text));
    }
    const style = getComputedStyle(el);
    if (!ours(style)) continue;
    if ((el.tagName === "INPUT" || el.tagName === "TEXTAREA") && shown(el)) {
      if (el.value) add(style.fontWeight, el.value);
      else add(getComputedStyle(el, "::placeholder").fontWeight, el.placeholder);
    } else if (el.tagName === "SELECT") {
      for (const option of el.options) add(style.fontWeight, option.text);
    }
  }
  return Object.fromEntries(Object.entries(out).map(([weight, chars]) => [weight, [...chars].join("")]));
}"""

PAGE_FACES = """() => [...document.querySelectorAll("style[data-page-font]")].map((s) => s.textContent).join("")"""

FETCHED = """() => performance.getEntriesByType("resource").map((e) => e.name).filter((n) => n.endsWith(".woff2"))"""


@functools.cache
def slicer() -> ModuleType:
    """scripts/font_slices.py, the script that writes the slices (it is not in a package)."""
    spec = importlib.util.spec_from_file_location("font_slices", ROOT / "scripts" / "font_slices.py")
    if spec is None or spec.loader is None:
        raise RuntimeError("scripts/font_slices.py is missing")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def drawn(page: Any, family: str, *, hidden: bool = False) -> dict[int, set[int]]:
    """Code points the page draws in `family`, by computed font-weight; with `hidden`, also
    those of text not laid out now (a closed menu), which a click may show."""
    found = page.evaluate(DRAWN, [family, hidden])
    return {int(weight): {ord(c) for c in chars} for weight, chars in found.items()}


def fetched(page: Any) -> list[str]:
    """The font files the page loaded, named without the static storage's hash."""
    return sorted(re.sub(r"\.[0-9a-f]{12}(?=\.woff2$)", "", url.rpartition("/")[2]) for url in page.evaluate(FETCHED))


def matched_weight(desired: int, available: Iterable[int]) -> int:
    """The face weight a browser draws `desired` with (CSS Fonts 4 §5.2, step 4)."""
    weights = sorted(set(available))
    if desired in weights:
        return desired
    below = [w for w in reversed(weights) if w < desired]
    above = [w for w in weights if w > desired]
    if 400 <= desired <= 500:
        up_to_500 = [w for w in above if w <= 500]
        order = up_to_500 + below + [w for w in above if w > 500]
    elif desired < 400:
        order = below + above
    else:
        order = above + below
    return order[0]


def needed(chars: Mapping[int, set[int]], faces: Iterable[Any]) -> list[Any]:
    """The faces a browser fetches to draw `chars` (weight -> code points): of the matched
    weight, for each drawn character or the space, the face declared last whose
    unicode-range holds it (CSS Fonts 4 §4.5: a page's own face, declared after the slices,
    is tried before them; the slices' ranges do not overlap)."""
    faces = list(faces)
    weights = {face.weight for face in faces}
    wanted: dict[int, set[int]] = {}
    for weight, points in chars.items():
        wanted.setdefault(matched_weight(weight, weights), {0x20}).update(points)
    chosen = []
    for face in reversed(faces):
        left = wanted.get(face.weight, set())
        if face.points & left:
            chosen.append(face)
            left -= face.points
    return [face for face in faces if face in chosen]


def missing(chars: Mapping[int, set[int]], faces: Iterable[Any]) -> dict[int, set[int]]:
    """Characters no face of the weight that draws them holds: the browser takes them from
    the next family of the font stack (another font, another look)."""
    faces = list(faces)
    weights = {face.weight for face in faces}
    gaps = {}
    for weight, points in chars.items():
        face_weight = matched_weight(weight, weights)
        held = set().union(*(face.points for face in faces if face.weight == face_weight))
        if points - held:
            gaps[weight] = points - held
    return gaps


def transferred(faces: Iterable[Any], folder: Path = FONTS) -> int:
    """Bytes on the wire for these faces: each file and its response's headers (a page's own
    face is cut here as the server cuts it)."""
    return sum(size(face, folder) + HEADERS for face in faces)


def size(face: Any, folder: Path = FONTS) -> int:
    path: Path = folder / str(face.file)
    if path.is_file():
        return path.stat().st_size
    from core import fontcut, page_fonts

    return len(fontcut.cut(page_fonts.source(face.weight), set(face.points)))


def page_faces(page: Any) -> list[Any]:
    """The page's own faces (core/page_fonts.py: `{% page_font %}`), named as `fetched`
    names files."""
    from core import fontcut

    css = page.evaluate(PAGE_FACES)
    return [fontcut.Face(face.weight, face.file.rpartition("/")[2], face.points) for face in fontcut.faces(css)]


def probe(url: str, browser: Any, locale: str, family: str, faces: list[Any]) -> dict[str, Any]:
    """What one page draws, fetches and would fetch, in a fresh context; `missing` counts
    its hidden text too (a menu opened later draws it)."""
    context = browser.new_context(locale=locale)
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.evaluate("() => document.fonts.ready")
        chars = drawn(page, family)
        everything = drawn(page, family, hidden=True)
        files = fetched(page)
        faces = faces + page_faces(page)
    finally:
        context.close()
    predicted = needed(chars, faces)
    return {
        "drawn": {weight: "".join(map(chr, sorted(points))) for weight, points in chars.items()},
        "fetched": files,
        "predicted": sorted(face.file for face in predicted),
        "font_kb": round(transferred(predicted) / 1024, 1),
        "missing": {weight: "".join(map(chr, sorted(points))) for weight, points in missing(everything, faces).items()},
    }


def summary(name: str, found: dict[str, Any]) -> str:
    agrees = "agrees" if found["predicted"] == found["fetched"] else f"fetched {found['fetched']}"
    gaps = f"; missing {json.dumps(found['missing'], ensure_ascii=False)}" if found["missing"] else ""
    return f"{name}: {found['font_kb']} KB in {len(found['predicted'])} files ({agrees}){gaps}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.fonts", description=__doc__)
    parser.add_argument("--out", type=Path, help="write what each page draws, fetches and would fetch as JSON")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-fonts-probe-" + "x" * 40)
    os.environ["PROACTIVE_TESTING"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from playwright.sync_api import sync_playwright

    from bench.chromium import CHROMIUM, CHROMIUM_ARGS
    from bench.pages import KOREAN, public_paths
    from bench.server import running

    script = slicer()
    faces = script.faces((FONTS / script.CSS_NAME).read_text())
    pages = public_paths()
    call_command("collectstatic", interactive=False, verbosity=0)
    results: dict[str, Any] = {}
    with running(workers=2) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            for locale in (KOREAN, "en-US"):
                for name, path in pages:
                    found = probe(server.url(path), browser, locale, script.FAMILY, faces)
                    results[f"{name} [{locale}]"] = {"path": path, **found}
                    sys.stdout.write(summary(f"{name} [{locale}]", found) + "\n")
        finally:
            browser.close()
    if args.out:
        args.out.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 1 if any(r["missing"] or r["predicted"] != r["fetched"] for r in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
