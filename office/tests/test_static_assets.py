"""The vendored front end (static/vendor, see docs/adr/0002) matches package.json, the
PretendardGOV slices cover each weight alike, and every stylesheet survives the production
static storage (hashed names, resolved url()s)."""

from __future__ import annotations

import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)
VENDOR = ROOT / "static" / "vendor"
FONTS = VENDOR / "krds" / "fonts"


def pinned() -> dict[str, str]:
    return json.loads((ROOT / "package.json").read_text())["devDependencies"]


def test_notice_names_the_pinned_versions_and_licences() -> None:
    notice = (VENDOR / "NOTICE.md").read_text()
    versions = pinned()
    assert f"| krds-uiux | {versions['krds-uiux']} |" in notice
    assert f"| htmx.org | {versions['htmx.org']} |" in notice
    assert "SIL Open Font License" in notice
    assert "Zero-Clause BSD" in notice
    assert (VENDOR / "LICENSES" / "OFL-1.1-PretendardGOV.txt").read_text().startswith("Copyright (c) 2021")


def test_htmx_is_the_2x_line_and_axe_is_pinned_exactly() -> None:
    versions = pinned()
    assert versions["htmx.org"].startswith("2.")
    assert re.fullmatch(r"\d+\.\d+\.\d+", versions["axe-core"])
    assert 'version:"2.' in (VENDOR / "htmx" / "htmx.min.js").read_text()[:50_000]
    lock = json.loads((ROOT / "package-lock.json").read_text())
    for name, version in versions.items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version


def test_vendor_folder_holds_only_what_pages_use() -> None:
    files = [p for p in VENDOR.rglob("*") if p.is_file()]
    assert not [p for p in files if p.suffix in {".map", ".scss", ".html", ".woff", ".ttf", ".otf"}]
    assert sum(p.stat().st_size for p in files) < 3 * 1024 * 1024


def test_files_the_shell_links_exist() -> None:
    for path in (
        "vendor/krds/css/component/output.css",
        "vendor/krds/js/ui-script.js",
        "vendor/htmx/htmx.min.js",
        "vendor/krds/fonts/pretendard-gov.css",
        "vendor/krds/fonts/PretendardGOV-Regular.000.woff2",
        "css/proactive.css",
        "img/favicon.svg",
        "img/icon-bell.svg",
    ):
        assert finders.find(path), path


def test_collectstatic_with_hashed_names_resolves_every_css_reference(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert "vendor/krds/css/component/output.css" in manifest
    assert "css/proactive.css" in manifest
    hashed_fonts = (tmp_path / manifest["vendor/krds/fonts/pretendard-gov.css"]).read_text()
    urls = re.findall(r'url\("([^"]+)"\)', hashed_fonts)
    assert urls
    assert all(re.fullmatch(r"PretendardGOV-(Regular|Medium|Bold)\.\d{3}\.[0-9a-f]{12}\.woff2", url) for url in urls)
    assert all((tmp_path / "vendor" / "krds" / "fonts" / url).is_file() for url in urls)


# --- PretendardGOV in unicode-range slices (scripts/font_slices.py) ----------------------


def font_faces() -> list[tuple[int, str, set[int]]]:
    """(weight, file, code points) of each @font-face of the slices' stylesheet."""
    faces = []
    for face in re.findall(r"@font-face\s*{(.*?)}", (FONTS / "pretendard-gov.css").read_text(), re.DOTALL):
        weight = int(re.search(r"font-weight:\s*(\d+)", face).group(1))  # type: ignore[union-attr]
        url = re.search(r'url\("([^"]+)"\)', face).group(1)  # type: ignore[union-attr]
        ranges = re.search(r"unicode-range:\s*([^;]+);", face).group(1)  # type: ignore[union-attr]
        points: set[int] = set()
        for part in ranges.split(","):
            first, _, last = part.strip().removeprefix("U+").partition("-")
            points.update(range(int(first, 16), int(last or first, 16) + 1))
        assert 'font-family: "Proactive GOV Sans"' in face
        assert "font-display: swap" in face
        faces.append((weight, url, points))
    return faces


def font_slices_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("font_slices", ROOT / "scripts" / "font_slices.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_weight_is_cut_alike_into_disjoint_slices_that_all_exist() -> None:
    faces = font_faces()
    by_weight: dict[int, list[set[int]]] = {}
    for weight, _, points in faces:
        by_weight.setdefault(weight, []).append(points)
    assert sorted(by_weight) == [400, 500, 700]
    assert by_weight[400] == by_weight[500] == by_weight[700]
    slices = by_weight[400]
    assert sum(len(points) for points in slices) == len(set().union(*slices))  # no character twice
    assert set(range(0x20, 0x7F)) <= slices[0]  # ASCII in the first slice
    assert set(range(0xAC00, 0xAC08)) & set().union(*slices)  # and Hangul somewhere
    files = {url for _, url, _ in faces}
    assert files == {path.name for path in FONTS.glob("*.woff2")}
    assert not list(FONTS.glob("*.subset.woff2"))  # the whole fonts are no longer served


def test_the_interface_slice_holds_the_syllables_of_the_korean_strings() -> None:
    """Slice 001 holds the Hangul of the msgids when `make vendor` ran: a page's interface
    text then needs one file per weight. Strings added since fall into later slices (still
    PretendardGOV, only more requests); when they add up, run `make vendor` again."""
    script = font_slices_script()
    syllables = script.catalogue_syllables((ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text())
    slices = [points for weight, _, points in font_faces() if weight == 400]
    in_font = syllables & set().union(*slices)
    outside = in_font - slices[0] - slices[1]
    assert len(outside) <= max(20, len(in_font) // 20), f"run make vendor: {''.join(map(chr, sorted(outside)))}"


def test_no_stylesheet_asks_for_an_opentype_feature_the_slices_left_out() -> None:
    """The slices keep only the features browsers apply by default (font_slices.FEATURES):
    a stylesheet asking for another (tabular figures, fractions, a stylistic set) would get
    nothing. Keep such a feature in FEATURES first."""
    sheets = [*(ROOT / "static" / "css").rglob("*.css"), *(VENDOR / "krds" / "css").rglob("*.css")]
    assert sheets
    for sheet in sheets:
        text = sheet.read_text()
        assert not re.search(r"font-feature-settings|font-variant(-[a-z]+)?\s*:", text), sheet
