#!/usr/bin/env bash
# make bench [SIZE=small|medium|large|national] [SMOKE=1] [ONLY=submission,case_list,search,dashboards]
# The benchmark of issue 8 (ADR 0025) on PostgreSQL with the production server and wrk.
# Each size has its own database (proactive_bench_<size>), seeded once by seed_scale.
source "$(dirname "$0")/lib.sh"
size="${SIZE:-small}"
ensure_uv
ensure_python_deps
ensure_system_libs

if ! command -v wrk >/dev/null 2>&1; then
  say "Installing wrk (the load generator)"
  apt_install wrk || true
fi
command -v wrk >/dev/null 2>&1 || die "wrk is missing and could not be installed (apt-get install wrk)"

# Lighthouse and the page weights drive Debian's chromium (never a downloaded browser).
if [ ! -x /usr/bin/chromium ]; then
  say "Installing Debian chromium"
  apt_install chromium || true
fi
[ -x /usr/bin/chromium ] || die "chromium is missing and could not be installed (apt-get install chromium)"
if [ ! -f node_modules/lighthouse/cli/index.js ]; then
  command -v npm >/dev/null 2>&1 || apt_install nodejs npm || true
  command -v npm >/dev/null 2>&1 || die "npm is missing (needed for Lighthouse)"
  say "Installing Lighthouse and axe-core (npm ci)"
  npm ci --no-audit --no-fund --silent
fi

export TEST_DATABASE_URL="${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/proactive_bench_${size}}"
if ! postgres_ready; then
  die "PostgreSQL is not reachable at $(postgres_url): the benchmark runs on PostgreSQL (set BENCH_DATABASE_URL)"
fi
prepare_postgres

# Several gunicorn workers share the receipt cache and rate limits through Redis, as in
# production; without Redis each worker keeps its own (the measure still runs).
if [ -z "${REDIS_URL:-}" ]; then
  if uv run --frozen python -c "import redis; redis.Redis(host='127.0.0.1', port=6379, socket_connect_timeout=2).ping()" >/dev/null 2>&1; then
    export REDIS_URL="redis://127.0.0.1:6379/9"
  else
    warn "Redis is not reachable on 127.0.0.1:6379: the server's workers keep their caches in local memory"
  fi
fi

out="${BENCH_OUT:-bench/results}"
args=(--size "$size" --out "$out")
growth="10000,100000,1000000"
label="$size"
if [ -n "${SMOKE:-}" ]; then args+=(--smoke); growth="300,1500"; label="$size-smoke"; fi
if [ -n "${ONLY:-}" ]; then args+=(--only "$ONLY"); fi

say "Benchmark on PostgreSQL: ${args[*]} ($(postgres_url))"
DATABASE_URL="$(postgres_url)" uv run --frozen python -m bench "${args[@]}"

if [ -z "${ONLY:-}" ]; then
  # Growth: reports and practices seeded step by step on a database of their own.
  suffix=""; [ -n "${SMOKE:-}" ] && suffix="_smoke"
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/proactive_bench_growth${suffix}"
  prepare_postgres
  say "Benchmark: growth of the case list and search ($growth)"
  DATABASE_URL="$(postgres_url)" uv run --frozen python -m bench "${args[@]}" --growth "$growth" \
    --merge "$out/latest-$label.json"

  # SQLite, the embedded default: its own file under var/bench.
  mkdir -p var/bench
  say "Benchmark on SQLite (one process, 8 threads)"
  DATABASE_URL="sqlite:///$PWD/var/bench/bench${suffix}.sqlite3" uv run --frozen python -m bench "${args[@]}" \
    --sqlite --merge "$out/latest-$label.json"
fi
