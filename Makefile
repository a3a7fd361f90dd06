# Proactive: the two commands of the README.
.PHONY: run test lint test-sqlite test-postgres test-browser bench trust vendor messages

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh all

lint:
	@bash scripts/test.sh lint

test-sqlite:
	@bash scripts/test.sh sqlite

test-postgres:
	@bash scripts/test.sh postgres

test-browser:
	@bash scripts/test.sh browser

# The benchmark (issue 8, ADR 0025): SIZE=small|medium|large|national, SMOKE=1 for a short run.
bench:
	@bash scripts/bench.sh

# Load, faults and hostile input (issue 9, ADR 0028): SMOKE=1 for the short run of make test,
# CLIENTS=200 SECONDS_PER_PHASE=60 PHASES=postgres,sqlite; then the deep fuzz and schemathesis runs.
trust:
	@bash scripts/trust.sh

# Refresh the vendored KRDS design system and htmx from npm (see static/vendor/NOTICE.md).
vendor:
	@bash scripts/vendor-frontend.sh

# Rebuild the English translation catalogue.
messages:
	@bash -c 'source scripts/lib.sh; uv run --frozen python manage.py makemessages -l en --no-obsolete -i ".venv/*" -i "node_modules/*" -i "var/*" && uv run --frozen python manage.py compilemessages -l en'
