#!/usr/bin/env bash
# make vendor: refresh the vendored front-end files in static/vendor from npm.
#
# The versions are the ones pinned in package.json / package-lock.json (npm ci checks the
# lock's integrity hashes). Only the files the pages use are copied: KRDS's compiled CSS,
# its design tokens, the icons that CSS refers to, the PretendardGOV woff2 fonts and the
# KRDS UI script; htmx's minified build. No source maps, no SCSS, no demo HTML.
# The result is committed, so `make run` never needs npm.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
die() { printf '\033[1;31mxx\033[0m %s\n' "$*" >&2; exit 1; }

command -v npm >/dev/null 2>&1 || die "npm is needed to refresh static/vendor (apt-get install npm)"

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
stage="$work/vendor"
mkdir -p "$stage/krds/css/component" "$stage/krds/css/token" "$stage/krds/img/component/icon" \
  "$stage/krds/fonts" "$stage/krds/js" "$stage/htmx"

say "Copying KRDS $krds_version"
# The compiled CSS (common + components) keeps its relative paths ../../css/token and
# ../../img/component/icon, so the folder layout below mirrors the package's.
sed '/sourceMappingURL=/d' "$krds_src/css/component/output.css" >"$stage/krds/css/component/output.css"
sed '/sourceMappingURL=/d' "$krds_src/css/token/krds_tokens.css" >"$stage/krds/css/token/krds_tokens.css"
grep -o 'url([^)]*img/component/icon/[^)]*)' "$stage/krds/css/component/output.css" \
  | sed -E 's#.*img/component/icon/([^)"'"'"']+).*#\1#' | sort -u | while read -r icon; do
  cp "$krds_src/img/component/icon/$icon" "$stage/krds/img/component/icon/$icon"
done
cp "$krds_src"/fonts/*.woff2 "$stage/krds/fonts/"
sed '/sourceMappingURL=/d' "$krds_src/js/component/ui-script.js" >"$stage/krds/js/ui-script.js"

say "Copying htmx $htmx_version"
cp "$htmx_src/dist/htmx.min.js" "$stage/htmx/htmx.min.js"
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
| \`krds/fonts\` | krds-uiux (PretendardGOV subset fonts, also published as pretendard-gov) | $krds_version | SIL Open Font License 1.1 (\`LICENSES/OFL-1.1-PretendardGOV.txt\`) |
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

Copied: \`resources/css/component/output.css\` and \`resources/css/token/krds_tokens.css\`
(source-map comments removed), the icons that CSS refers to, \`resources/fonts/*.woff2\`
and \`resources/js/component/ui-script.js\`.

## PretendardGOV fonts

Copyright (c) 2021, Kil Hyung-jin (https://github.com/orioncactus/pretendard), with
Reserved Font Name Pretendard. Licensed under the SIL Open Font License, Version 1.1; the
full text is in \`LICENSES/OFL-1.1-PretendardGOV.txt\`.

## htmx.org $htmx_version

EOF
  sed 's/^/> /' "$stage/htmx/LICENSE"
  printf '\nCopied: `dist/htmx.min.js` and `LICENSE`.\n'
} >"$stage/NOTICE.md"
[ -s "$stage/LICENSES/OFL-1.1-PretendardGOV.txt" ] || die "static/vendor/LICENSES/OFL-1.1-PretendardGOV.txt is missing"

rm -rf "$vendor"
mv "$stage" "$vendor"
say "static/vendor refreshed: $(du -sh "$vendor" | cut -f1)"
