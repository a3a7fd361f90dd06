"""The measures of issue 8, each beside its baseline in the same run (ADR 0025).

In-process measures time what the view's code does (the selector through the ORM, the
page's bounded count and rows) against the very SQL it sent, replayed through a plain psycopg
connection; each pair is interleaved so that both see the same noise. The HTTP measures
drive the production server with wrk.
"""

from __future__ import annotations

import datetime
import re
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench import server as http
from bench.report import Row, p95, summary


@dataclass(frozen=True)
class Plan:
    """How hard to push: `smoke` runs every measure briefly, without targets."""

    smoke: bool
    repeat: int
    seconds: float
    connections: int = 16

    @classmethod
    def make(cls, smoke: bool) -> Plan:
        return cls(smoke=True, repeat=5, seconds=2) if smoke else cls(smoke=False, repeat=40, seconds=20)


def judged(plan: Plan, ok: bool) -> bool | None:
    return None if plan.smoke else ok


# --- Timing ---------------------------------------------------------------------------------


def raw_connection() -> Any:
    """A plain driver connection to the same database (the baseline's client): psycopg, or
    the sqlite3 module on SQLite."""
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        import sqlite3

        return sqlite3.connect(db["NAME"], timeout=20, isolation_level=None)
    import psycopg

    return psycopg.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or None,
        port=db.get("PORT") or None,
        autocommit=True,
    )


def driver() -> str:
    return "sqlite3" if connection.vendor == "sqlite" else "psycopg"


