#!/usr/bin/env bash
# make test: lint, type check, the suite on SQLite, on PostgreSQL, then the browser tests.
# With CI=true a missing PostgreSQL or browser is a failure, never a skip.
source "$(dirname "$0")/lib.sh"
stage="${1:-all}"

ensure_python_deps

run_pytest() {
  # pytest exits 5 when it collected nothing: that must fail, not pass silently.
  set +e
  uv run --frozen pytest "$@"
  local rc=$?
  set -e
  if [ $rc -eq 5 ]; then die "pytest collected no tests"; fi
  return $rc
}

lint() {
  say "ruff"
  uv run --frozen ruff check .
  uv run --frozen ruff format --check .
  say "mypy (strict, django-stubs)"
  uv run --frozen mypy .
  say "migrations are complete"
  uv run --frozen python manage.py makemigrations --check --dry-run -v 0
  say "production settings pass check --deploy"
  DEBUG=0 SECRET_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')" ALLOWED_HOSTS=proactive.example.go.kr \
    PROACTIVE_TESTING=0 uv run --frozen python manage.py check --deploy --fail-level WARNING
}

test_sqlite() {
  ensure_system_libs
  say "pytest on SQLite"
  run_pytest -q -m "not browser" -n 2 -p no:randomly
}

test_postgres() {
  if ! postgres_ready; then
    if is_ci; then die "PostgreSQL is not reachable at $(postgres_url) (required in CI)"; fi
    warn "PostgreSQL is not reachable at $(postgres_url): skipping the PostgreSQL run (set TEST_DATABASE_URL)."
    return 0
  fi
  prepare_postgres
  say "pytest on PostgreSQL"
  DATABASE_URL="$(postgres_url)" POSTGRES_TEST_TEMPLATE=proactive_template run_pytest -q -m "not browser" -n 2
}

ensure_browser() {
  if [ ! -x /usr/bin/chromium ]; then
    say "Installing Debian chromium"
    apt_install chromium || true
  fi
  if [ ! -x /usr/bin/chromium ]; then
    if is_ci; then die "chromium is missing and could not be installed (required in CI)"; fi
    warn "chromium is missing: skipping the browser tests."
    return 1
  fi
  if ! fc-list 2>/dev/null | grep -i nanum >/dev/null; then apt_install fonts-nanum fontconfig || true; fi
  if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/lighthouse/cli/index.js ] \
    || [ ! -x node_modules/.bin/terser ]; then
    if ! command -v npm >/dev/null 2>&1; then
      apt_install nodejs npm || true
    fi
    command -v npm >/dev/null 2>&1 || { is_ci && die "npm is missing (needed for axe-core)"; warn "npm missing: skipping browser tests"; return 1; }
    say "Installing axe-core, Lighthouse and terser (npm ci)"
    npm ci --no-audit --no-fund --silent
  fi
  return 0
}

test_browser() {
  if ensure_browser; then
    say "Browser tests (Playwright + Debian chromium + axe-core)"
    run_pytest -q -m browser -p no:xdist
  fi
}

bench_smoke() {
  # Every benchmark measure, briefly, on the small data set (issue 8): it must run, not meet
  # the targets. Same rule as the PostgreSQL run: a missing database fails only in CI.
  if ! TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/proactive_bench_small" postgres_ready; then
    if is_ci; then die "PostgreSQL is not reachable (required in CI for the benchmark smoke run)"; fi
    warn "PostgreSQL is not reachable: skipping the benchmark smoke run."
    return 0
  fi
  say "Benchmark smoke run (small data, every measure briefly)"
  SIZE=small SMOKE=1 BENCH_OUT="${BENCH_OUT:-var/bench}" bash "$(dirname "$0")/bench.sh"
}

trust_smoke() {
  # The load and fault checks of issue 9 (ADR 0028), briefly: 20 clients, 12 s per load,
  # on a PostgreSQL server of the suite's own (a missing server program fails only in CI).
  say "Trust smoke run (load, kill -9 of an app worker, PostgreSQL restart, worker restart; SQLite writers)"
  TRUST_REQUIRED="$(is_ci && echo 1 || echo 0)" SMOKE=1 bash "$(dirname "$0")/trust.sh"
}

case "$stage" in
  lint) lint ;;
  sqlite) test_sqlite ;;
  postgres) test_postgres ;;
  browser) test_browser ;;
  bench) bench_smoke ;;
  trust) trust_smoke ;;
  all) lint; test_sqlite; test_postgres; test_browser; bench_smoke; trust_smoke; say "All checks passed" ;;
  *) die "unknown stage $stage" ;;
esac
