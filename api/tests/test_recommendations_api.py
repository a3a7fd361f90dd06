"""Recommendations over the API: the verifiers' queue (with the verified list) and actions;
404 for other roles and institutions; 400 {detail, field} for a refused rule; 403 for a
read-only token writing."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client

from accounts.models import ApiToken
from recommendations.tests.factories import submit

pytestmark = pytest.mark.django_db
Headers = Callable[..., dict[str, str]]
RW = ApiToken.Scope.READ_WRITE


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    cache.clear()
    with time_machine.travel(datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC), tick=False):
        yield
    cache.clear()


def send(method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    return Client().generic(method, url, data=json.dumps(body), content_type="application/json", headers=headers)


def test_queue_detail_and_full_flow(cast, headers_for: Headers) -> None:  # type: ignore[no-untyped-def]
    rec, _ = submit(cast.district)
    read = headers_for("aa_officer")
    listed = Client().get("/api/recommendations", headers=read)
    assert listed.status_code == 200
    assert listed.json()["items"][0]["number"] == rec.number
    detail = Client().get(f"/api/recommendations/{rec.pk}", headers=read).json()
    assert detail["recommender_name"] == "김추천"
    assert detail["unit_id"] == cast.building.pk
    rw = headers_for("aa_officer", scope=RW)
    base = f"/api/recommendations/{rec.pk}"
    assert send("POST", f"{base}/start", {}, rw).json()["status"] == "verifying"
    asked = send("POST", f"{base}/ask", {"question": "자료가 있나요?"}, rw)
    assert asked.status_code == 201
    assert asked.json()["status"] == "awaiting_reply"
    refused = send("POST", f"{base}/verify", {"reason": "확인"}, rw)
    assert refused.status_code == 400  # awaiting the recommender's answer
    from recommendations import services

    services.answer(rec=rec, body="있습니다.")
    no_person = send("POST", f"{base}/verify", {"reason": "확인"}, rw)
    assert no_person.status_code == 400
    assert no_person.json()["field"] == "person"
    foreign = send("POST", f"{base}/verify", {"reason": "확인", "person": cast.official_b.person.pk}, rw)
    assert foreign.status_code == 400
    assert foreign.json()["field"] == "person"
    bad = send("POST", f"{base}/verify", {"reason": "확인", "person": "abc"}, rw)
    assert bad.status_code == 422
    ok = send("POST", f"{base}/verify", {"reason": "확인", "person": cast.official.person.pk}, rw)
    assert ok.status_code == 200
    assert ok.json()["status"] == "verified"
    assert ok.json()["person_id"] == cast.official.person.pk
    assert ok.json()["retain_until"] == "2029-06-14"
    verified = Client().get("/api/recommendations", {"status": "verified"}, headers=read).json()
    assert [i["id"] for i in verified["items"]] == [rec.pk]
    assert Client().get("/api/recommendations", headers=read).json()["items"] == []
    again = send("POST", f"{base}/start", {}, rw)
    assert again.status_code in {400, 409}


def test_team_verify_and_reject(cast, headers_for: Headers) -> None:  # type: ignore[no-untyped-def]
    team, _ = submit(cast.district, nominee_kind="team", nominee_name="도시계획팀")
    other, _ = submit(cast.district)
    rw = headers_for("hr_officer", scope=RW)
    send("POST", f"/api/recommendations/{team.pk}/start", {}, rw)
    missing = send("POST", f"/api/recommendations/{team.pk}/verify", {"reason": "x", "unit": 999999}, rw)
    assert missing.status_code == 400
    assert missing.json()["field"] == "unit"
    ok = send("POST", f"/api/recommendations/{team.pk}/verify", {"reason": "x", "unit": cast.planning.pk}, rw)
    assert ok.json()["unit_id"] == cast.planning.pk
    empty = send("POST", f"/api/recommendations/{other.pk}/reject", {"reason": " "}, rw)
    assert empty.status_code == 400
    rejected = send("POST", f"/api/recommendations/{other.pk}/reject", {"reason": "감사 인사"}, rw)
    assert rejected.json()["status"] == "not_verified"
    assert rejected.json()["decision_reason"] == "감사 인사"
    huge = send("POST", f"/api/recommendations/{other.pk}/reject", {"reason": "가" * 10_001}, rw)
    assert huge.status_code == 422
    searched = Client().get("/api/recommendations", {"status": "all", "q": other.number}, headers=rw).json()
    assert [i["id"] for i in searched["items"]] == [other.pk]


@pytest.mark.parametrize("who", ["official", "admin", "head", "audit_staff", "aa_officer_b"])
def test_others_get_404(cast, headers_for: Headers, who: str) -> None:  # type: ignore[no-untyped-def]
    rec, _ = submit(cast.district)
    headers = headers_for(who, scope=RW)
    assert Client().get(f"/api/recommendations/{rec.pk}", headers=headers).status_code == 404
    for action, body in (("start", {}), ("ask", {"question": "x"}), ("reject", {"reason": "x"})):
        assert send("POST", f"/api/recommendations/{rec.pk}/{action}", body, headers).status_code == 404
    listed = Client().get("/api/recommendations", headers=headers)
    assert listed.status_code == 404 or listed.json()["items"] == []


def test_missing_id_404_and_read_only_token_cannot_write(cast, headers_for: Headers) -> None:  # type: ignore[no-untyped-def]
    rec, _ = submit(cast.district)
    rw = headers_for("aa_officer", scope=RW)
    assert Client().get("/api/recommendations/999999", headers=rw).status_code == 404
    assert send("POST", f"/api/recommendations/{rec.pk}/start", {}, headers_for("aa_officer")).status_code == 403
    assert Client().get(f"/api/recommendations/{rec.pk}").status_code in {401, 404}


def test_nul_in_any_text_is_a_400_not_a_500(cast, headers_for: Headers) -> None:  # type: ignore[no-untyped-def]
    from core.access import actor_for
    from recommendations import services

    rec, _ = submit(cast.district)
    services.start(actor=actor_for(cast.aa_officer), rec=rec)
    rw = headers_for("aa_officer", scope=RW)
    base = f"/api/recommendations/{rec.pk}"
    for action, body, field in [
        ("ask", {"question": "a\u0000b"}, "question"),
        ("reject", {"reason": "a\u0000b"}, "reason"),
        ("verify", {"reason": "a\u0000b", "person": cast.official.person.pk}, "reason"),
    ]:
        response = send("POST", f"{base}/{action}", body, rw)
        assert response.status_code == 400, action
        assert response.json()["field"] == field
    listed = Client().get("/api/recommendations", {"q": "a\u0000b"}, headers=headers_for("aa_officer"))
    assert listed.status_code == 200


def test_api_refusals_are_translatable(cast, headers_for: Headers, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import api.recommendations as module

    monkeypatch.setattr(module, "_", lambda text: f"[t]{text}")
    rec, _ = submit(cast.district)
    rw = headers_for("aa_officer", scope=RW)
    response = send("POST", f"/api/recommendations/{rec.pk}/verify", {"reason": "x", "person": 999999}, rw)
    assert response.status_code == 400
    assert response.json()["detail"].startswith("[t]")
