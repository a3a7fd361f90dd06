#!/usr/bin/env bash
# make run: install what is missing, migrate, load the demo district once, then run the
# web server and the task worker together until Ctrl-C.
source "$(dirname "$0")/lib.sh"

ensure_python_deps
ensure_system_libs
export DEBUG="${DEBUG:-1}"
mkdir -p var

say "Migrating the database"
uv run --frozen python manage.py migrate --no-input -v 0
say "Loading the demo district (once)"
uv run --frozen python manage.py seed_demo

pids=()
cleanup() {
  trap - INT TERM EXIT
  say "Stopping"
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup INT TERM EXIT

uv run --frozen python manage.py db_worker --queue-name '*' --no-reload -v 1 &
pids+=($!)
uv run --frozen python manage.py scheduler &
pids+=($!)
uv run --frozen python manage.py runserver 127.0.0.1:8000 --noreload &
pids+=($!)

sleep 2
uv run --frozen python manage.py seed_demo --print-logins
cat <<TXT

  Office (staff):   http://127.0.0.1:8000/office/
  Public corner:    http://127.0.0.1:8000/
  API schema:       http://127.0.0.1:8000/api/openapi.json

  Press Ctrl-C to stop the web server and the task worker.
TXT
wait -n "${pids[@]}"
