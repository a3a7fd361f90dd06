"""Reports over the API: the audit unit's queue and actions; 404 for other roles and
institutions; 400 {detail, field} for a refused rule; 403 for a read-only token writing."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from accounts.models import ApiToken
from reports.tests.factories import submit

pytestmark = pytest.mark.django_db
Headers = Callable[..., dict[str, str]]
RW = ApiToken.Scope.READ_WRITE


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC), tick=False):
        yield


def send(method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    return Client().generic(method, url, data=json.dumps(body), content_type="application/json", headers=headers)


def test_queue_detail_and_full_flow(cast, headers_for: Headers) -> None:  # type: ignore[no-untyped-def]
    report, _ = submit(cast.district)
    read = headers_for("aa_officer")
    listed = Client().get("/api/reports", headers=read)
    assert listed.status_code == 200
    assert listed.json()["items"][0]["number"] == report.number
    assert listed.json()["items"][0]["due_on"] == "2026-07-03"
    assert Client().get(f"/api/reports/{report.pk}", headers=read).json()["anonymous"] is True
    rw = headers_for("aa_officer", scope=RW)
    base = f"/api/reports/{report.pk}"
    assert send("POST", f"{base}/investigate", {}, rw).json()["status"] == "investigating"
    assert send("POST", f"{base}/notes", {"body": "메모"}, rw).status_code == 201
    assert send("POST", f"{base}/messages", {"body": "안내"}, rw).status_code == 201
    assert send("POST", f"{base}/extend", {"working_days": 3, "reason": "조사"}, rw).status_code == 200
    refused = send("POST", f"{base}/close", {"outcome": "disciplinary", "result_text": "x"}, rw)
    assert refused.status_code == 400
    assert refused.json()["field"] == "officials"
    bad = send("POST", f"{base}/extend", {"working_days": 0, "reason": "x"}, rw)
    assert bad.status_code == 422
    closed = send(
        "POST",
        f"{base}/close",
        {"outcome": "warning", "result_text": "경고", "officials": [cast.official.person.pk]},
        rw,
    )
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    wrong_state = send("POST", f"{base}/investigate", {}, rw)
    assert wrong_state.status_code in {400, 409}


def test_transfer_and_not_passive(cast, headers_for: Headers) -> None:  # type: ignore[no-untyped-def]
    first, _ = submit(cast.district)
    second, _ = submit(cast.district)
    rw = headers_for("audit_staff", scope=RW)
    assert (
        send("POST", f"/api/reports/{first.pk}/not-passive", {"reason": "정당"}, rw).json()["status"] == "not_passive"
    )
    missing = send("POST", f"/api/reports/{second.pk}/transfer", {"to_institution": 99999, "reason": "x"}, rw)
    assert missing.status_code == 400
    assert missing.json()["field"] == "to_institution"
    moved = send("POST", f"/api/reports/{second.pk}/transfer", {"to_institution": cast.other.pk, "reason": "소관"}, rw)
    assert moved.status_code == 200
    assert Client().get(f"/api/reports/{second.pk}", headers=rw).status_code == 404
    assert Client().get(f"/api/reports/{second.pk}", headers=headers_for("aa_officer_b")).status_code == 200


@pytest.mark.parametrize("who", ["official", "admin", "head", "aa_officer_b"])
def test_others_get_404(cast, headers_for: Headers, who: str) -> None:  # type: ignore[no-untyped-def]
    report, _ = submit(cast.district)
    headers = headers_for(who, scope=RW)
    assert Client().get(f"/api/reports/{report.pk}", headers=headers).status_code == 404
    assert send("POST", f"/api/reports/{report.pk}/investigate", {}, headers).status_code == 404
    listed = Client().get("/api/reports", headers=headers)
    assert listed.status_code == 404 or listed.json()["items"] == []


def test_read_only_token_cannot_write(cast, headers_for: Headers) -> None:  # type: ignore[no-untyped-def]
    report, _ = submit(cast.district)
    assert send("POST", f"/api/reports/{report.pk}/investigate", {}, headers_for("aa_officer")).status_code == 403
