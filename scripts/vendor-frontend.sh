#!/usr/bin/env bash
# make vendor: refresh the vendored front-end files in static/vendor from npm.
#
# The versions are the ones pinned in package.json / package-lock.json (npm ci checks the
# lock's integrity hashes). Only the files the pages use are copied: KRDS's compiled CSS,
# its design tokens, the icons that CSS refers to and the KRDS UI script; htmx's minified
# build. No source maps, no SCSS, no demo HTML. KRDS's stylesheet and UI script are kept as
# the package ships them in static_src/krds (not served); what is served is the stylesheet
# pruned to the rules our pages can use, with its tokens inlined (scripts/krds_css.py), and
# the script minified by terser (docs/adr/0034). KRDS's PretendardGOV fonts are not copied
# whole (~260 KB a weight) but cut into unicode-range slices by scripts/font_slices.py, so a
# page downloads only the slices of the characters it shows (docs/adr/0002). The slices
# follow the Hangul frequency order of Pretendard's own dynamic subset, read from the
# pretendard-gov package (pinned below by version and integrity: it is ~160 MB of fonts,
# needed only here, so it is not a devDependency that every `npm ci` would download).
# The result is committed, so `make run` never needs npm.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FREQUENCY_PACKAGE="pretendard-gov@1.3.9"
FREQUENCY_INTEGRITY="sha512-U9bEVWfBoM5AUAM2yJvmbffrt4oO//onVbKOIzy/pEU0SEP+6O/YmOxGgYaMgDr+zmqhDGhSwQqOnBFSgmp4bQ=="
FREQUENCY_CSS="package/dist/web/static/pretendard-gov-dynamic-subset.css"

command -v npm >/dev/null 2>&1 || die "npm is needed to refresh static/vendor (apt-get install npm)"
ensure_python_deps

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp package.json package-lock.json "$work/"
say "Installing the pinned packages into a temporary folder"
(cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --silent)

version_of() { node -p "require('$work/node_modules/$1/package.json').version"; }
krds_version="$(version_of krds-uiux)"
htmx_version="$(version_of htmx.org)"
case "$htmx_version" in 2.*) ;; *) die "htmx $htmx_version is not the 2.x line (see docs/adr/0002)";; esac

krds_src="$work/node_modules/krds-uiux/resources"
htmx_src="$work/node_modules/htmx.org"
vendor="$ROOT/static/vendor"
sources="$ROOT/static_src"
stage="$work/vendor"
stage_sources="$work/static_src"
mkdir -p "$stage/krds/css/component" "$stage/krds/img/component/icon" \
  "$stage/krds/fonts" "$stage/krds/js" "$stage/htmx" \
  "$stage_sources/krds/css/component" "$stage_sources/krds/css/token" "$stage_sources/krds/js" \
  "$stage_sources/krds/fonts"

say "Copying KRDS $krds_version"
# The compiled CSS (common + components) keeps its relative paths ../../css/token and
# ../../img/component/icon, so the folder layouts below mirror the package's.
sed '/sourceMappingURL=/d' "$krds_src/css/component/output.css" >"$stage_sources/krds/css/component/output.css"
sed '/sourceMappingURL=/d' "$krds_src/css/token/krds_tokens.css" >"$stage_sources/krds/css/token/krds_tokens.css"
sed '/sourceMappingURL=/d' "$krds_src/js/component/ui-script.js" >"$stage_sources/krds/js/ui-script.js"
# The whole Regular and Bold fonts, from which a page's own subset of its user-written text is
# cut when a browser asks for it (core/page_fonts.py, docs/adr/0036).
cp "$krds_src/fonts/PretendardGOV-Regular.subset.woff2" "$krds_src/fonts/PretendardGOV-Bold.subset.woff2" \
  "$stage_sources/krds/fonts/"
# Every icon the whole stylesheet refers to (a file is fetched only by a page that shows it),
# so that rules the pruning brings back later find their icons.
grep -o 'url([^)]*img/component/icon/[^)]*)' "$stage_sources/krds/css/component/output.css" \
  | sed -E 's#.*img/component/icon/([^)"'"'"']+).*#\1#' | sort -u | while read -r icon; do
  cp "$krds_src/img/component/icon/$icon" "$stage/krds/img/component/icon/$icon"
