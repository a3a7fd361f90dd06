"""The two phases of `python -m trust`, each in its own process (see trust/__main__.py)."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.server import ROOT, Server, running
from trust.clients import RETRY_SECONDS, Ack, Client, Tally

#: an e-mail due is checked against the worker's log by its Message-ID (core/notifications.py)
MESSAGE_ID = re.compile(r"^Message-ID: <notification-(\d+)@", re.MULTILINE | re.IGNORECASE)
#: the bound this suite states for "answering again" after a fault
RECOVERY_LIMIT_SECONDS = 15.0
#: pending e-mails older than this are swept up by the periodic task (production: 10 minutes)
STALE_SECONDS = 3


def say(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


@dataclass
class Check:
    name: str
    value: Any
    target: str
    ok: bool

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "value": self.value, "target": self.target, "ok": self.ok}


@dataclass
class Phase:
    name: str
    checks: list[Check] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)

    def check(self, name: str, value: Any, target: str, ok: bool) -> None:
        self.checks.append(Check(name, value, target, bool(ok)))
        say(f"   {'ok ' if ok else 'FAIL'} {name}: {value} (target {target})")

    def as_dict(self) -> dict[str, Any]:
        return {
            "phase": self.name,
            "ok": all(c.ok for c in self.checks) and bool(self.checks),
            "checks": [c.as_dict() for c in self.checks],
            "figures": self.figures,
        }


def run(args: argparse.Namespace) -> int:
    os.environ["PROACTIVE_TESTING"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["NOTIFICATION_STALE_AFTER_SECONDS"] = str(STALE_SECONDS)
    phase = Phase(args.phase)
    try:
        if args.phase == "postgres":
            postgres(args, phase)
        elif args.phase == "sqlite":
            sqlite(args, phase)
        else:
            raise SystemExit(f"unknown phase {args.phase}")
    finally:
        data = phase.as_dict()
        Path(args.result).write_text(json.dumps(data, indent=2, ensure_ascii=False))
    return 0 if data["ok"] else 1


# --- Setting up -------------------------------------------------------------------------


def redis_url() -> str:
    """A Redis database of the suite's own for the shared cache (form receipts, throttles),
    when Redis answers; otherwise each app worker keeps its own cache."""
    import redis

    url = os.environ.get("TRUST_REDIS_URL", "redis://127.0.0.1:6379/11")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).flushdb()
    except redis.RedisError:
        return ""
    return url


def prepare(database_url: str) -> dict[str, str]:
    """Django on `database_url`, migrated, the demo district loaded, static files collected;
    returns the environment of the server and the worker."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["EMAIL_URL"] = "dummy://"  # the demo seed's e-mails (the worker's go to its log)
    env = {
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "60",
        "NOTIFICATION_STALE_AFTER_SECONDS": str(STALE_SECONDS),
        "EMAIL_URL": "console://",
    }
    cache = redis_url()
    if cache:
        os.environ["REDIS_URL"] = env["REDIS_URL"] = cache
    import django

    django.setup()
    from django.core.management import call_command

    begun = time.monotonic()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    say(f"   prepared in {time.monotonic() - begun:.0f} s")
    return env


def institutions() -> list[int]:
    from institutions.models import Institution

    return list(Institution.objects.filter(is_active=True).order_by("pk").values_list("pk", flat=True))


# --- Driving the load --------------------------------------------------------------------


def recovery(timeline: list[tuple[float, bool]], since: float) -> float | None:
    """Seconds from `since` (a fault) to the first good answer after the last bad one (a
    503, a dropped connection) that the citizens got: how long the service was out for
    them, queueing included. 0 when nobody saw a failure; None when it never came back."""
    after = sorted((t, ok) for t, ok in timeline if t >= since)
    bad = [t for t, ok in after if not ok]
    if not bad:
        return 0.0
    good = [t for t, ok in after if ok and t > bad[-1]]
    return round(good[0] - since, 2) if good else None


def drive(
    server: Server, args: argparse.Namespace, run: str, places: list[int], faults: Any = None
) -> tuple[Tally, dict[str, Any]]:
    tally, stop = Tally(), threading.Event()
    clients = [Client(n, server.url(""), run, places, tally, stop) for n in range(args.clients)]
    begun = time.monotonic()
    for client in clients:
        client.start()
    events: dict[str, Any] = faults(begun) if faults else {}
    remaining = args.seconds - (time.monotonic() - begun)
    if remaining > 0:
        time.sleep(remaining)
    stop.set()
    for client in clients:
        client.join(timeout=RETRY_SECONDS + 60)
    events["seconds"] = round(time.monotonic() - begun, 1)
    events["stuck_clients"] = sum(client.is_alive() for client in clients)
    return tally, events


