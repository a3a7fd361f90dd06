"""A PostgreSQL server of the suite's own: initdb in a scratch folder, on a free loopback port,
started, restarted and stopped by the suite (the shared server of the machine is never
touched, so restarting this one fails nobody else's tests)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.server import free_port


def postgres_bin() -> Path:
    """The server programs (Debian keeps them out of PATH, under /usr/lib/postgresql/N/bin)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if not versions:
        raise RuntimeError("PostgreSQL's server programs (pg_ctl, initdb) are not installed")
    return Path(versions[-1]).parent


@dataclass
class Cluster:
    """`url` is the DATABASE_URL of its database `proactive_trust`."""

    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="trust-pg-")))
    port: int = 0
    user: str = ""

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/proactive_trust"

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(postgres_bin() / args[0]), *args[1:]]
        if self.user:  # initdb and postgres refuse to run as root
            command = ["runuser", "-u", self.user, "--", *command]
        return subprocess.run(command, capture_output=True, text=True, check=check)  # noqa: S603

    def _ctl(self, *args: str) -> None:
        done = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-w", "-t", "60", *args, check=False
        )
        if done.returncode != 0:
            log = (self.root / "server.log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"pg_ctl {' '.join(args)} failed: {done.stderr}{done.stdout}\n{log}")

    def create(self) -> None:
        self.port = self.port or free_port()
        if os.geteuid() == 0:
            self.user = "postgres"
            pwd.getpwnam(self.user)  # KeyError: no postgres account to run the server as
            shutil.chown(self.root, self.user)
        self._run(
            "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
            "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"\nport = {self.port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.root}'\n"
                "fsync = on\nsynchronous_commit = on\nmax_connections = 100\nshared_buffers = 128MB\n"
            )
        self.start()
        import psycopg

        with psycopg.connect(self.url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
            connection.execute("CREATE DATABASE proactive_trust")

    def start(self) -> None:
        self._ctl("start")

    def restart(self) -> float:
        """A fast restart (open connections are cut, as when the server fails over); returns
        the seconds it took."""
        begun = time.monotonic()
        self._ctl("restart", "-m", "fast")
        return time.monotonic() - begun

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._ctl("stop", "-m", "fast")

    def destroy(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