done
cp "$htmx_src/dist/htmx.min.js" "$stage/htmx/htmx.min.js"

say "Pruning KRDS's stylesheet to the rules our pages can use"
uv run --frozen python scripts/krds_css.py "$stage_sources/krds/css/component/output.css" \
  "$stage_sources/krds/js/ui-script.js" "$stage/htmx/htmx.min.js" "$stage/krds/css/component/output.css"

say "Minifying KRDS's UI script with terser $(version_of terser)"
uv run --frozen python scripts/krds_js.py "$work/node_modules/.bin/terser" \
  "$stage_sources/krds/js/ui-script.js" "$stage/krds/js/ui-script.js"
cat >"$stage_sources/README.md" <<EOF
# KRDS as the package ships it (not served)

Written by \`scripts/vendor-frontend.sh\` (\`make vendor\`) from krds-uiux $krds_version: its
compiled stylesheet with the design tokens it imports, and its UI script (source-map comments
removed). Pages get \`static/vendor/krds/css/component/output.css\`, this stylesheet pruned to
the rules they can use by \`scripts/krds_css.py\`, and \`static/vendor/krds/js/ui-script.js\`,
this script minified by terser (docs/adr/0034). \`fonts/\` holds its PretendardGOV Regular
and Bold whole, unchanged: the source of each page's own font subset (core/page_fonts.py,
docs/adr/0036; the subsets are named anew, as the slices are). The licence:
\`static/vendor/NOTICE.md\`.
EOF

say "Fetching the Hangul frequency order of $FREQUENCY_PACKAGE's dynamic subset"
tarball="$work/$(cd "$work" && npm pack "$FREQUENCY_PACKAGE" --silent | tail -n 1)"
integrity="sha512-$(node -e 'process.stdout.write(require("crypto").createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$tarball")"
[ "$integrity" = "$FREQUENCY_INTEGRITY" ] || die "$FREQUENCY_PACKAGE: integrity $integrity, expected $FREQUENCY_INTEGRITY"
tar -xzf "$tarball" -C "$work" "$FREQUENCY_CSS"

say "Cutting the PretendardGOV fonts of KRDS $krds_version into unicode-range slices"
uv run --frozen python scripts/font_slices.py "$krds_src/fonts" "$work/$FREQUENCY_CSS" \
  locale/en/LC_MESSAGES/django.po "$stage/krds/fonts" \
  "Fonts: krds-uiux $krds_version (resources/fonts); frequency order: $FREQUENCY_PACKAGE (dynamic subset)."

say "Copying htmx $htmx_version"
cp "$htmx_src/LICENSE" "$stage/htmx/LICENSE"

# Licences kept by hand (the font's OFL text is not in krds-uiux) survive the refresh.
mkdir -p "$vendor/LICENSES"
cp -r "$vendor/LICENSES" "$stage/LICENSES"

say "Writing static/vendor/NOTICE.md"
{
  cat <<EOF
# Third-party front-end files

Copied from npm by \`scripts/vendor-frontend.sh\` (\`make vendor\`) at the versions pinned in
\`package.json\` and \`package-lock.json\`. Do not edit these files by hand: change the
version there and run \`make vendor\`. See docs/adr/0002-ui-krds-htmx.md.

| folder | npm package | version | licence |
|---|---|---|---|
| \`krds/css\`, \`krds/img\`, \`krds/js\` | krds-uiux | $krds_version | ISC (declared in the package's package.json) and the KRDS terms of use |
| \`krds/fonts\` | krds-uiux (its PretendardGOV subset fonts, cut into slices) and pretendard-gov (the frequency order of the slices) | $krds_version; ${FREQUENCY_PACKAGE#*@} | SIL Open Font License 1.1 (\`LICENSES/OFL-1.1-PretendardGOV.txt\`) |
| \`htmx\` | htmx.org | $htmx_version | Zero-Clause BSD (\`htmx/LICENSE\`) |

## krds-uiux $krds_version: KRDS, the Korea Responsive Design System

The package's README states: "본 패키지는 대한민국 디지털 정부 디자인 시스템(KRDS)의
이용약관을 따름." (This package follows the terms of use of the Korean digital government
design system KRDS: https://www.krds.go.kr/html/site/utility/utility_06.html.) Its
package.json declares the ISC licence; the package ships no licence file, so the ISC text
is given here:

> Permission to use, copy, modify, and/or distribute this software for any purpose with or
> without fee is hereby granted, provided that the above copyright notice and this
> permission notice appear in all copies.
>
> THE SOFTWARE IS PROVIDED "AS IS" AND THE AUTHOR DISCLAIMS ALL WARRANTIES WITH REGARD TO
> THIS SOFTWARE INCLUDING ALL IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS. IN NO EVENT
> SHALL THE AUTHOR BE LIABLE FOR ANY SPECIAL, DIRECT, INDIRECT, OR CONSEQUENTIAL DAMAGES OR
> ANY DAMAGES WHATSOEVER RESULTING FROM LOSS OF USE, DATA OR PROFITS, WHETHER IN AN ACTION
> OF CONTRACT, NEGLIGENCE OR OTHER TORTIOUS ACTION, ARISING OUT OF OR IN CONNECTION WITH THE
> USE OR PERFORMANCE OF THIS SOFTWARE.

Copied: \`resources/css/component/output.css\` with the design tokens it imports
(\`resources/css/token/krds_tokens.css\`), pruned by \`scripts/krds_css.py\` to the rules
the project's pages can use, the tokens inlined; the icons the whole stylesheet refers to;
\`resources/js/component/ui-script.js\`, minified by terser. The files as the package ships
them (source-map comments removed) are in \`static_src/krds\`, outside the static files; the
ISC notice above covers the pruned and minified copies too. Its fonts
\`resources/fonts/PretendardGOV-{Regular,Medium,Bold}.subset.woff2\` are not served whole:
see below (Regular and Bold are kept unchanged in \`static_src/krds/fonts\`, unserved, as the
source of each page's own subset of its user-written text: docs/adr/0036).

## PretendardGOV fonts

Copyright (c) 2021, Kil Hyung-jin (https://github.com/orioncactus/pretendard), with
Reserved Font Name Pretendard. Licensed under the SIL Open Font License, Version 1.1; the
full text is in \`LICENSES/OFL-1.1-PretendardGOV.txt\`.

\`krds/fonts\` holds krds-uiux $krds_version's PretendardGOV 400 and 700 (font version 1.309,
the subset that pretendard-gov ${FREQUENCY_PACKAGE#*@} also publishes; no stylesheet asks for its 500) cut by
\`scripts/font_slices.py\` into woff2 slices, declared in \`krds/fonts/pretendard-gov.css\`
with one \`unicode-range\` each: the glyphs are the package's, unchanged; each slice keeps
the copyright and licence records of the font's name table and the OpenType features
browsers apply by default. Cutting the font makes a Modified Version under the OFL, which
may not use the Reserved Font Name (§3): the slices are named "Proactive GOV Sans" in
their name tables and in the stylesheet. The order of the slices follows the Hangul frequency order
of the unicode-ranges in \`dist/web/static/pretendard-gov-dynamic-subset.css\` of the npm
package $FREQUENCY_PACKAGE (same author and licence; only that stylesheet is read, no font
of that package is copied).

## htmx.org $htmx_version

EOF
  sed 's/^/> /' "$stage/htmx/LICENSE"
  printf '\nCopied: `dist/htmx.min.js` and `LICENSE`.\n'
} >"$stage/NOTICE.md"
[ -s "$stage/LICENSES/OFL-1.1-PretendardGOV.txt" ] || die "static/vendor/LICENSES/OFL-1.1-PretendardGOV.txt is missing"

rm -rf "$vendor" "$sources"
mv "$stage" "$vendor"
mv "$stage_sources" "$sources"
say "static/vendor refreshed: $(du -sh "$vendor" | cut -f1)"