def load_figures(tally: Tally, events: dict[str, Any]) -> dict[str, Any]:
    latencies = sorted(tally.latencies)

    def pct(q: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000, 1) if latencies else 0.0

    kinds = Counter(ack.kind for ack in tally.acks)
    return {
        **events,
        "requests": sum(tally.statuses.values()),
        "statuses": {str(k): v for k, v in sorted(tally.statuses.items())},
        "answers_5xx": dict(tally.bodies_5xx),
        "connection_errors": tally.connection_errors,
        "retries": tally.retries,
        "acknowledged": dict(kinds),
        "given_up": dict(tally.given_up),
        "refused": dict(tally.refused),
        "p50_ms": pct(0.5),
        "p99_ms": pct(0.99),
    }


# --- What must hold afterwards ------------------------------------------------------------


def copies(run: str) -> tuple[Counter[str], Counter[str], Counter[str]]:
    """How many rows carry each marker of the run: reports, recommendations, messages."""
    from recommendations.models import Recommendation
    from reports.models import Report, ReportMessage

    pattern = re.compile(rf"TRUST-{run}-[a-z]+-\d+-\d+")

    def count(texts: Any) -> Counter[str]:
        found: Counter[str] = Counter()
        for text in texts:
            found.update(set(pattern.findall(text)))
        return found

    marker = f"TRUST-{run}-"
    return (
        count(Report.objects.filter(what__contains=marker).values_list("what", flat=True).iterator()),
        count(Recommendation.objects.filter(what__contains=marker).values_list("what", flat=True).iterator()),
        count(ReportMessage.objects.filter(body__contains=marker).values_list("body", flat=True).iterator()),
    )


def lost(acks: list[Ack]) -> list[str]:
    """The acknowledged submissions not in the database as acknowledged (marker and receipt)."""
    from recommendations.models import Recommendation
    from reports import receipts
    from reports.models import Report, ReportMessage

    missing = []
    for ack in acks:
        if ack.kind == "message":
            found = ReportMessage.objects.filter(
                body__contains=ack.marker, report__receipt_hash=receipts.digest(receipts.normalise(ack.code) or "")
            ).exists()
        else:
            model: Any = Report if ack.kind == "report" else Recommendation
            digest = receipts.digest(receipts.normalise(ack.code) or "")
            found = model.objects.filter(receipt_hash=digest, what__contains=ack.marker).exists()
        if not found:
            missing.append(f"{ack.kind} {ack.marker} {ack.code}")
    return missing


