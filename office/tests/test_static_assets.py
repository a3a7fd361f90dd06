"""The vendored front end (static/vendor, see docs/adr/0002) matches package.json, the
PretendardGOV slices cover each weight alike, and every stylesheet survives the production
static storage (hashed names, resolved url()s)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

from bench.fonts import slicer

ROOT = Path(settings.BASE_DIR)
VENDOR = ROOT / "static" / "vendor"
FONTS = VENDOR / "krds" / "fonts"
SLICER = slicer()
Face = SLICER.Face


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


def font_faces() -> list[Face]:
    """The @font-face rules of the slices' stylesheet, each in the sliced family and swapped
    in when it arrives."""
    css = (FONTS / "pretendard-gov.css").read_text()
    for face in re.findall(r"@font-face\s*{(.*?)}", css, re.DOTALL):
        assert re.search(r'font-family:\s*"Proactive GOV Sans"', face), face[:200]
        assert re.search(r"font-display:\s*swap", face), face[:200]
    return list(SLICER.faces(css))


def slices_by_weight() -> dict[int, list[set[int]]]:
    by_weight: dict[int, list[set[int]]] = {}
    for face in font_faces():
        by_weight.setdefault(face.weight, []).append(set(face.points))
    return by_weight


def test_each_weight_is_cut_into_disjoint_slices_that_hold_the_whole_font_and_all_exist() -> None:
    by_weight = slices_by_weight()
    assert sorted(by_weight) == [400, 700]  # no stylesheet asks for Medium (test below)
    regular, bold = by_weight[400], by_weight[700]
    for slices in (regular, bold):
        assert sum(len(points) for points in slices) == len(set().union(*slices))  # no character twice
        assert set(range(0x20, 0x7F)) <= slices[0]  # ASCII in the first slice
    assert set().union(*regular) == set().union(*bold)  # both weights draw the same characters
    assert regular[0] == bold[0]
    tails = regular[3:]  # after basic, public and office, Regular and Bold are cut alike
    assert tails == bold[len(bold) - len(tails) :]
    assert len(set().union(*regular)) > 3_000  # the whole subset: Hangul, Latin, symbols
    assert {ord(c) for c in "가나다라마바사아자차카타파하힣"} <= set().union(*regular)
    files = {face.file for face in font_faces()}
    assert files == {path.name for path in FONTS.glob("*.woff2")}
    assert not list(FONTS.glob("*.subset.woff2"))  # the whole fonts are not served
    assert not list(FONTS.glob("*Medium*"))


def drift(wanted: set[int], held: set[int]) -> str:
    """The syllables of `wanted` outside `held`, when they are more than 5% (or 20)."""
    outside = wanted - held
    return "" if len(outside) <= max(20, len(wanted) // 20) else "".join(map(chr, sorted(outside)))


def test_the_interface_slices_hold_the_syllables_of_the_korean_strings() -> None:
    """The interface slices hold the Hangul of the msgids when `make vendor` ran: the public
    corner's strings in one Regular slice (Bold: its short strings, then the rest), the
    office's after them. Strings added since fall into later slices (still PretendardGOV, only
    more requests); when they add up, run `make vendor` again."""
    public, short, catalogue = SLICER.interface((ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po").read_text())
    regular, bold = slices_by_weight()[400], slices_by_weight()[700]
    tails = len(regular) - 3
    font = set().union(*regular)
    public, short, catalogue = public & font, short & font, catalogue & font
    assert short <= public <= catalogue
    assert not drift(public, regular[0] | regular[1]), f"run make vendor: {drift(public, regular[0] | regular[1])}"
    assert not drift(catalogue, regular[0] | regular[1] | regular[2]), "run make vendor"
    assert not drift(short, bold[0] | bold[1]), f"run make vendor: {drift(short, bold[0] | bold[1])}"
    assert not drift(public, bold[0] | bold[1] | bold[2]), "run make vendor"
    assert not drift(catalogue, set().union(*bold[: len(bold) - tails])), "run make vendor"
    # the office's syllables are not in the public slices: a public page does not fetch them
    assert len(regular[1]) < len(catalogue) * 3 // 4
    assert len(bold[1]) < len(regular[1])


def test_the_interface_is_split_by_where_the_strings_appear() -> None:
    po = """
#: templates/portal/home.html:3 templates/office/home.html:9
msgid "국민"
msgstr "Citizens"

#: reports/forms.py:35
msgid "신고할 기관"
msgstr "Institution"

#: templates/reports/portal/form.html:2
#, python-format
msgid ""
"%(n)s건 "
"접수"
msgid_plural "%(n)s건 접수"
msgstr[0] ""
msgstr[1] ""

#: consultations/forms.py:10 core/models.py:4
msgid "사전컨설팅을 요청합니다 이 문장은 마흔 글자보다 훨씬 길어서 굵은 글씨로 쓰일 일이 없습니다"
msgstr "Pre-consultation"

#: templates/errors/static_base.html:9
msgctxt "title"
msgid "오류"
msgstr "Error"

#: portal/public.py:20
msgid "국민코너는 접속한 분의 IP 주소나 브라우저 정보를 저장하지 않습니다. 직접 입력하신 내용만 저장합니다."
msgstr "The corner keeps no IP address."
"""
    messages = SLICER.messages(po)
    assert [m.text for m in messages][:3] == ["국민", "신고할 기관", "%(n)s건 접수"]
    assert messages[0].sources == ("templates/portal/home.html", "templates/office/home.html")
    public, short, catalogue = SLICER.interface(po)
    # reports has public pages, so the labels of its forms are public; consultations has none
    long_public = "국민코너는 접속한 분의 IP 주소나 브라우저 정보를 저장하지 않습니다. 직접 입력하신 내용만 저장합니다."
    assert short == {ord(c) for c in "국민신고할기관건접수오류"}  # a heading's, a label's length
    assert public == short | SLICER.syllables([long_public])
    office = "사전컨설팅을 요청합니다 이 문장은 마흔 글자보다 훨씬 길어서 굵은 글씨로 쓰일 일이 없습니다"
    assert catalogue == public | SLICER.syllables([office])


def test_no_stylesheet_asks_for_an_opentype_feature_the_slices_left_out() -> None:
    """The slices keep only the features browsers apply by default (font_slices.FEATURES):
    a stylesheet asking for another (tabular figures, fractions, a stylistic set) would get
    nothing. Keep such a feature in FEATURES first. Likewise they have no vertical metrics."""
    sheets = [*(ROOT / "static" / "css").rglob("*.css"), *(VENDOR / "krds" / "css").rglob("*.css")]
    assert sheets
    for sheet in sheets:
        text = sheet.read_text()
        assert not re.search(r"font-feature-settings|font-variant(-[a-z]+)?\s*:", text), sheet
        assert not re.search(r"writing-mode\s*:\s*(vertical|tb|sideways)", text), sheet


def test_no_stylesheet_asks_for_a_weight_the_slices_leave_out() -> None:
    """Only Regular (400) and Bold (700) are served: a stylesheet asking for 401-500 would
    be drawn in Regular, where the whole fonts had Medium (500)."""
    sheets = [*(ROOT / "static" / "css").rglob("*.css"), *(VENDOR / "krds" / "css").rglob("*.css")]
    weights = set()
    for sheet in sheets:
        weights |= {int(w) for w in re.findall(r"font-weight[\w-]*\s*:\s*(\d+)", sheet.read_text())}
    assert 700 in weights
    assert weights <= {400, 700}, weights
    assert sorted(SLICER.WEIGHTS) == [400, 700]
