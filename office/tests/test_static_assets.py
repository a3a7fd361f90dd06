"""The vendored front end (static/vendor, see docs/adr/0002) matches package.json, and
every stylesheet survives the production static storage (hashed names, resolved url()s)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command

ROOT = Path(settings.BASE_DIR)
VENDOR = ROOT / "static" / "vendor"


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
        "vendor/krds/css/token/krds_tokens.css",
        "vendor/krds/js/ui-script.js",
        "vendor/htmx/htmx.min.js",
        "vendor/krds/fonts/PretendardGOV-Regular.subset.woff2",
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
    hashed_css = (tmp_path / manifest["css/proactive.css"]).read_text()
    assert re.search(r"PretendardGOV-Regular\.subset\.[0-9a-f]{12}\.woff2", hashed_css)
