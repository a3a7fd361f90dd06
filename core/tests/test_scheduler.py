"""The periodic scheduler and `manage.py scheduler`."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.tasks import task

from core import scheduler
from core.scheduler import Scheduler, register_periodic

CALLS: list[str] = []


@task
def tick() -> None:
    CALLS.append("tick")


@task
def tock() -> None:
    CALLS.append("tock")


@pytest.fixture(autouse=True)
def registry(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(scheduler, "_PERIODIC", dict(scheduler._PERIODIC))
    CALLS.clear()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_core_registers_its_periodic_tasks() -> None:
    names = {p.name for p in scheduler.registered()}
    assert {"deadline_reminders", "stale_notification_emails"} <= names


def test_each_task_is_enqueued_when_its_period_has_passed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(scheduler, "_PERIODIC", {})
    register_periodic("tick", tick, every_seconds=60)
    register_periodic("tock", tock, every_seconds=300)
    clock = Clock()
    s = Scheduler(clock=clock)
    assert s.run_round() == ["tick", "tock"]  # everything is due at start
    assert CALLS == ["tick", "tock"]
    clock.now += 59
    assert s.run_round() == []
    clock.now += 1
    assert s.run_round() == ["tick"]
    clock.now += 240
    assert s.run_round() == ["tick", "tock"]


def test_failed_enqueue_is_retried_next_round(monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(scheduler, "_PERIODIC", {})

    class Broken:
        calls = 0

        def enqueue(self):  # type: ignore[no-untyped-def]
            Broken.calls += 1
            raise RuntimeError("queue down")

    register_periodic("broken", Broken(), every_seconds=3600)  # type: ignore[arg-type]
    s = Scheduler(clock=Clock())
    assert s.run_round() == []
    assert s.run_round() == []
    assert Broken.calls == 2
    assert "could not enqueue broken" in caplog.text


def test_period_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        register_periodic("bad", tick, every_seconds=0)


def test_run_forever_stops_when_asked(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(scheduler, "_PERIODIC", {})
    register_periodic("tick", tick, every_seconds=0.01)
    s = Scheduler()
    worker = threading.Thread(target=s.run_forever, args=(0.01,))
    worker.start()
    time.sleep(0.1)
    s.stop(signal.SIGTERM, None)
    worker.join(timeout=2)
    assert not worker.is_alive()
    assert len(CALLS) >= 2


def test_command_once_runs_one_round(db, capsys, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(scheduler, "_PERIODIC", {})
    register_periodic("tick", tick, every_seconds=60)
    call_command("scheduler", "--once")
    assert CALLS == ["tick"]
    assert "Enqueued: tick" in capsys.readouterr().out


def test_command_once_sends_deadline_reminders(case, kinds, time_machine) -> None:  # type: ignore[no-untyped-def]
    import datetime

    from core.deadlines import deadline_open
    from core.models import Notification

    deadline_open(target=case, kind="test.review", working_days=1, starts_on=datetime.date(2026, 3, 2), label="x")
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False)
    call_command("scheduler", "--once")
    assert Notification.objects.filter(title__contains="처리기한 임박").count() == 2


def test_interval_must_be_positive() -> None:
    with pytest.raises(CommandError):
        call_command("scheduler", "--interval", "0")


@pytest.mark.slow
def test_sigterm_stops_the_process_cleanly(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "TASK_BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "PROACTIVE_TESTING": "1",
        "DEBUG": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "manage.py", "scheduler", "--interval", "3600"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        started = process.stdout.readline()
        assert "Scheduler started" in started, started + process.stderr.read() if process.stderr else ""
        assert "deadline_reminders" in started
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Scheduler stopped." in out
