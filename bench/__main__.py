"""`python -m bench`: seed (unless told not to), run every measure, write bench/results/.

    python -m bench --size small --smoke      # what `make test` runs: every measure, briefly
    python -m bench --size national           # the full run (`make bench SIZE=national`)

Needs DATABASE_URL on PostgreSQL (scripts/bench.sh prepares the database) and wrk.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import secrets
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", default="small", choices=("small", "medium", "large", "national"))
    parser.add_argument("--smoke", action="store_true", help="every measure, briefly, without targets")
    parser.add_argument("--no-seed", action="store_true", help="measure the data as it is")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (2 cores: 4)")
    parser.add_argument(
        "--growth",
        default="",
        help="measure only the growth of the case list and search, seeding reports and practices to each "
        "of these sizes in turn (e.g. 10000,100000,1000000); run it on a database of its own",
    )
    parser.add_argument(
        "--sqlite",
        action="store_true",
        help="the SQLite half: report submission and case list at 100,000 reports with concurrent writers "
        "(DATABASE_URL must name a SQLite file)",
    )
    parser.add_argument("--merge", type=Path, help="a JSON result of this run's other half, to write as one table")
    parser.add_argument(
        "--only", default="", help="comma-separated: submission,case_list,pages,search,dashboards,import"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    # One secret for the runner and its server: the form tokens it signs must verify there.
    os.environ.setdefault("SECRET_KEY", "bench-" + secrets.token_urlsafe(40))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["PROACTIVE_TESTING"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor != ("sqlite" if args.sqlite else "postgresql"):
        sys.stderr.write("bench: DATABASE_URL must point at PostgreSQL (or SQLite with --sqlite)\n")
        return 2
    from bench import imports, measures, pages
    from bench import server as http
    from bench.report import Row
    from bench.views import create_table

    started = datetime.datetime.now(tz=datetime.UTC)
    seed_seconds = 0.0
    call_command("migrate", verbosity=0)
    plan = measures.Plan.make(args.smoke)
    if args.growth:
        steps = [int(n.replace("_", "")) for n in args.growth.split(",") if n.strip()]
        raw = measures.raw_connection()
        grown = measures.growth(plan, raw, steps)
        raw.close()
        return finish(args, grown, started, {"growth_steps": steps})
    if args.sqlite:
        return sqlite_half(args, started, plan)
    if not args.no_seed:
        begun = time.monotonic()
        call_command("seed_scale", size=args.size)
        seed_seconds = time.monotonic() - begun
    call_command("collectstatic", interactive=False, verbosity=0)
    create_table()
    only = {name.strip() for name in args.only.split(",") if name.strip()}

    def wanted(name: str) -> bool:
        return not only or name in only

    rows: list[Row] = []
    raw = measures.raw_connection()
    extra = {"REDIS_URL": os.environ.get("REDIS_URL", "")}
    with http.running(workers=args.workers, env=extra) as server:
        if wanted("submission"):
            rows += measures.submission(plan, server)
        if wanted("case_list"):
            rows += measures.case_list(plan, raw, server)
        if wanted("pages"):
            rows += pages.public_pages(plan, server)
    if wanted("search"):
        rows += measures.search(plan, raw)
    if wanted("dashboards"):
        rows += measures.dashboards(plan, raw, year=datetime.date.today().year)  # noqa: DTZ011
    if wanted("import"):
        rows += imports.register_import(plan, 2_000 if plan.smoke else 100_000)
    raw.close()

    return finish(
        args,
        rows,
        started,
        {
            "seed_seconds": round(seed_seconds, 1),
            "server": f"gunicorn, {args.workers} workers, production settings, wrk on loopback",
            "cache": "redis" if extra["REDIS_URL"] else "local memory",
        },
    )
    return 0


def sqlite_half(args: argparse.Namespace, started: datetime.datetime, plan: Any) -> int:
    """The embedded default: 100,000 reports (smoke: 2,000), one server process with threads."""
    from django.core.management import call_command

    from bench import measures
    from bench import server as http
    from bench.views import create_table

    cases = 2_000 if args.smoke else 100_000
    begun = time.monotonic()
    call_command("seed_scale", institutions=300, people=30_000, register=0, cases=cases, only="reports", verbosity=0)
    seeded = time.monotonic() - begun
    call_command("collectstatic", interactive=False, verbosity=0)
    create_table()
    raw = measures.raw_connection()
    with http.running(workers=1, threads=8) as server:
        rows = measures.sqlite(plan, raw, server)
    raw.close()
    return finish(args, rows, started, {"seed_seconds": round(seeded, 1), "server": "gunicorn, 1 worker, 8 threads"})


def database_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]}"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def finish(args: argparse.Namespace, rows: list[Any], started: datetime.datetime, extra: dict[str, Any]) -> int:
    """Write the table (with the other half's rows first when --merge names them)."""
    import json

    from bench import measures
    from bench.report import Row, write

    meta: dict[str, Any] = {
        "size": args.size + ("-smoke" if args.smoke else ""),
        "started": started.isoformat(timespec="seconds"),
        "stamp": started.strftime("%Y%m%dT%H%M%S"),
        "machine": f"{os.cpu_count()} CPUs, {platform.machine()}, Python {platform.python_version()}",
        "database": database_version(),
        "server": "",
        "data": measures.data_size(),
        **extra,
    }
    if args.merge:
        earlier = json.loads(args.merge.read_text())
        rows = [Row(**row) for row in earlier["rows"]] + rows
        meta = {**earlier["meta"], "merged": [*earlier["meta"].get("merged", []), meta]}
    md, js = write(rows, meta, args.out)
    sys.stdout.write(md.read_text() + f"\nwritten: {md} and {js}\n")
    failed = [row.measure for row in rows if row.ok is False]
    if failed:
        sys.stdout.write("missed:\n  " + "\n  ".join(failed) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
