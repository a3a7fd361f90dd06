"""KRDS's stylesheet is served pruned to the rules our pages can use and its UI script
minified (scripts/krds_css.py, scripts/krds_js.py, docs/adr/0034); the files as the package
ships them stay in static_src/krds, outside the static files."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

ROOT = Path(settings.BASE_DIR)
SOURCES = ROOT / "static_src" / "krds"
SERVED = ROOT / "static" / "vendor" / "krds"


def script(name: str) -> ModuleType:
    """A module of scripts/ (not a package), registered so that its dataclasses work."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = sys.modules.setdefault(name, importlib.util.module_from_spec(spec))
    spec.loader.exec_module(module)
    return module


krds_css = script("krds_css")
krds_js = script("krds_js")


def rules(css: str) -> set[str]:
    """The lines of a pruned stylesheet (one rule a line) that are style rules."""
    return {line for line in css.splitlines() if line.endswith("}") and "{" in line and not line.startswith("@")}


# --- The project's stylesheet -------------------------------------------------------------


def test_the_served_stylesheet_is_the_pruning_of_todays_templates() -> None:
    """Fails when a template (or form, or template tag) starts using a KRDS class whose rules
    were pruned, or stops using one: run `uv run python scripts/krds_css.py` (no npm needed)."""
    expected = krds_css.build()
    served = (SERVED / "css" / "component" / "output.css").read_text()
    missing = sorted(rules(expected) - rules(served))
    extra = sorted(rules(served) - rules(expected))
    assert not missing, f"run `uv run python scripts/krds_css.py`: the served stylesheet lacks {missing[:20]}"
    assert not extra, f"run `uv run python scripts/krds_css.py`: the served stylesheet still has {extra[:20]}"
    assert served == expected, "run `uv run python scripts/krds_css.py`"


def test_the_unpruned_files_are_kept_but_not_served() -> None:
    source = (SOURCES / "css" / "component" / "output.css").read_text()
    assert '@import "../../css/token/krds_tokens.css"' in source
    assert (SOURCES / "css" / "token" / "krds_tokens.css").is_file()
    assert (SOURCES / "js" / "ui-script.js").is_file()
    assert all(Path(folder).resolve() != SOURCES.parent.resolve() for folder in settings.STATICFILES_DIRS)
    assert finders.find("vendor/krds/css/component/output.css")
    assert not finders.find("vendor/krds/css/token/krds_tokens.css")  # inlined: one request fewer


def test_the_served_stylesheet_keeps_the_shell_and_drops_what_no_page_uses() -> None:
    served = (SERVED / "css" / "component" / "output.css").read_text()
    source = (SOURCES / "css" / "component" / "output.css").read_text()
    assert len(served) < len(source) / 3
    assert "@import" not in served
    assert served.startswith('@charset "UTF-8";\n')
    for used in ("#krds-header", ".krds-btn", ".krds-input", ".krds-pagination", ".krds-main-menu", ".krds-badge"):
        assert used in served, used
    for unused in (".krds-calendar", ".krds-spinner", "[data-krds-mode=high-contrast]", "@keyframes spin"):
        assert unused in source
        assert unused not in served, unused
    declared = set(re.findall(r"(--[\w-]+):", served))
    read = set(re.findall(r"var\((--[\w-]+)", served)) | krds_css.read_by_project()
    assert "--krds-zoom-small" in declared  # KRDS's UI script reads it
    assert "--krds-light-color-text-basic" in declared  # our proactive.css reads it
    assert declared <= read


def test_a_krds_class_a_template_starts_using_brings_its_rules_back() -> None:
    """The mechanism the first test relies on: the names decide what is kept."""
    source = SOURCES / "css" / "component" / "output.css"
    names = krds_css.project_names()
    assert "krds-spinner" not in names
    without = krds_css.prune(source, names)
    with_spinner = krds_css.prune(source, names | krds_css.Names(frozenset({"krds-spinner"})))
    added = rules(with_spinner) - rules(without)
    assert added
    assert all(".krds-spinner" in rule or "--krds-" in rule for rule in added)
    assert "@keyframes spin" in with_spinner  # its animation comes with it


# --- The pruning, on small stylesheets ----------------------------------------------------


def pruned(tmp_path: Path, css: str, *words: str, names: object = None, also_read: tuple[str, ...] = ()) -> str:
    """`css` pruned for a page holding `words` (or `names`)."""
    source = tmp_path / "component" / "output.css"
    source.parent.mkdir(exist_ok=True)
    source.write_text(css)
    return krds_css.prune(source, names or krds_css.Names(frozenset(words)), read_elsewhere=also_read)


def test_a_rule_is_kept_when_every_class_id_and_data_attribute_it_names_can_be_on_a_page(tmp_path: Path) -> None:
    css = (
        ".a .b{color:red}\n.a .zz{color:blue}\n#main .a{margin:0}\n#gone{margin:1px}\n"
        "div>p{padding:0}\n[data-mode=dark] .a{color:#000}\n[data-on] .a{color:#111}\n"
        '[type=checkbox].a:checked::before{content:"v"}\n.a:not(.zz){top:0}\n'
        ":is(.zz,.b) .a{left:0}\n:where(.zz,.yy){right:0}\n.a:has(.zz){bottom:0}\n"
    )
    out = pruned(tmp_path, css, "a", "b", "main", "data-on")
    assert ".a .b{color:red}" in out
    assert ".zz{color:blue}" not in out
    assert "#main .a{margin:0}" in out
    assert "#gone" not in out
    assert "div>p{padding:0}" in out  # elements can always match
    assert "data-mode" not in out
    assert "[data-on] .a{color:#111}" in out
    assert '[type=checkbox].a:checked::before{content:"v"}' in out
    assert ".a:not(.zz){top:0}" in out  # what :not() names need not exist
    assert ":is(.zz,.b) .a{left:0}" in out
    assert ":where" not in out
    assert ":has" not in out