def read_back(server: Server, acks: list[Ack], limit: int) -> tuple[int, list[str]]:
    """Look acknowledged receipts up through the portal, as their holders would: the page
    must show the record's number (a message: its text). Returns (looked up, failures)."""
    from recommendations.models import Recommendation
    from reports import receipts
    from reports.models import Report

    reader = Client(10_000, server.url(""), "read", [], Tally(), threading.Event())
    by_kind: dict[str, list[Ack]] = {}
    for ack in acks:
        by_kind.setdefault(ack.kind, []).append(ack)
    chosen = [ack for group in by_kind.values() for ack in group[: max(1, limit // len(by_kind))]]
    failures = []
    for ack in chosen:
        if ack.kind == "message":
            expected = ack.marker
        else:
            model: Any = Report if ack.kind == "report" else Recommendation
            record = model.objects.filter(receipt_hash=receipts.digest(receipts.normalise(ack.code) or "")).first()
            expected = str(record.number) if record is not None else ack.marker
        page = reader.look_up(ack.code)
        if page is None or expected not in page:
            failures.append(f"{ack.kind} {ack.code}")
    return len(chosen), failures


def settle(worker: Any, phase: Phase, since: Any, faults: tuple[Any, Any] | None = None) -> None:
    """Wait for the queue to drain, run the periodic sweep of stale e-mails (as the scheduler
    would), and check every notification made since `since` e-mailed once. A copy handed to
    the mail server twice is allowed only for notifications made during `faults` (a database
    restart can cut the commit that marks an e-mail sent after the mail server took it; the
    second copy carries the first one's Message-ID, and mail systems keep one). "During" is
    while the e-mail was due: made before the faults ended and sent (at last) after they
    began — a notification made in the clean load and still queued when the database
    restarts is cut like one made in the outage."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from core.models import Notification
    from core.tasks import send_stale_notification_emails

    def drained(timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists():
                return True
            time.sleep(0.5)
        return False

    from django.db import connection

    connection.close()
    made = Notification.objects.filter(created_at__gte=since)
    sweeps = 0
    drained(120)
    while made.filter(email_status=Notification.Email.PENDING).exists() and sweeps < 3:
        time.sleep(STALE_SECONDS + 1)
        result = send_stale_notification_emails.enqueue()
        sweeps += 1
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            result.refresh()
            if result.is_finished:
                break
            time.sleep(0.5)
    statuses = Counter(made.values_list("email_status", flat=True))
    sent_ids = set(made.filter(email_status=Notification.Email.SENT).values_list("pk", flat=True))
    mailed = Counter(int(pk) for pk in MESSAGE_ID.findall(worker.log.read_text(errors="replace")))
    mailed_here = {pk: n for pk, n in mailed.items() if pk in sent_ids}
    again = sorted(pk for pk, n in mailed_here.items() if n > 1)
    outside = (
        list(
            made.filter(pk__in=again)
            .exclude(created_at__lte=faults[1], emailed_at__gte=faults[0])
            .values_list("pk", flat=True)
        )
        if faults
        else again
    )
    phase.figures["notifications"] = {
        "made": sum(statuses.values()),
        "statuses": dict(statuses),
        "sweeps_run": sweeps,
        "worker_restarts": worker.restarts,
        "sent_again_same_message_id": len(again),
    }
    undelivered = statuses["pending"] + statuses["failed"]
    phase.check("e-mails due still pending or failed", undelivered, "0", undelivered == 0)
    phase.check(
        "e-mails due, delivered once (one Message-ID each)",
        f"{sum(1 for pk in sent_ids if mailed_here.get(pk))} of {len(sent_ids)}",
        "all",
        bool(sent_ids) and all(mailed_here.get(pk) for pk in sent_ids),
    )
    phase.check(
        "e-mails handed over twice (same Message-ID), outside a fault that cut the send's commit",
        f"{len(outside)} (within faults: {len(again) - len(outside)})",
        "0",
        not outside,
    )


def integrity(phase: Phase, label: str, tally: Tally, server: Server, *, sample: int) -> None:
    from django.db import connection

    connection.close()  # this process's own connection did not live through the restart
    reports, recs, messages = copies(label[0].upper())
    missing = lost(tally.acks)
    dupes = [m for counter in (reports, recs, messages) for m, n in counter.items() if n > 1]
    phase.check(f"{label}: acknowledged submissions", len(tally.acks), "> 0", len(tally.acks) > 0)
    phase.check(f"{label}: acknowledged but lost", len(missing), "0", not missing)
    phase.check(f"{label}: duplicates", len(dupes), "0", not dupes)
    looked, unreadable = read_back(server, tally.acks, sample)
    phase.check(f"{label}: read back through the receipt lookup", f"{looked - len(unreadable)} of {looked}",
                "all", looked > 0 and not unreadable)  # fmt: skip
    phase.check(f"{label}: refused forms", sum(tally.refused.values()), "0", not tally.refused)
    phase.figures.setdefault(label, {}).update(
        {"lost": missing[:20], "duplicates": dupes[:20], "unreadable": unreadable[:20],
         "stored": {"reports": len(reports), "recommendations": len(recs), "messages": len(messages)}}
    )  # fmt: skip


def injector(server: Server, cluster: Any, worker: Any, seconds: float) -> Any:
    """The faults of the second load, at fixed points of it: kill -9 one app worker, restart
    PostgreSQL, stop the task worker and start it again."""
    from trust.processes import app_workers, kill_one_app_worker

    def inject(begun: float) -> dict[str, Any]:
        at = {"kill": 0.15, "pg": 0.35, "worker_stop": 0.55, "worker_start": 0.75}
        happened: dict[str, Any] = {}

        def wait(fraction: float) -> None:
            time.sleep(max(0.0, begun + fraction * seconds - time.monotonic()))

        wait(at["kill"])
        t = time.monotonic()
        victim = kill_one_app_worker(server)
        while (victim in app_workers(server) or len(app_workers(server)) < 4) and time.monotonic() - t < 60:
            time.sleep(0.1)
        happened["app_worker_back_s"] = round(time.monotonic() - t, 2)
        wait(at["pg"])
        t = time.monotonic()
        happened["pg_restart_s"] = round(cluster.restart(), 2)
        happened["pg_restart_at"] = t
        wait(at["worker_stop"])
        worker.stop()
        wait(at["worker_start"])
        worker.start()
        return happened

    return inject


# --- The phases ---------------------------------------------------------------------------


def postgres(args: argparse.Namespace, phase: Phase) -> None:
    from trust.cluster import Cluster
    from trust.processes import Worker

    cluster = Cluster()
    try:
        cluster.create()
        env = prepare(cluster.url)
        from django.utils import timezone

        since = timezone.now()
        places = institutions()
        worker = Worker(env, Path(cluster.root) / "worker.log")
        worker.start()
        with running(workers=4, env=env) as server:
            # 1. The clean load: nothing may fail.
            tally, events = drive(server, args, "L", places)
            phase.figures["load"] = load_figures(tally, events)
            phase.check("load: clients × seconds", f"{args.clients} × {events['seconds']}",
                        f"{args.clients} × {args.seconds:.0f}", events["stuck_clients"] == 0)  # fmt: skip
            phase.check("load: 5xx answers", tally.server_errors, "0", tally.server_errors == 0)
            phase.check("load: dropped connections", tally.connection_errors, "0", tally.connection_errors == 0)
            integrity(phase, "load", tally, server, sample=40 if args.smoke else 200)

            # 2. The same load through faults.
            inject = injector(server, cluster, worker, args.seconds)
            window_start = timezone.now()
            tally, events = drive(server, args, "F", places, faults=inject)
            window = (window_start, timezone.now())
            restart_at = events.pop("pg_restart_at")
            events["recovered_s"] = recovery(tally.timeline, restart_at)
            phase.figures["faults"] = load_figures(tally, events)
            answered_500 = tally.statuses.get(500, 0)
            phase.check("faults: answers 500 (a 503 with a retry message is allowed during the outage)",
                        answered_500, "0", answered_500 == 0)  # fmt: skip
            phase.check("faults: app worker replaced after kill -9 (s)", events["app_worker_back_s"], "< 15",
                        events["app_worker_back_s"] < 15)  # fmt: skip
            recovered = events["recovered_s"]
            back = recovered is not None and recovered < RECOVERY_LIMIT_SECONDS
            phase.check("faults: answering again after the PostgreSQL restart (s)", recovered,
                        f"< {RECOVERY_LIMIT_SECONDS:.0f}", back)  # fmt: skip
            integrity(phase, "faults", tally, server, sample=40 if args.smoke else 200)
        settle(worker, phase, since, faults=window)
        worker.stop()
    finally:
        cluster.destroy()


def sqlite(args: argparse.Namespace, phase: Phase) -> None:
    from trust.processes import Worker

    folder = ROOT / "var" / "trust"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "trust.sqlite3"
    for leftover in folder.glob("trust.sqlite3*"):
        leftover.unlink()
    env = prepare(f"sqlite:///{path}")
    from django.utils import timezone

    since = timezone.now()
    places = institutions()
    worker = Worker(env, folder / "sqlite-worker.log")
    worker.log.unlink(missing_ok=True)
    worker.start()
    clients = max(10, args.clients // 4)
    sub = argparse.Namespace(**{**vars(args), "clients": clients})
    with running(workers=4, threads=2, env=env) as server:
        tally, events = drive(server, sub, "S", places)
        phase.figures["load"] = load_figures(tally, events)
        phase.figures["server"] = "gunicorn, 4 workers × 2 threads, and the task worker: 5 writing processes"
        phase.check("sqlite: clients × seconds", f"{clients} × {events['seconds']}", f"{clients} × {args.seconds:.0f}",
                    events["stuck_clients"] == 0)  # fmt: skip
        phase.check("sqlite: 'database is locked' shown to a citizen", tally.locked_shown, "0", tally.locked_shown == 0)
        answered_500 = tally.statuses.get(500, 0)
        phase.check("sqlite: answers 500", answered_500, "0", answered_500 == 0)
        integrity(phase, "sqlite", tally, server, sample=40)
    settle(worker, phase, since)
    worker.stop()
