"""manage.py scheduler: enqueue the periodic tasks (run exactly one per deployment)."""

from __future__ import annotations

import signal
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from core.scheduler import Scheduler, registered


class Command(BaseCommand):
    help = (
        "Enqueue the periodic tasks (deadline reminders, ...) on their schedule. "
        "Run exactly one scheduler per deployment; the task worker (db_worker) runs the tasks."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--interval", type=float, default=300.0, help="Seconds between rounds (default 300).")
        parser.add_argument("--once", action="store_true", help="Run one round and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        interval: float = options["interval"]
        if interval <= 0:
            raise CommandError("--interval must be positive")
        scheduler = Scheduler()
        if options["once"]:
            names = scheduler.run_round()
            self.stdout.write(f"Enqueued: {', '.join(names) or '(nothing)'}")
            return
        previous = {sig: signal.signal(sig, scheduler.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        tasks = ", ".join(f"{p.name} every {p.every_seconds:g}s" for p in registered()) or "(none registered)"
        self.stdout.write(f"Scheduler started: round every {interval:g}s; {tasks}", ending="\n")
        self.stdout.flush()
        try:
            scheduler.run_forever(interval)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write("Scheduler stopped.")
