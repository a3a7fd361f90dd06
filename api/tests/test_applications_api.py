"""Public applications over the API: the handlers' queue and actions; 404 for other roles
and institutions; 400 {detail, field} for a refused rule; 403 for a read-only token
writing; 422 for malformed input."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from accounts.models import ApiToken
from applications.tests.factories import submit
from consultations.tests.factories import draft, under_review

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
    application, _ = submit(cast.district)
    read = headers_for("aa_officer")
    listed = Client().get("/api/applications", headers=read)
    assert listed.status_code == 200
    assert listed.json()["items"][0]["number"] == application.number
    assert listed.json()["items"][0]["due_on"] == "2026-07-03"
    assert Client().get("/api/applications", {"status": "answered"}, headers=read).json()["items"] == []
    detail = Client().get(f"/api/applications/{application.pk}", headers=read).json()
    assert detail["applicant_email"] == "applicant@example.com"
    assert detail["due_on"] == "2026-07-03"
    rw = headers_for("aa_officer", scope=RW)
    base = f"/api/applications/{application.pk}"
    assert send("POST", f"{base}/start", {}, rw).json()["status"] == "reviewing"
    wrong = send("POST", f"{base}/refer-consultation", {"consultation": draft(cast).pk}, rw)
    assert wrong.status_code == 400
    assert wrong.json()["field"] == "consultation"
    linked = send("POST", f"{base}/refer-consultation", {"consultation": under_review(cast).pk}, rw)
    assert linked.json()["status"] == "at_consultation"
    extended = send("POST", f"{base}/extend", {"working_days": 3, "reason": "의견 대기"}, rw)
    assert extended.json()["due_on"] == "2026-07-08"
    assert send("POST", f"{base}/extend", {"working_days": 0, "reason": "x"}, rw).status_code == 422
    assert send("POST", f"{base}/resume", {}, rw).json()["status"] == "reviewing"
    assert send("POST", f"{base}/refer-committee", {}, rw).json()["status"] == "at_committee"
    assert send("POST", f"{base}/resume", {}, rw).json()["status"] == "reviewing"
    bad = send("POST", f"{base}/answer", {"decision": "bogus", "answer": "x"}, rw)
    assert bad.status_code == 400
    assert bad.json()["field"] == "decision"
    answered = send("POST", f"{base}/answer", {"decision": "accepted", "answer": "수용합니다."}, rw)
    assert answered.status_code == 200
    assert answered.json()["status"] == "answered"
    assert answered.json()["answer"] == "수용합니다."
    assert send("POST", f"{base}/start", {}, rw).status_code in {400, 409}


@pytest.mark.parametrize("who", ["official", "admin", "head", "secretary", "aa_officer_b"])
def test_others_get_404(cast, headers_for: Headers, who: str) -> None:  # type: ignore[no-untyped-def]
    application, _ = submit(cast.district)
    headers = headers_for(who, scope=RW)
    assert Client().get(f"/api/applications/{application.pk}", headers=headers).status_code == 404
    assert send("POST", f"/api/applications/{application.pk}/start", {}, headers).status_code == 404
    listed = Client().get("/api/applications", headers=headers)
    assert listed.status_code == 404 or listed.json()["items"] == []


def test_read_only_token_cannot_write_and_bad_ids(cast, headers_for: Headers) -> None:  # type: ignore[no-untyped-def]
    application, _ = submit(cast.district)
    assert send("POST", f"/api/applications/{application.pk}/start", {}, headers_for("aa_officer")).status_code == 403
    read = headers_for("aa_officer")
    assert Client().get("/api/applications/" + "9" * 30, headers=read).status_code == 404
    assert Client().get("/api/applications/999999", headers=read).status_code == 404
    assert Client().get("/api/applications/-1", headers=read).status_code == 404
    assert Client().get("/api/applications", headers={}).status_code == 401


def test_nul_in_any_text_is_a_400_not_a_500(cast, headers_for: Headers) -> None:  # type: ignore[no-untyped-def]
    application, _ = submit(cast.district)
    rw = headers_for("aa_officer", scope=RW)
    base = f"/api/applications/{application.pk}"
    assert send("POST", f"{base}/start", {}, rw).status_code == 200
    for action, body, field in [
        ("answer", {"decision": "accepted", "answer": "a\u0000b"}, "answer"),
        ("extend", {"working_days": 3, "reason": "a\u0000b"}, "reason"),
    ]:
        response = send("POST", f"{base}/{action}", body, rw)
        assert response.status_code == 400, action
        assert response.json()["field"] == field
    listed = Client().get("/api/applications", {"q": "a\u0000b"}, headers=headers_for("aa_officer"))
    assert listed.status_code == 200


def test_api_refusals_are_translatable(cast, headers_for: Headers, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import api.applications as module

    monkeypatch.setattr(module, "_", lambda text: f"[t]{text}")
    application, _ = submit(cast.district)
    rw = headers_for("aa_officer", scope=RW)
    send("POST", f"/api/applications/{application.pk}/start", {}, rw)
    response = send("POST", f"/api/applications/{application.pk}/refer-consultation", {"consultation": 999999}, rw)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("[t]")