def captured_sql(fn: Callable[[], object]) -> list[str]:
    """The SQL statements `fn` sends, as the database received them (client-side binding:
    the parameters are already in the text)."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    return [query["sql"] for query in captured.captured_queries]


def replay(raw: Any, statements: list[str]) -> Callable[[], object]:
    def run() -> object:
        rows = []
        if connection.vendor == "sqlite":
            cursor = raw.cursor()
            for sql in statements:
                cursor.execute(sql)
                if cursor.description is not None:
                    rows.append(cursor.fetchall())
            cursor.close()
            return rows
        with raw.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql.encode())
                if cursor.description is not None:
                    rows.append(cursor.fetchall())
        return rows

    return run


def timed(fn: Callable[[], object]) -> float:
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


def interleaved(
    plan: Plan, measure: Callable[[], object], base: Callable[[], object]
) -> tuple[list[float], list[float]]:
    """Timings (ms) of each, alternating, after one warm-up of each: `repeat` pairs, or
    fewer (at least 5) once the pairs have taken BUDGET_SECONDS (a 3-second figure times
    40 would hold the run for minutes and say nothing more)."""
    measure()
    base()
    ours: list[float] = []
    theirs: list[float] = []
    started = time.monotonic()
    while len(ours) < plan.repeat and (len(ours) < 5 or time.monotonic() - started < BUDGET_SECONDS):
        ours.append(timed(measure))
        theirs.append(timed(base))
    return ours, theirs


#: the time one interleaved pair of measures may take before it stops at 5 samples
BUDGET_SECONDS = 20.0


def against_raw(
    plan: Plan, raw: Any, name: str, fn: Callable[[], object], *, limit_ms: float, extra: dict[str, Any] | None = None
) -> Row:
    """`fn` through Django against its own SQL replayed raw: p95 under `limit_ms` and at
    most twice the raw p95."""
    statements = captured_sql(fn)
    ours, theirs = interleaved(plan, fn, replay(raw, statements))
    value, base = p95(ours), p95(theirs)
    ratio = value / base if base else None
    unplanned = unprepared(plan, statements)
    return Row(
        measure=f"{name} (p95)",
        baseline=f"its {len(statements)} SQL statement(s) raw through {driver()}",
        value=value,
        base=base,
        unit="ms",
        ratio=ratio,
        target=f"< {limit_ms:.0f} ms and ≤ 2×",
        ok=judged(plan, value < limit_ms and ratio is not None and ratio <= 2),
        detail={
            "ours": summary(ours),
            "raw": summary(theirs),
            **({"raw_unprepared": summary(unplanned)} if unplanned else {}),
            "queries": len(statements),
            **(extra or {}),
        },
    )


def unprepared(plan: Plan, statements: list[str]) -> list[float]:
    """The replay's timings on a connection that never prepares (PostgreSQL): the baseline's
    connection is psycopg's default, which prepares a statement run five times and then skips
    its parsing and planning, while Django's client-side binding plans every statement. The
    figure beside the baseline says how much of a ratio that is."""
    if connection.vendor != "postgresql":
        return []
    plain = raw_connection()
    plain.prepare_threshold = None
    try:
        run = replay(plain, statements)
        run()
        return [timed(run) for _ in range(max(5, plan.repeat))]
    finally:
        plain.close()


# --- Report submission (HTTP) -------------------------------------------------------------

RECEIPT = 'data%-testid="receipt%-code">([^<]+)<'
ROW_ID = "^(%d+)$"


def csrf_pair(server: http.Server, path: str) -> tuple[str, str]:
    """The CSRF cookie and a form token from a real GET of the form (reused for every post,
    as one browser tab would)."""
    with urllib.request.urlopen(server.url(path), timeout=10) as answer:  # noqa: S310
        cookies = answer.headers.get_all("Set-Cookie") or []
        page = answer.read().decode()
    cookie = next(c.split(";")[0] for c in cookies if c.startswith(settings.CSRF_COOKIE_NAME + "="))
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if match is None:
        raise RuntimeError(f"no CSRF token on {path}")
    return cookie, match.group(1)


class Posters:
    """The two writers of the submission measure: the real report form and the bare view.
    The reports go to institutions in proportion to their staff, as a country's would."""

    def __init__(self, plan: Plan, server: http.Server) -> None:
        import random

        from reports.models import Report

        self.plan, self.server = plan, server
        targets = public_institutions()
        self.cookie, csrf = csrf_pair(server, f"/report/new/?institution={targets[0][0]}")
        what = "민원 서류를 현장 확인 없이 반려하고 다른 부서로 미뤘습니다. " * 8
        self.form_body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": csrf,
                "kind": Report.Kind.NEGLECT,
                "what": what,
                "occurred": "2026년 11월 초",
                "place": "민원실",
                "harm": "",
                "unit": "",
                "anonymous": "1",
                "reporter_name": "",
                "reporter_email": "",
                "reporter_phone": "",
            }
        )
        self.base_body = urllib.parse.urlencode({"csrfmiddlewaretoken": csrf, "body": what})
        self.dice = random.Random(8)  # noqa: S311 (a spread of load, not a secret)
        self.pks, self.weights = zip(*targets, strict=True)
        self.budget = int(plan.seconds * 1500) + 200  # more tokens than the form can take in the time

    def form(self, seconds: float, delay_ms: float = 0) -> http.Load:
        """Posts of the report form, each with its own one-time token and institution."""
        from reports import services

        lines = [
            urllib.parse.urlencode({"form_token": services.new_form_token(), "institution": pk})
            for pk in self.dice.choices(self.pks, self.weights, k=self.budget)
        ]
        return self._post("/report/new/", self.form_body, RECEIPT, seconds, delay_ms=delay_ms, lines=lines)

    def bare(self, seconds: float, delay_ms: float = 0) -> http.Load:
        return self._post("/bench/write/", self.base_body, ROW_ID, seconds, delay_ms=delay_ms)

    def floor(self, seconds: float) -> http.Load:
        """The form's floor (bench/views.py): its statements raw, its cache writes, its page."""
        return self._post("/bench/floor/", self.base_body, RECEIPT, seconds, delay_ms=0)

    def _post(
        self, path: str, body: str, ack: str, seconds: float, *, delay_ms: float, lines: list[str] | None = None
    ) -> http.Load:
        return http.load(
            self.server.url(path),
            seconds=seconds,
            connections=self.plan.connections,
            method="POST",
            cookie=self.cookie,
            body=body,
            tokens=lines,
            ack=ack,
            delay_ms=delay_ms,
        )

    def half(self, load: http.Load) -> float:
        """The pause per connection that holds the rate at half of `load`'s throughput."""
        return self.plan.connections * 1000 / max(load.throughput / 2, 1)

    def warm(self) -> None:
        """Every worker's first request loads templates, translations and holidays. On a
        loaded machine cold workers may answer nothing within the first few seconds (wrk
        then "sent nothing"): the warm-up tries once more, twice as long."""
        seconds = max(3.0, self.plan.seconds / 4)
        try:
            self.form(seconds)
            self.bare(seconds)
            self.floor(seconds)
        except RuntimeError:
            self.form(2 * seconds)
            self.bare(2 * seconds)
            self.floor(2 * seconds)


