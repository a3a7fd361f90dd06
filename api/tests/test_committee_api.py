"""The committee pool over the API: the pages' services and rules (400 {detail, field} for a
refused hard rule), the health endpoint, 404 for other institutions and roles, 403 for a
read-only token, and a member reading only their own membership."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from accounts.models import ApiToken
from committee.models import CommitteeMember
from committee.tests.factories import appoint, fill, set_policy

pytestmark = pytest.mark.django_db

Headers = Callable[..., dict[str, str]]
RW = ApiToken.Scope.READ_WRITE
BASE = "/api/committee"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC), tick=False):
        yield


def send(method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    return Client().generic(method, url, data=json.dumps(body), content_type="application/json", headers=headers)


def body(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "external",
        "name": "권민석",
        "organisation": "법무법인 누리",
        "gender": "male",
        "expertise": ["행정소송", "계약"],
        "term_starts_on": "2026-07-01",
        **overrides,
    }


def test_secretary_appoints_and_reads_a_member(cast, headers_for: Headers) -> None:
    response = send("POST", f"{BASE}/members", body(), headers_for("secretary", scope=RW))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["name"], data["term_ends_on"], data["renewals"]) == ("권민석", "2028-06-30", 0)
    assert data["expertise"] == ["계약", "행정소송"]
    assert data["terms"] == [{"number": 0, "starts_on": "2026-07-01", "ends_on": "2028-06-30"}]
    listed = Client().get(f"{BASE}/members?expertise=계약", headers=headers_for("aa_officer")).json()
    assert [m["name"] for m in listed["items"]] == ["권민석"]


def test_hard_rules_answer_400_with_the_field(cast, headers_for: Headers) -> None:
    appoint(cast, is_chair=True)
    headers = headers_for("secretary", scope=RW)
    response = send("POST", f"{BASE}/members", body(is_chair=True), headers)
    assert response.status_code == 400
    assert response.json()["field"] == "is_chair"
    response = send("POST", f"{BASE}/members", body(term_ends_on="2026-06-30"), headers)
    assert (response.status_code, response.json()["field"]) == (400, "term_ends_on")
    response = send("POST", f"{BASE}/members", body(person_number="NOPE", kind="internal"), headers)
    assert (response.status_code, response.json()["field"]) == (400, "person_number")
    assert CommitteeMember.objects.count() == 1


def test_a_full_pool_refuses_appointment(cast, headers_for: Headers) -> None:
    set_policy(cast, committee_max_members=9)
    fill(cast, 9)
    response = send("POST", f"{BASE}/members", body(), headers_for("secretary", scope=RW))
    assert response.status_code == 400
    assert "9명" in response.json()["detail"]


def test_health_reports_counts_and_findings(cast, headers_for: Headers) -> None:
    fill(cast, 4)
    fill(cast, 4, kind="internal", gender="male")
    data = Client().get(f"{BASE}/pool/health", headers=headers_for("head")).json()
    assert data["counts"]["size"] == 8
    levels = {f["code"]: f["level"] for f in data["findings"]}
    assert levels == {"size_below_min": "soft", "chair_missing": "soft", "audit_head_missing": "soft"}


def test_update_renew_dismiss_and_chair(cast, headers_for: Headers) -> None:
    set_policy(cast, external_max_renewals=1)
    member = appoint(cast)
    headers = headers_for("secretary", scope=RW)
    url = f"{BASE}/members/{member.pk}"
    response = send("PATCH", url, {"organisation": "한빛연구원", "expertise": ["교통"]}, headers)
    assert response.status_code == 200, response.content
    assert (response.json()["organisation"], response.json()["expertise"]) == ("한빛연구원", ["교통"])
    assert send("PATCH", url, {"name": None}, headers).status_code == 422
    assert send("POST", f"{url}/renew", {}, headers).json()["renewals"] == 1
    refused = send("POST", f"{url}/renew", {}, headers)
    assert refused.status_code == 400
    assert "1회까지" in refused.json()["detail"]
    assert send("POST", f"{url}/chair", {}, headers).json()["is_chair"] is True
    assert send("POST", f"{url}/dismiss", {"grounds": "nonsense"}, headers).status_code == 422
    other = send("POST", f"{url}/dismiss", {"grounds": "other"}, headers)
    assert (other.status_code, other.json()["field"]) == (400, "note")
    data = send("POST", f"{url}/dismiss", {"grounds": "resignation"}, headers).json()
    assert (data["status"], data["is_chair"], data["dismissal_grounds"]) == ("dismissed", False, "resignation")


def test_member_reads_only_their_own_membership(cast, headers_for: Headers) -> None:
    own = appoint(cast, kind="internal", person=cast.member.person, user=cast.member)
    other = appoint(cast)
    headers = headers_for("member")
    items = Client().get(f"{BASE}/members", headers=headers).json()["items"]
    assert [i["id"] for i in items] == [own.pk]
    assert Client().get(f"{BASE}/members/{own.pk}", headers=headers).json()["username"] == "member"
    assert Client().get(f"{BASE}/members/{other.pk}", headers=headers).status_code == 404
    assert Client().get(f"{BASE}/pool/health", headers=headers).status_code == 404


@pytest.mark.parametrize("who", ["official", "aa_officer_b", "official_b", "admin"])
def test_others_get_404(cast, headers_for: Headers, who) -> None:
    member = appoint(cast)
    assert Client().get(f"{BASE}/members/{member.pk}", headers=headers_for(who)).status_code == 404
    response = send("POST", f"{BASE}/members/{member.pk}/dismiss", {"grounds": "neglect"}, headers_for(who, scope=RW))
    assert response.status_code == 404


@pytest.mark.parametrize("who", ["aa_officer", "head"])
def test_readers_cannot_write(cast, headers_for: Headers, who) -> None:
    assert send("POST", f"{BASE}/members", body(), headers_for(who, scope=RW)).status_code == 404


def test_read_only_token_cannot_write(cast, headers_for: Headers) -> None:
    assert send("POST", f"{BASE}/members", body(), headers_for("secretary")).status_code == 403
