"""The production server under load: gunicorn on loopback, and wrk in a second process."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LOAD_SCRIPT = Path(__file__).resolve().parent / "wrk" / "load.lua"
#: how long the workers may take to import the project on a busy machine
START_SECONDS = 180


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def server_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Production settings (DEBUG off) as the operations guide runs them, on plain HTTP on
    loopback, with the benchmark's baseline view mounted."""
    env = dict(os.environ)
    env.update(
        {
            "DEBUG": "0",
            "PROACTIVE_TESTING": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "SECURE_HSTS_SECONDS": "0",
            "CONN_MAX_AGE": "60",
            "TRUSTED_PROXY_HOPS": "1",
            "BENCH_VIEWS": "1",
            "EMAIL_URL": "console://",
        }
    )
    env.update(extra or {})
    return env


@dataclass
class Server:
    """`gunicorn config.wsgi` with the given workers/threads; `url(path)` on its port."""

    workers: int = 4
    threads: int = 1
    env: dict[str, str] = field(default_factory=dict)
    port: int = 0
    process: subprocess.Popen[bytes] | None = None
    log: Path | None = None

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> None:
        self.port = self.port or free_port()
        self.log = Path(tempfile.mkstemp(prefix="bench-gunicorn-", suffix=".log")[1])
        command = [
            sys.executable, "-m", "gunicorn", "config.wsgi",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers),
            "--threads", str(self.threads),
            "--no-control-socket",
            "--timeout", "60",
        ]  # fmt: skip
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603
                command, cwd=ROOT, env=server_env(self.env), stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=2) as answer:  # noqa: S310
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"gunicorn did not answer /healthz within {START_SECONDS} s:\n{self.errors()}")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def errors(self) -> str:
        """What the server logged (tracebacks), for a failed measure."""
        return self.log.read_text(errors="replace")[-3000:] if self.log and self.log.exists() else ""


@contextmanager
def running(**kwargs: Any) -> Iterator[Server]:
    server = Server(**kwargs)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def wrk_path() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk is not installed (scripts/bench.sh installs it: apt-get install wrk)")
    return found


@dataclass
class Load:
    """What one wrk run measured (latencies in ms)."""

    requests: int
    seconds: float
    statuses: dict[int, int]
    socket_errors: int
    p50: float
    p95: float
    p99: float
    acks: list[str]

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)

    def check(self, name: str, server: Server | None = None) -> Load:
        """Every answer a 200 and every socket kept: a throughput of refusals measures
        nothing (a 403 from a lost CSRF cookie once passed for a fast form)."""
        if self.requests == 0 or set(self.statuses) != {200} or self.socket_errors:
            log = server.errors() if server is not None else ""
            raise RuntimeError(f"{name}: statuses {self.statuses}, socket errors {self.socket_errors}\n{log}")
        return self

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "seconds": round(self.seconds, 2),
            "throughput": round(self.throughput, 1),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "socket_errors": self.socket_errors,
            "p50_ms": round(self.p50, 1),
            "p95_ms": round(self.p95, 1),
            "p99_ms": round(self.p99, 1),
            "acknowledged": len(self.acks),
        }


def load(
    url: str,
    *,
    seconds: float,
    connections: int = 16,
    threads: int = 2,
    method: str = "GET",
    cookie: str = "",
    body: str = "",
    tokens: list[str] | None = None,
    ack: str = "",
    delay_ms: float = 0,
) -> Load:
    """Drive `url` with wrk for `seconds` (a closed loop of `connections`, each waiting
    `delay_ms` between requests) and return what it measured."""
    threads = max(1, min(threads, connections))
    with tempfile.TemporaryDirectory(prefix="bench-wrk-") as tmp:
        folder = Path(tmp)
        env = dict(os.environ)
        env.update(
            {
                "WRK_OUT": str(folder / "out.json"),
                "BENCH_ACKS": str(folder / "acks.txt"),
                "BENCH_METHOD": method,
                "BENCH_PATH": "/" + url.split("/", 3)[3] if url.count("/") >= 3 else "/",
                "BENCH_COOKIE": cookie,
                "BENCH_BODY": body,
                "BENCH_ACK": ack,
                "BENCH_DELAY_MS": str(int(delay_ms)),
                "BENCH_THREADS": str(threads),
                "BENCH_TOKENS": "",
            }
        )
        if tokens is not None:
            (folder / "tokens.txt").write_text("\n".join(tokens) + "\n")
            env["BENCH_TOKENS"] = str(folder / "tokens.txt")
        command = [
            wrk_path(), "--threads", str(threads), "--connections", str(connections),
            "--duration", f"{max(1, round(seconds))}s", "--timeout", "10s", "--latency",
            "--script", str(LOAD_SCRIPT), url,
        ]  # fmt: skip
        finished = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        out = folder / "out.json"
        if finished.returncode != 0 or not out.exists():
            raise RuntimeError(f"wrk failed ({finished.returncode}): {finished.stderr or finished.stdout}")
        data = json.loads(out.read_text())
        acks_file = folder / "acks.txt"
        acks = acks_file.read_text().split() if acks_file.exists() else []
    if int(data["requests"]) == 0:
        raise RuntimeError(f"wrk sent nothing to {url}: {finished.stderr or finished.stdout}")
    errors = data["errors"]
    latency = data["latency_us"]
    return Load(
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1_000_000,
        statuses={int(k): int(v) for k, v in data["statuses"].items()},
        socket_errors=sum(int(errors[k]) for k in ("connect", "read", "write", "timeout")),
        p50=latency["p50"] / 1000,
        p95=latency["p95"] / 1000,
        p99=latency["p99"] / 1000,
        acks=acks,
    )