def present_reports(codes: list[str]) -> int:
    """How many of the acknowledged receipt codes have their report in the database."""
    from reports import receipts
    from reports.models import Report

    digests = [receipts.digest(receipts.normalise(code) or "") for code in codes]
    return sum(
        Report.objects.filter(receipt_hash__in=digests[start : start + 500]).count()
        for start in range(0, len(digests), 500)
    )


def present_rows(ids: list[str]) -> int:
    """How many of the bare view's acknowledged row ids are in its table."""
    from bench.views import TABLE

    found = 0
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = [int(i) for i in ids[start : start + 500]]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"SELECT count(*) FROM {TABLE} WHERE id IN ({marks})", chunk)  # noqa: S608
            found += int(cursor.fetchone()[0])
    return found


def submission(plan: Plan, server: http.Server) -> list[Row]:
    """The anonymous report form (the real POST, CSRF and one-time form token included)
    against a bare Django view writing one row: saturation throughput of both, then each
    at half of its saturation for p50/p99, then every acknowledgement looked up. Beside them
    the form's floor at saturation: the least any implementation of its rules costs
    (bench/views.py), so the ratio's distance to the target can be read as the rules' part
    and the code's part."""
    from django.core.cache import cache

    from bench.views import FORM_STATEMENTS

    # The per-client throttles count in the shared cache for an hour, and each wrk run
    # starts its addresses again from the first: a run soon after another would measure
    # refusals. The benchmark's Redis database is its own (as the dashboards' measure
    # clears it too); without Redis each new server process starts with empty counters.
    cache.clear()
    posters = Posters(plan, server)
    posters.warm()
    form_sat = posters.form(plan.seconds).check("report form at saturation", server)
    base_sat = posters.bare(plan.seconds).check("bare view at saturation", server)
    floor_sat = posters.floor(plan.seconds).check("the form's floor at saturation", server)
    form_half = posters.form(plan.seconds, posters.half(form_sat)).check("report form at half saturation", server)
    base_half = posters.bare(plan.seconds, posters.half(base_sat)).check("bare view at half saturation", server)

    acked = form_sat.acks + form_half.acks
    present = present_reports(acked)
    ids = base_sat.acks + base_half.acks
    base_present = present_rows(ids)
    errors_5xx = sum(load.server_errors for load in (form_sat, form_half, base_sat, base_half))
    detail = {
        "form_saturation": form_sat.as_dict(),
        "bare_saturation": base_sat.as_dict(),
        "floor_saturation": floor_sat.as_dict(),
        "form_half": form_half.as_dict(),
        "bare_half": base_half.as_dict(),
    }
    ratio = form_sat.throughput / base_sat.throughput if base_sat.throughput else None
    return [
        Row(
            measure="anonymous report submission: throughput at saturation",
            baseline="bare Django view writing one row",
            value=form_sat.throughput,
            base=base_sat.throughput,
            unit="req/s",
            ratio=ratio,
            target="≥ 0.5×",
            ok=judged(plan, ratio is not None and ratio >= 0.5),
            detail=detail,
        ),
        Row(
            measure=(
                "the form's floor at saturation: its statements raw in one transaction, its cache writes and "
                f"its receipt page (the form reaches {form_sat.throughput / floor_sat.throughput:.0%} of it)"
            ),
            baseline="bare Django view writing one row",
            value=floor_sat.throughput,
            base=base_sat.throughput,
            unit="req/s",
            ratio=floor_sat.throughput / base_sat.throughput if base_sat.throughput else None,
            target="— (a bound on the submission's ratio)",
            ok=None,
            detail={"floor_saturation": floor_sat.as_dict(), "statements": FORM_STATEMENTS},
        ),
        Row(
            measure=f"anonymous report submission: p99 at half saturation ({form_half.throughput:.0f} req/s)",
            baseline=f"bare view at half its saturation ({base_half.throughput:.0f} req/s)",
            value=form_half.p99,
            base=base_half.p99,
            unit="ms",
            ratio=form_half.p99 / base_half.p99 if base_half.p99 else None,
            target="p99 < 100 ms",
            ok=judged(plan, form_half.p99 < 100),
            detail={"form_p50_ms": form_half.p50, "bare_p50_ms": base_half.p50},
        ),
        Row(
            measure="acknowledged reports present afterwards",
            baseline="acknowledged rows of the bare view present",
            value=float(present),
            base=float(base_present),
            unit="rows",
            ratio=present / len(acked) if acked else None,
            target="all of them; no 5xx",
            ok=bool(acked) and present == len(acked) and base_present == len(ids) and errors_5xx == 0,
            detail={"acknowledged": len(acked), "present": present, "lost": len(acked) - present, "5xx": errors_5xx},
        ),
    ]


