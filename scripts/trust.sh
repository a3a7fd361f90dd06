#!/usr/bin/env bash
# make trust [SMOKE=1] [CLIENTS=200] [SECONDS=60] [PHASES=postgres,sqlite]
# The load and fault checks of issue 9 (ADR 0028): the production server on a PostgreSQL
# server of the suite's own (initdb on a free loopback port, restarted during the load), then
# SQLite under writers in several processes. Results in var/trust/.
source "$(dirname "$0")/lib.sh"
ensure_uv
ensure_python_deps
ensure_system_libs

pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
if [ -z "$pg_bin" ] && ! command -v initdb >/dev/null 2>&1; then
  say "Installing PostgreSQL's server programs (initdb, pg_ctl)"
  apt_install postgresql || true
  pg_bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
fi
if [ -z "$pg_bin" ] && ! command -v initdb >/dev/null 2>&1; then
  if is_ci || [ "${TRUST_REQUIRED:-1}" = "1" ]; then die "PostgreSQL's server programs are missing (apt-get install postgresql)"; fi
  warn "PostgreSQL's server programs are missing: skipping the trust checks."
  exit 0
fi

args=()
[ "${SMOKE:-0}" = "1" ] && args+=(--smoke)
[ -n "${CLIENTS:-}" ] && args+=(--clients "$CLIENTS")
[ -n "${SECONDS_PER_PHASE:-}" ] && args+=(--seconds "$SECONDS_PER_PHASE")
[ -n "${PHASES:-}" ] && args+=(--phases "$PHASES")
say "Trust: load and faults ${args[*]}"
uv run --frozen python -m trust "${args[@]}"

# The full run also goes deeper into hostile input than the suite does on every commit:
# more schemathesis cases per API operation and more fuzzing examples per parser.
if [ "${SMOKE:-0}" != "1" ]; then
  say "Hostile input, deeper: schemathesis and fuzzing"
  SCHEMATHESIS_MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-50}" FUZZ_EXAMPLES="${FUZZ_EXAMPLES:-1500}" \
    uv run --frozen pytest -q -p no:randomly -p no:cacheprovider api/tests/test_schemathesis.py core/tests/test_fuzz_parsers.py
fi
