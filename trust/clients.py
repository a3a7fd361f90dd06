"""Citizens as the server sees them: each client is a thread with its own cookies and address
that fetches a form, fills it and posts it, as a browser would.

Three flows: an anonymous report, a recommendation of an official, and a message from a
reporter who looks their report up by its receipt. Every text carries a marker of its own
(`TRUST-<run>-<client>-<n>`) so the checks afterwards can find each submission and count its
copies. A post that fails (a dropped connection, a 5xx while the database restarts) is sent
again as it was, with the same one-time form token, as a citizen pressing the button again
would: the token is what keeps a retry from making a second report or message.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')
TICKET = re.compile(r'name="ticket" value="([^"]+)"')
FIELD_ERROR = re.compile(r'form-hint-invalid">([^<]+)<')
RECEIPT = re.compile(r'data-testid="receipt-code">([^<]+)<')
#: how long a client keeps pressing "send" on one submission before giving it up
RETRY_SECONDS = 45.0

WHAT = "민원 서류를 현장 확인 없이 반려하고 다른 부서로 미뤘습니다. 담당자가 규정만 되풀이했습니다. "
DEED = "허가 규정이 모호한 민원을 사전컨설팅으로 풀어 한 달 걸리던 처리를 일주일로 줄였습니다. "


@dataclass
class Ack:
    """A submission the server acknowledged: its kind, marker and receipt code."""

    kind: str
    marker: str
    code: str = ""


@dataclass
class Tally:
    """What all the clients saw, merged under a lock."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    acks: list[Ack] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    bodies_5xx: Counter[str] = field(default_factory=Counter)
    connection_errors: int = 0
    retries: int = 0
    given_up: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    locked_shown: int = 0
    latencies: list[float] = field(default_factory=list)
    #: (time, ok) of every answer, to find when the service answered again after a fault
    timeline: list[tuple[float, bool]] = field(default_factory=list)

    def answer(self, status: int, body: str, seconds: float) -> None:
        with self.lock:
            self.statuses[status] += 1
            self.latencies.append(seconds)
            self.timeline.append((time.monotonic(), status < 500))
            if status >= 500:
                self.bodies_5xx[_title(body)] += 1
            if "database is locked" in body:
                self.locked_shown += 1

    def failed_connection(self) -> None:
        with self.lock:
            self.connection_errors += 1
            self.timeline.append((time.monotonic(), False))

    def acknowledged(self, ack: Ack) -> None:
        with self.lock:
            self.acks.append(ack)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def _title(body: str) -> str:
    match = re.search(r"<title>([^<]*)</title>", body)
    return (match.group(1) if match else body[:80]).strip()


class Refused(Exception):
    """The server answered the post with its form again (a validation error): a bug here."""