def test_selector_lists_lose_the_selectors_that_cannot_match_unless_a_vendor_pseudo_is_among_them(
    tmp_path: Path,
) -> None:
    css = ".a,.zz,.b{color:red}\n.a::-moz-placeholder,.zz::placeholder{color:gray}\n"
    out = pruned(tmp_path, css, "a", "b")
    assert ".a,.b{color:red}" in out
    # chromium drops the whole original list (it does not know ::-moz-placeholder): so must it still
    assert ".a::-moz-placeholder,.zz::placeholder{color:gray}" in out


def test_classes_completed_at_render_time_match_by_their_stem(tmp_path: Path) -> None:
    template = krds_css.template_names('<p class="pa-message pa-message-{{ level }} {% if x %}on{% endif %}">')
    python = krds_css.python_names('def f(tone):\n    return f"krds-badge bg-light-{tone}"\n')
    script_names = krds_css.script_names(
        'el.classList.add("is-open", "shown"); x.className = "krds-tooltip-popover"; a.dataset.wasPlayType = 1;'
        ' b.innerHTML = `<span class="sr-only"></span>`; getPropertyValue("--krds-zoom-small")',
        'htmx.config={requestClass:"htmx-request"}',
    )
    assert "pa-message" in template
    assert "pa-message-info" in template
    assert "pa-other" not in template
    assert "bg-light-danger" in python
    assert "krds-badge" in python
    assert "bg-dark-danger" not in python
    for name in ("is-open", "shown", "krds-tooltip-popover", "data-was-play-type", "sr-only", "htmx-request"):
        assert name in script_names, name
    assert "--krds-zoom-small" in script_names.words
    out = pruned(tmp_path, ".pa-message-danger{color:red}\n.pa-other{color:blue}\n", names=template)
    assert ".pa-message-danger{color:red}" in out
    assert "pa-other" not in out


def test_only_the_custom_properties_something_reads_are_kept(tmp_path: Path) -> None:
    css = (
        ":root{--used:1px;--unused:2px;--chain:var(--deep);--deep:3px;--js:1;--orphan:var(--deep)}\n"
        ".a{margin:var(--used);padding:var(--chain)}\n.zz{margin:var(--unused)}\n"
        "@media (max-width: 100px){:root{--unused:0}.a{margin:0}}\n@media print{.zz{color:red}}\n"
    )
    out = pruned(tmp_path, css, "a", also_read=("--js",))
    assert ":root{--used:1px;--chain:var(--deep);--deep:3px;--js:1}" in out
    assert "--unused" not in out
    assert "--orphan" not in out
    assert "@media (max-width: 100px){\n.a{margin:0}\n}" in out
    assert "@media print" not in out  # nothing left inside


def test_keyframes_are_kept_only_when_a_kept_rule_names_them(tmp_path: Path) -> None:
    css = (
        "@keyframes spin{from{transform:rotate(0)}to{transform:rotate(359deg)}}\n"
        "@keyframes fade{from{opacity:0}to{opacity:1}}\n"
        ".a{--speed:1s;animation:fade var(--speed)}\n.zz{animation:spin 1s}\n"
    )
    out = pruned(tmp_path, css, "a")
    assert "@keyframes fade" in out
    assert "@keyframes spin" not in out


def test_an_imported_stylesheet_is_inlined_where_the_import_stood(tmp_path: Path) -> None:
    (tmp_path / "token").mkdir()
    (tmp_path / "token" / "tokens.css").write_text('@charset "utf-8";\n:root{--c:red;--d:blue}\n')
    out = pruned(tmp_path, '@charset "UTF-8";\n@import "../token/tokens.css";\n.a{color:var(--c)}\n', "a")
    assert out.splitlines()[:3] == ['@charset "UTF-8";', ":root{--c:red}", ".a{color:var(--c)}"]
    (tmp_path / "token" / "tokens.css").write_text(":root{--c:url(x.png)}\n")
    with pytest.raises(SystemExit, match="url"):
        pruned(tmp_path, '@import "../token/tokens.css";\n', "a")


# --- KRDS's UI script ---------------------------------------------------------------------


def test_the_served_ui_script_is_minified_and_says_what_it_is() -> None:
    served = (SERVED / "js" / "ui-script.js").read_text()
    source = (SOURCES / "js" / "ui-script.js").read_text()
    assert served.startswith(krds_js.preamble() + "\n")
    assert len(served) < len(source) * 0.6
    # no top-level renaming: the script's globals keep their names
    for name in re.findall(r"^const (\w+) = ", source, re.MULTILINE):
        assert re.search(rf"\b{name}\b", served), name


@pytest.mark.browser
def test_the_served_ui_script_is_the_kept_source_through_terser() -> None:
    """Needs node and `npm ci` (terser is pinned in package.json), like the browser tests, so it
    runs in their stage of `make test`, after scripts/test.sh has run `npm ci`."""
    terser = krds_js.TERSER
    if not terser.exists() or shutil.which("node") is None:
        if os.environ.get("CI") in {"1", "true"}:
            pytest.fail(f"{terser} is missing: run `npm ci`")
        pytest.skip(f"{terser} is missing: run `npm ci`")
    assert krds_js.minify(terser, SOURCES / "js" / "ui-script.js") == (SERVED / "js" / "ui-script.js").read_text()
