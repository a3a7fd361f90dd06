"""The task worker under a supervisor (as systemd's Restart=always keeps it in production), and
the faults the suite injects into the running service."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.server import ROOT, Server, server_env


@dataclass
class Worker:
    """`manage.py db_worker`, restarted a second after it exits (a database restart makes it
    stop with an error) unless the suite stopped it. Its e-mails go to its standard output
    (EMAIL_URL=console://), appended to `log` across restarts."""

    env: dict[str, str]
    log: Path
    process: subprocess.Popen[bytes] | None = None
    wanted: bool = False
    restarts: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _watch: threading.Thread | None = None

    def _spawn(self) -> None:
        command = [
            sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--interval", "0.2", "--no-reload",
            "--worker-id", f"trust-{os.getpid()}",
        ]  # fmt: skip
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=server_env(self.env), stdout=out, stderr=subprocess.STDOUT
            )

    def start(self) -> None:
        with self._lock:
            self.wanted = True
            self._spawn()
        if self._watch is None:
            self._watch = threading.Thread(target=self._supervise, daemon=True)
            self._watch.start()

    def _supervise(self) -> None:
        while True:
            time.sleep(1)
            with self._lock:
                if self.wanted and self.process is not None and self.process.poll() is not None:
                    self.restarts += 1
                    self._spawn()

    def stop(self) -> None:
        """SIGTERM: the worker finishes the task it is running, then exits."""
        with self._lock:
            self.wanted = False
            process = self.process
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def kill_one_app_worker(server: Server) -> int:
    """kill -9 one of gunicorn's workers (its master starts another); returns its pid."""
    assert server.process is not None
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
    if not children:
        raise RuntimeError("gunicorn has no workers to kill")
    victim = int(children[0])
    os.kill(victim, signal.SIGKILL)
    return victim


def app_workers(server: Server) -> list[int]:
    """The pids of gunicorn's live workers (a killed one leaves the list once reaped)."""
    assert server.process is not None
    children = Path(f"/proc/{server.process.pid}/task/{server.process.pid}/children").read_text().split()
    return [int(pid) for pid in children if _alive(int(pid))]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"