class Client(threading.Thread):
    def __init__(  # noqa: PLR0917 (a thread's constructor)
        self,
        number: int,
        base: str,
        run: str,
        institutions: list[int],
        tally: Tally,
        stop: threading.Event,
        *,
        mix: tuple[float, float] = (0.6, 0.25),
    ) -> None:
        super().__init__(name=f"client-{number}", daemon=True)
        self.number, self.base, self.run_id = number, base, run
        self.institutions, self.tally, self.stop = institutions, tally, stop
        self.mix = mix
        self.dice = random.Random(number)  # noqa: S311 (a spread of load, not a secret)
        self.sent = 0
        self.reports: list[str] = []  # receipt codes this client holds, for its messages
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))

    # --- HTTP ----------------------------------------------------------------------------

    def address(self) -> str:
        """One citizen per address and a new address every few posts: the per-client
        submission throttle sees many citizens behind the proxy, as in production."""
        block = self.sent // 10
        return f"10.{self.number % 250}.{block // 250 % 250}.{block % 250 + 1}"

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(  # noqa: S310 (loopback)
            self.base + path, data=body, headers={"X-Forwarded-For": self.address(), "Referer": self.base + path}
        )
        begun = time.monotonic()
        try:
            with self.opener.open(request, timeout=30) as answer:
                status, text = answer.status, answer.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            self.tally.failed_connection()
            raise
        self.tally.answer(status, text, time.monotonic() - begun)
        return status, text

    def until_answered(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str] | None:
        """GET or POST `path` until it is answered below 500, for up to RETRY_SECONDS."""
        deadline = time.monotonic() + RETRY_SECONDS
        while True:
            try:
                status, text = self.request(path, data)
            except (OSError, http.client.HTTPException):
                status, text = 0, ""
            if 0 < status < 500:
                return status, text
            if time.monotonic() > deadline:
                return None
            with self.tally.lock:
                self.tally.retries += 1
            time.sleep(0.5 + self.dice.random())

    # --- Flows ---------------------------------------------------------------------------

    def marker(self, kind: str) -> str:
        self.sent += 1
        return f"TRUST-{self.run_id}-{kind}-{self.number}-{self.sent}"

    def submit(self, kind: str, path: str, marker: str, fields: dict[str, str]) -> None:
        answered = self.until_answered(path)
        if answered is None:
            self.tally.given_up[kind] += 1
            return
        page = answered[1]
        csrf, token = CSRF.search(page), FORM_TOKEN.search(page)
        if csrf is None or token is None:
            raise Refused(f"{kind}: no form at {path} ({answered[0]})")
        data = {"csrfmiddlewaretoken": csrf.group(1), "form_token": token.group(1), **fields}
        answered = self.until_answered(path.split("?", maxsplit=1)[0], data)
        if answered is None:
            self.tally.given_up[kind] += 1
            return
        receipt = RECEIPT.search(answered[1])
        if answered[0] != 200 or receipt is None:
            errors = FIELD_ERROR.findall(answered[1])[:2]
            with self.tally.lock:
                self.tally.refused[f"{kind} {answered[0]}: {_title(answered[1])} {errors}"] += 1
            return
        code = receipt.group(1).strip()
        self.tally.acknowledged(Ack(kind, marker, code))
        if kind == "report":
            self.reports.append(code)

    def report(self) -> None:
        institution = self.dice.choice(self.institutions)
        marker = self.marker("report")
        self.submit(
            "report",
            f"/report/new/?institution={institution}",
            marker,
            {
                "institution": str(institution),
                "kind": "neglect",
                "what": f"{WHAT * 3}{marker}",
                "occurred": "2026년 11월 초",
                "place": "민원실",
                "anonymous": "1",
            },
        )

    def recommendation(self) -> None:
        institution = self.dice.choice(self.institutions)
        marker = self.marker("rec")
        self.submit(
            "recommendation",
            f"/recommend/new/?institution={institution}",
            marker,
            {
                "institution": str(institution),
                "nominee_kind": "person",
                "nominee_name": "김성실",
                "what": f"{DEED * 3}{marker}",
                "effect": "처리 기간이 4주에서 1주로 줄었습니다.",
                "recommender_name": "시민 추천인",
                "recommender_phone": "010-0000-0000",
            },
        )

    def look_up(self, code: str) -> str | None:
        """The status page of a receipt, as its holder finds it on /follow/ (from an address
        of its own: the look-up throttle counts per address)."""
        self.sent += 10
        answered = self.until_answered("/follow/")
        csrf = CSRF.search(answered[1]) if answered else None
        if csrf is None:
            return None
        answered = self.until_answered("/follow/", {"csrfmiddlewaretoken": csrf.group(1), "receipt": code})
        return answered[1] if answered is not None and answered[0] == 200 else None

    def message(self) -> None:
        """Look a report up by its receipt and send its office a message."""
        if not self.reports:
            return self.report()
        code = self.dice.choice(self.reports)
        page = self.look_up(code)
        ticket = TICKET.search(page) if page else None
        csrf = CSRF.search(page) if page else None
        if page is None or ticket is None or csrf is None:
            self.tally.given_up["message"] += 1
            return None
        token = FORM_TOKEN.search(page)
        if token is None:
            raise Refused("message: no form token on the status page")
        marker = self.marker("msg")
        data = {
            "csrfmiddlewaretoken": csrf.group(1),
            "ticket": ticket.group(1),
            "form_token": token.group(1),
            "body": f"추가로 알립니다. {marker}",
        }
        answered = self.until_answered("/report/follow/message/", data)
        if answered is None:
            self.tally.given_up["message"] += 1
        elif answered[0] == 200 and marker in answered[1]:
            self.tally.acknowledged(Ack("message", marker, code))
        else:
            with self.tally.lock:
                self.tally.refused[f"message {answered[0]}: {_title(answered[1])}"] += 1
        return None

    def run(self) -> None:
        while not self.stop.is_set():
            roll = self.dice.random()
            try:
                if roll < self.mix[0]:
                    self.report()
                elif roll < self.mix[0] + self.mix[1]:
                    self.recommendation()
                else:
                    self.message()
            except Refused as error:
                with self.tally.lock:
                    self.tally.refused[str(error)] += 1
                time.sleep(1)