# --- Staff case list --------------------------------------------------------------------------


def staff_cookie(user: Any) -> str:
    """A signed-in session of `user` (as the login view would make it), for wrk."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[-1]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def http_p95(plan: Plan, server: http.Server, path: str, cookie: str = "") -> http.Load:
    """A page under a light load (2 connections): its p95 as a user would see it."""
    request = urllib.request.Request(server.url(path), headers={"Cookie": cookie})  # noqa: S310
    with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
        if answer.status != 200 or answer.url != server.url(path):
            raise RuntimeError(f"{path} answered {answer.status} at {answer.url}")
    load = http.load(server.url(path), seconds=plan.seconds, connections=2, threads=1, cookie=cookie)
    return load.check(path, server)


def case_list(plan: Plan, raw: Any, server: http.Server | None) -> list[Row]:
    """The audit unit's report queue of the institution with the most reports, filtered by
    kind (all states): the first page and a deep one (80% of the way), each as the view makes
    it (the keyset page: a bounded count and one seek, ADR 0029). The deep page is reached
    as a user reaches it: by the cursor of the "next" link on the page before it (made here
    from that page's last row, found once with an OFFSET that is not timed)."""
    from accounts.models import User
    from core.access import actor_for
    from institutions.scale_kit import username
    from reports.models import Report
    from reports.selectors import PAGE_SIZE, queue, queue_page, queue_paginator

    _, code, reports = busiest_reports_institution()
    user = User.objects.get(username=username(code, "audit"))
    actor = actor_for(user)
    kind = Report.Kind.NEGLECT
    listed = queue(actor, status="all", kind=kind).count()
    pages = max(1, -(-listed // PAGE_SIZE))
    deep = max(1, int(pages * 0.8))
    cursor = None
    if deep > 1:
        start = (deep - 1) * PAGE_SIZE + 1
        before = queue(actor, status="all", kind=kind)[start - 2]
        cursor = queue_paginator(actor, status="all", kind=kind).cursor_after(before, start=start)
    rows = []
    for label, number, at in (("first page", 1, None), ("deep page", deep, cursor)):

        def view(at: str | None = at) -> object:
            page = queue_page(actor, cursor=at, status="all", kind=kind)
            return list(page.object_list)

        rows.append(
            against_raw(
                plan,
                raw,
                f"staff case list, {label} ({number:,} of {pages:,}; {reports:,} reports in the institution)",
                view,
                limit_ms=50,
                extra={"listed": listed},
            )
        )
        if server is not None:
            query = urllib.parse.urlencode({"status": "all", "kind": kind, **({"cursor": at} if at else {})})
            load = http_p95(plan, server, f"/office/reports/?{query}", staff_cookie(user))
            rows.append(
                Row.absolute(
                    f"staff case list page over HTTP, {label} (p95)",
                    load.p95,
                    "ms",
                    "< 50 ms",
                    ok=judged(plan, load.p95 < 50 and load.server_errors == 0),
                    detail=load.as_dict(),
                )
            )
    return rows


# --- Korean search ----------------------------------------------------------------------------

#: a title word of one practice in sixteen (3 syllables), and a 2-syllable one
SEARCHES = (("3 syllables", "태양광"), ("2 syllables", "축제"))


def search(plan: Plan, raw: Any) -> list[Row]:
    """The library's search (the public list's count and first page, as the page reads them)
    against a LIKE scan of the same text with the planner kept off the search's indexes."""
    from library import search as library_search
    from library.models import BestPractice
    from library.portal_views import PER_PAGE
    from library.selectors import next_years_generation

    published = BestPractice.objects.filter(status=BestPractice.Status.PUBLISHED).count()
    rows = []
    for label, word in SEARCHES:

        def ours(word: str = word) -> object:
            page = library_search.paginator(word, None, PER_PAGE).get_page(1)
            return list(page.object_list), page.paginator.count

        def scan(word: str = word) -> object:
            with raw.cursor() as cursor:
                cursor.execute("SET enable_bitmapscan = off")
                cursor.execute(
                    "SELECT count(*) FROM library_bestpractice WHERE status = %s AND search_text LIKE %s",
                    [BestPractice.Status.PUBLISHED, f"%{word}%"],
                )
                cursor.execute(
                    "SELECT id, title FROM library_bestpractice WHERE status = %s AND search_text LIKE %s "
                    "ORDER BY published_at DESC LIMIT %s",
                    [BestPractice.Status.PUBLISHED, f"%{word}%", PER_PAGE],
                )
                rows = cursor.fetchall()
                cursor.execute("RESET enable_bitmapscan")
                return rows

        times, scans = interleaved(plan, ours, scan)
        # The window a search ranked is kept until a published case changes (ADR 0037): the
        # first search after a change chooses it again, with the library's first publication.
        first = []
        for _ in range(max(5, plan.repeat // 4)):
            next_years_generation()
            first.append(timed(ours))
        with raw.cursor() as cursor:  # how many cases the word is in
            cursor.execute(
                "SELECT count(*) FROM library_bestpractice WHERE status = %s AND search_text LIKE %s",
                [BestPractice.Status.PUBLISHED, f"%{word}%"],
            )
            matches = int(cursor.fetchone()[0])
        # and how many of them the search ranked: the recent months' (ADR 0037) or all
        found = library_search.find(word)
        ranked = found.results.count() if found.since else matches
        value, base = p95(times), p95(scans)
        speedup = base / value if value else None
        rows.append(
            Row(
                measure=(
                    f"Korean search over {published:,} published practices, {label} ('{word}') (p95); "
                    f"kept window, first search after a change {p95(first):,.1f} ms"
                ),
                baseline="LIKE '%…%' scan, no index",
                value=value,
                base=base,
                unit="ms",
                ratio=speedup,
                target="< 50 ms; scan ≥ 20× slower",
                ok=judged(plan, value < 50 and speedup is not None and speedup >= 20),
                detail={
                    "ours": summary(times),
                    "first_after_a_change": summary(first),
                    "scan": summary(scans),
                    "matches": matches,
                    "ranked": ranked,
                    "window_since": found.since.isoformat() if found.since else None,
                    "ratio_is": "scan / search",
                },
            )
        )
    return rows


# --- Dashboards -------------------------------------------------------------------------------


def dashboards(plan: Plan, raw: Any, year: int) -> list[Row]:
    """The institution dashboard for a year (this year and the one before, as the page shows
    them) of the largest institution, and the supervising body's comparison of every
    institution below the root, section by section (the page shows one at a time)."""
    from django.db.models import Count

    from institutions.models import Institution
    from oversight import indicators
    from oversight.period import Period

    period = Period.parse(str(year))
    largest = (
        Institution.objects.filter(code__startswith="SCALE-")
        .annotate(n=Count("people"))
        .order_by("-n", "pk")
        .values_list("pk", "n")
        .first()
    )
    root = (
        Institution.objects.filter(code__startswith="SCALE-", parent__isnull=True)
        .annotate(k=Count("children"))
        .order_by("-k", "pk")
        .first()
    )
    if largest is None or root is None:
        raise RuntimeError("no institutions: run seed_scale first")
    below = root.descendant_ids()

    def dashboard() -> object:
        return indicators.figures([largest[0]], period), indicators.figures([largest[0]], period.previous())

    # Training compliance is kept per institution and year (training/tallies.py, ADR 0030):
    # the pages read the tallies, which the task worker counts again after each change and
    # the daily task for every institution. Those counts are measured here, once each.
    tallies = tally_costs(largest[0], year)
    for years in (period, period.previous()):
        indicators.figures(below, years, section="training")
    rows = [
        kept_against_raw(
            plan, raw, f"institution dashboard, {year} ({largest[1]:,} people)", dashboard, limit_ms=200, extra=tallies
        )
    ]
    sections = []
    for section, _ in indicators.sections():

        def compare(key: str = section.key) -> object:
            return indicators.figures(below, period, section=key)

        sections.append(
            kept_against_raw(
                plan,
                raw,
                f"comparison of {len(below):,} institutions, {section.key}",
                compare,
                limit_ms=200,
                extra=tallies if section.key == "training" else None,
            )
        )
    worst = max(sections, key=lambda row: row.value or 0)
    worst.measure = f"{worst.measure} — the slowest of {len(sections)} sections"
    worst.detail["sections"] = {
        row.measure: {"p95": round(row.value or 0, 1), "raw_p95": round(row.base or 0, 1), "met": row.ok}
        for row in sections
    }
    worst.ok = judged(plan, all(row.ok for row in sections))
    rows.append(worst)
    return rows


def kept_against_raw(
    plan: Plan, raw: Any, name: str, fn: Callable[[], object], *, limit_ms: float, extra: dict[str, Any] | None = None
) -> Row:
    """The figures as the pages read them, kept between changes (ADR 0033), against the raw
    SQL that counts them: the cache is emptied first, so the statements replayed are the
    whole count, and the first (cold) reading is reported beside the p95."""
    from django.core.cache import cache

    cache.clear()
    started = time.perf_counter()
    fn()
    cold = (time.perf_counter() - started) * 1000
    cache.clear()
    row = against_raw(plan, raw, name, fn, limit_ms=limit_ms, extra={"cold_ms": round(cold, 1), **(extra or {})})
    row.measure = f"{row.measure}; kept figures, first reading {cold:,.0f} ms"
    return row


def tally_costs(institution_id: int, year: int) -> dict[str, Any]:
    """What keeping the compliance tallies costs: the task's count for the largest institution
    after a change, and the daily count of every institution (ms)."""
    from oversight.period import Period
    from training import tallies

    started = time.perf_counter()
    tallies.refresh([institution_id], Period(year))
    one = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    institutions = tallies.reconcile(today=datetime.date(year, 12, 31))
    every = (time.perf_counter() - started) * 1000
    return {
        "tally_refresh_largest_ms": round(one, 1),
        "tally_reconcile_ms": round(every, 1),
        "tally_institutions": institutions,
    }


def public_institutions() -> list[tuple[int, int]]:
    """(pk, people) of the scale institutions, the largest first: where reports go."""
    from django.db.models import Count

    from institutions.models import Institution

    rows = list(
        Institution.objects.filter(code__startswith="SCALE-", is_active=True)
        .annotate(n=Count("people"))
        .order_by("-n", "pk")
        .values_list("pk", "n")
    )
    if not rows:
        raise RuntimeError("no institutions: run seed_scale first")
    return [(int(pk), max(1, int(n))) for pk, n in rows]


def data_size() -> str:
    """What the measures ran on: rows of the main tables and the database's size."""
    from institutions.models import Institution, Person
    from institutions.scale import database_size
    from library.models import BestPractice
    from reports.models import Report

    return (
        f"{Institution.objects.count():,} institutions, {Person.objects.count():,} people, "
        f"{Report.objects.count():,} reports, {BestPractice.objects.count():,} practices, "
        f"{database_size() / 1_000_000:,.0f} MB"
    )


# --- Growth -----------------------------------------------------------------------------------

#: the base the growth steps stand on: a country's institutions, fewer people (they only
#: author and handle the cases); reports and practices grow from step to step
GROWTH_BASE = {"institutions": 1000, "people": 120_000, "register": 0}


def grow_to(cases: int) -> float:
    """seed_scale to `cases` reports (and cases/2 practices, a fifth published) on the growth
    database; returns the seconds it took (nothing when already there)."""
    from django.core.management import call_command

    started = time.monotonic()
    call_command("seed_scale", **GROWTH_BASE, cases=cases, only="reports,library", verbosity=0)
    return time.monotonic() - started


def growth(plan: Plan, raw: Any, steps: list[int]) -> list[Row]:
    """The staff case list's first page and its deep page (80% of the way, by the cursor of
    the page before it, see `case_list`) and the two searches at each size, against the
    first size's figures: the code must stay flat as the tables grow (≤ 1.5×)."""
    from library.models import BestPractice
    from reports.models import Report

    figures: list[dict[str, Any]] = []
    for cases in steps:
        seeded = grow_to(cases)
        lists = case_list(plan, raw, None)
        searches = search(plan, raw)
        figures.append(
            {
                "cases": cases,
                "reports": Report.objects.count(),
                "practices": BestPractice.objects.count(),
                "seed_seconds": round(seeded, 1),
                "case list, first page": lists[0].value,
                "case list, deep page": lists[1].value,
                "search, 3 syllables": searches[0].value,
                "search, 2 syllables": searches[1].value,
                # the database's own share at this size: the raw replays, and the matches ranked
                "raw": {
                    "case list, first page": lists[0].base,
                    "case list, deep page": lists[1].base,
                    "search, 3 syllables": searches[0].base,
                    "search, 2 syllables": searches[1].base,
                },
                "search first after a change": {
                    "3 syllables": searches[0].detail["first_after_a_change"]["p95"],
                    "2 syllables": searches[1].detail["first_after_a_change"]["p95"],
                },
                "matches": {row.measure: row.detail.get("matches") for row in searches},
                "ranked": {row.measure: row.detail.get("ranked") for row in searches},
            }
        )
    rows = []
    first, last = figures[0], figures[-1]
    for name in ("case list, first page", "case list, deep page", "search, 3 syllables", "search, 2 syllables"):
        ratio = last[name] / first[name] if first[name] else None
        rows.append(
            Row(
                measure=f"growth: {name} at {last['reports']:,} reports / {last['practices']:,} practices (p95)",
                baseline=f"the same at {first['reports']:,} / {first['practices']:,}",
                value=last[name],
                base=first[name],
                unit="ms",
                ratio=ratio,
                target="≤ 1.5×",
                ok=judged(plan, ratio is not None and ratio <= 1.5),
                detail={"steps": figures},
            )
        )
    return rows


# --- SQLite, the embedded default ---------------------------------------------------------------


def sqlite(plan: Plan, raw: Any, server: http.Server) -> list[Row]:
    """On SQLite (one gunicorn process with threads, as the operations guide runs it): the
    report submission against the bare view, the case list against its raw SQL, and the
    case list over HTTP while citizens keep submitting at half of the form's saturation
    (the concurrent writers): no 'database is locked' may reach anyone."""
    import threading

    rows = submission(plan, server)
    rows += case_list(plan, raw, None)
    posters = Posters(plan, server)
    saturation = posters.form(plan.seconds).check("SQLite: report form at saturation", server)
    writes: list[http.Load] = []
    writer = threading.Thread(
        target=lambda: writes.append(posters.form(plan.seconds + 2, posters.half(saturation))), daemon=True
    )
    writer.start()
    time.sleep(1)
    from accounts.models import User
    from institutions.scale_kit import username
    from reports.models import Report

    top = busiest_reports_institution()
    user = User.objects.get(username=username(top[1], "audit"))
    page = http_p95(plan, server, f"/office/reports/?status=all&kind={Report.Kind.NEGLECT}", staff_cookie(user))
    writer.join()
    written = writes[0] if writes else None
    locked = "database is locked" in server.errors()
    clean = written is not None and written.server_errors == 0 and not locked
    rate = written.throughput if written else 0.0
    rows.append(
        Row.absolute(
            f"case list page over HTTP while citizens submit ({rate:.0f} reports/s) (p95)",
            page.p95,
            "ms",
            "< 50 ms; no error reaches a user",
            ok=judged(plan, page.p95 < 50) if clean else False,
            detail={"page": page.as_dict(), "writers": written.as_dict() if written else None, "locked": locked},
        )
    )
    for row in rows:
        row.measure = f"SQLite: {row.measure}"
    return rows


def busiest_reports_institution() -> tuple[int, str, int]:
    """(pk, code, reports) of the scale institution with the most reports."""
    from django.db.models import Count

    from reports.models import Report

    top = (
        Report.objects.filter(institution__code__startswith="SCALE-")
        .values_list("institution_id", "institution__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    if top is None:
        raise RuntimeError("no reports: run seed_scale first")
    return int(top[0]), str(top[1]), int(top[2])
