# Shared helpers for the make targets. Sourced, not run.
set -euo pipefail
export UV_PYTHON_DOWNLOADS=never
export PATH="$HOME/.local/bin:$PATH"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }
warn() { printf '\033[1;33m!!\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31mxx\033[0m %s\n' "$*" >&2; exit 1; }
is_ci() { [ "${CI:-}" = "true" ] || [ "${CI:-}" = "1" ]; }

APT_UPDATED=0
apt_install() {
  # apt_install PKG... : install Debian packages when apt-get is available.
  if ! command -v apt-get >/dev/null 2>&1; then
    return 1
  fi
  local sudo=""
  if [ "$(id -u)" != "0" ]; then
    command -v sudo >/dev/null 2>&1 || return 1
    sudo="sudo"
  fi
  if [ "$APT_UPDATED" = "0" ]; then
    $sudo apt-get update -qq >/dev/null 2>&1 || true
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_uv() {
  if ! command -v uv >/dev/null 2>&1; then
    say "Installing uv (Python package manager)"
    python3 -m pip install --user --quiet uv 2>/dev/null || python3 -m pip install --user --quiet --break-system-packages uv \
      || die "Could not install uv. Install it (pip install uv) and run again."
  fi
}

ensure_python_deps() {
  ensure_uv
  if ! uv python find 3.13 >/dev/null 2>&1; then
    if command -v pyenv >/dev/null 2>&1; then
      local pv
      pv=$(pyenv versions --bare 2>/dev/null | grep -E '^3\.13' | tail -n 1 || true)
      if [ -n "$pv" ]; then
        export UV_PYTHON="$(pyenv root)/versions/$pv/bin/python3.13"
      fi
    fi
  fi
  uv python find 3.13 >/dev/null 2>&1 || [ -n "${UV_PYTHON:-}" ] || die "Python 3.13 is required (see .python-version)."
  say "Syncing Python dependencies (uv sync --frozen)"
  uv sync --frozen --quiet
}

ensure_system_libs() {
  # WeasyPrint needs Pango; Korean PDFs need the Nanum fonts.
  local missing=()
  if ! uv run --frozen python -c "import weasyprint" >/dev/null 2>&1; then missing+=(libpango-1.0-0 libpangoft2-1.0-0); fi
  # Without HarfBuzz-Subset WeasyPrint falls back to fontTools and warns on every PDF.
  if ! ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset; then missing+=(libharfbuzz-subset0); fi
  if ! fc-list 2>/dev/null | grep -i nanum >/dev/null; then missing+=(fonts-nanum fontconfig); fi
  # The translation completeness test runs makemessages, which needs GNU gettext.
  if ! command -v xgettext >/dev/null 2>&1; then missing+=(gettext); fi
  if [ ${#missing[@]} -gt 0 ]; then
    say "Installing system packages: ${missing[*]}"
    apt_install "${missing[@]}" || warn "Could not install ${missing[*]}; PDF output will not work until they are installed."
  fi
}

postgres_url() {
  echo "${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/proactive}"
}

postgres_ready() {
  uv run --frozen python - "$(postgres_url)" <<'PY' >/dev/null 2>&1
import sys, psycopg
url = sys.argv[1].rsplit("/", 1)[0] + "/postgres"
psycopg.connect(url, connect_timeout=3).close()
PY
}

prepare_postgres() {
  # A UTF-8 template with a UTF-8 ctype, so pg_trgm treats Hangul as word characters.
  uv run --frozen python - "$(postgres_url)" <<'PY'
import sys, psycopg
url = sys.argv[1]
admin = url.rsplit("/", 1)[0] + "/postgres"
name = url.rsplit("/", 1)[1].split("?")[0]
with psycopg.connect(admin, autocommit=True) as conn:
    ctype = conn.execute("select datctype from pg_database where datname='template0'").fetchone()[0]
    locale = ctype if "utf" in ctype.lower() else "C.UTF-8"
    for db in (name, "proactive_template"):
        if not conn.execute("select 1 from pg_database where datname=%s", (db,)).fetchone():
            conn.execute(
                f"create database {db} template template0 encoding 'UTF8' lc_collate '{locale}' lc_ctype '{locale}'"
            )
    with psycopg.connect(admin.rsplit("/", 1)[0] + "/proactive_template", autocommit=True) as tconn:
        tconn.execute("create extension if not exists pg_trgm")
PY
}
