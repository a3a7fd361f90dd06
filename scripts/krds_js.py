"""make vendor: KRDS's UI script minified by terser (docs/adr/0034).

krds-uiux ships resources/js/component/ui-script.js unminified (96 KB, ~16 KB with Brotli)
and every page loads it. scripts/vendor-frontend.sh keeps that file as shipped in
static_src/krds/js and serves it minified by terser (pinned in package.json): compressed
and with local names shortened; the script's global names (windowSize, krds_tab...) stay as
they are (no top-level mangling). office/tests/test_krds_assets.py runs the same
minification and compares, where node_modules holds terser.

usage: python scripts/krds_js.py TERSER SOURCE_JS OUT_JS
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static_src" / "krds" / "js" / "ui-script.js"
OUT = ROOT / "static" / "vendor" / "krds" / "js" / "ui-script.js"
TERSER = ROOT / "node_modules" / ".bin" / "terser"


def preamble(root: Path = ROOT) -> str:
    """The comment the minified script starts with: what it is and where its source is."""
    version = json.loads((root / "package.json").read_text())["devDependencies"]["krds-uiux"]
    return (
        f"/* KRDS (krds-uiux {version}) ui-script.js minified by terser (scripts/krds_js.py); as shipped:"
        " static_src/krds/js. ISC licence and the KRDS terms of use: ../../NOTICE.md */"
    )


def minify(terser: Path, source: Path, root: Path = ROOT) -> str:
    """The script `source` minified by the terser executable `terser`."""
    command = [str(terser), str(source), "--compress", "--mangle"]
    minified = subprocess.run(command, check=True, capture_output=True, text=True).stdout  # noqa: S603
    return f"{preamble(root)}\n{minified}"


def main(terser: Path, source: Path, out: Path) -> None:
    text = minify(terser, source)
    out.write_text(text)
    sys.stdout.write(f"{out.name}: {source.stat().st_size // 1024} KB -> {len(text.encode()) // 1024} KB\n")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
