"""A small periodic scheduler: it only ENQUEUES tasks; the task worker runs them.

Modules register their periodic tasks once (from their AppConfig.ready())::

    register_periodic("deadline_reminders", tasks.send_deadline_reminders, every_seconds=900)

`manage.py scheduler` wakes every `--interval` seconds and enqueues each task whose period
has passed since it last enqueued it. Run exactly ONE scheduler per deployment (see
docs/adr/0005); the periodic tasks are idempotent, so a second scheduler or a restart
only repeats harmless work.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import close_old_connections
from django.tasks import Task

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    name: str
    task: Task[[], Any]
    every_seconds: float


_PERIODIC: dict[str, Periodic] = {}


def register_periodic(name: str, task: Task[[], Any], every_seconds: float) -> None:
    """Enqueue `task` (which takes no arguments) every `every_seconds` seconds."""
    if every_seconds <= 0:
        raise ValueError("every_seconds must be positive")
    _PERIODIC[name] = Periodic(name, task, every_seconds)


def registered() -> list[Periodic]:
    return sorted(_PERIODIC.values(), key=lambda p: p.name)


@dataclass
class Scheduler:
    """Keeps, per task, when it was last enqueued (in memory: after a restart every task is
    due at once, which the tasks' idempotence makes harmless)."""

    clock: Callable[[], float] = time.monotonic
    last_run: dict[str, float] = field(default_factory=dict)
    stop_event: threading.Event = field(default_factory=threading.Event)

    def due(self) -> list[Periodic]:
        now = self.clock()
        return [
            p for p in registered() if p.name not in self.last_run or now - self.last_run[p.name] >= p.every_seconds
        ]

    def run_round(self) -> list[str]:
        """Enqueue every task that is due; return their names. A failing enqueue is logged
        and retried next round."""
        enqueued: list[str] = []
        for periodic in self.due():
            try:
                result: Any = periodic.task.enqueue()
            except Exception:
                logger.exception("scheduler: could not enqueue %s", periodic.name)
                continue
            self.last_run[periodic.name] = self.clock()
            enqueued.append(periodic.name)
            logger.info("scheduler: enqueued %s (%s)", periodic.name, getattr(result, "id", "?"))
        return enqueued

    def run_forever(self, interval: float) -> None:
        """Run rounds every `interval` seconds until stop() (SIGTERM/SIGINT) is called."""
        while not self.stop_event.is_set():
            # A long-lived process: drop a database connection that broke or grew too old
            # (what Django does around every request), so that one outage does not stick.
            close_old_connections()
            self.run_round()
            self.stop_event.wait(interval)

    def stop(self, *_args: object) -> None:
        self.stop_event.set()
