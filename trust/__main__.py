"""`python -m trust`: the load and fault checks of issue 9 (ADR 0028).

    python -m trust                 # `make trust`: 200 clients, 60 s per phase
    python -m trust --smoke         # what `make test` runs: 20 clients, 12 s per phase

Each phase runs in a child process of its own (its database is chosen before Django starts):
- `postgres`: a PostgreSQL server of the suite's own (trust/cluster.py), the production
  server (gunicorn, 4 workers) and a supervised task worker. A clean load, then the same load
  while one app worker is killed with SIGKILL, PostgreSQL restarts and the task worker is
  stopped and started again. Afterwards every acknowledged submission is looked for (in the
  database and through the receipt lookup), copies are counted, and every e-mail due is
  checked sent exactly once.
- `sqlite`: the embedded default under writers in several processes: no "database is
  locked" reaches a citizen, and every acknowledged submission is there.
Results: var/trust/ (markdown and JSON); the exit status is 1 when a check fails.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m trust", description=__doc__.split("\n")[0])
    parser.add_argument("--smoke", action="store_true", help="a short run (make test)")
    parser.add_argument("--clients", type=int, default=0, help="concurrent clients (200; 20 with --smoke)")
    parser.add_argument("--seconds", type=float, default=0, help="seconds per phase (60; 12 with --smoke)")
    parser.add_argument("--phases", default="postgres,sqlite", help="postgres, sqlite or both")
    parser.add_argument("--out", default=str(ROOT / "var" / "trust"), help="where the results go")
    parser.add_argument("--phase", help=argparse.SUPPRESS)  # the child process of one phase
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.clients = args.clients or (20 if args.smoke else 200)
    args.seconds = args.seconds or (12.0 if args.smoke else 60.0)
    return args


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    from trust.phases import say

    if args.phase:
        from trust import phases

        return phases.run(args)
    os.environ.setdefault("SECRET_KEY", "trust-" + secrets.token_urlsafe(40))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    started = datetime.datetime.now(tz=datetime.UTC)
    results: list[dict[str, object]] = []
    failed = False
    for phase in [p.strip() for p in args.phases.split(",") if p.strip()]:
        result = out / f"{phase}.json"
        result.unlink(missing_ok=True)
        command = [sys.executable, "-m", "trust", "--phase", phase, "--result", str(result)]
        command += ["--clients", str(args.clients), "--seconds", str(args.seconds)]
        if args.smoke:
            command.append("--smoke")
        say(f"==> trust: {phase} ({args.clients} clients, {args.seconds:.0f} s per load)")
        code = subprocess.run(command, cwd=ROOT, check=False).returncode  # noqa: S603
        if not result.exists():
            say(f"trust: the {phase} phase ended ({code}) without results")
            failed = True
            continue
        data = json.loads(result.read_text())
        results.append(data)
        failed = failed or code != 0 or not data["ok"]
    from trust.report import markdown

    stamp = started.strftime("%Y%m%dT%H%M%S")
    text = markdown(results, started=started, smoke=args.smoke)
    (out / f"trust-{stamp}.md").write_text(text)
    (out / f"trust-{stamp}.json").write_text(json.dumps(results, indent=2, ensure_ascii=False))
    (out / "latest.md").write_text(text)
    say(text)
    return 1 if failed or not results else 0


if __name__ == "__main__":
    sys.exit(main())
