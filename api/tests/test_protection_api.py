"""Protection over the API: the pages' rules and services (limits, closed cases, retired
officials, acquittal), 404 for other institutions and roles, 400 {detail, field} for a
refused rule, 422 for a non-numeric amount, 403 for a read-only token."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from accounts.models import ApiToken
from institutions.models import Person
from protection.models import SupportRequest
from protection.tests.factories import approved, claim_for, enrol, file, policy
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

Headers = Callable[..., dict[str, str]]
RW = ApiToken.Scope.READ_WRITE
BASE = "/api/protection"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC), tick=False):
        yield


def send(method: str, url: str, body: Any, headers: dict[str, str]) -> Any:
    return Client().generic(method, url, data=json.dumps(body), content_type="application/json", headers=headers)


def body(**overrides: Any) -> dict[str, Any]:
    return {
        "kind": "civil_costs",
        "act_description": "도로 점용 허가 취소",
        "act_date": "2026-03-02",
        "amount_requested": 3_000_000,
        **overrides,
    }


def test_official_files_and_reads_only_their_own(cast, headers_for: Headers) -> None:
    response = send("POST", f"{BASE}/requests", body(), headers_for("official", scope=RW))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["reference"], data["person"]["name"], data["status"]) == ("보호지원-2026-0001", "official", "filed")
    assert data["allowed_actions"] == ["withdraw"]
    assert data["headroom"]["per_case_limit"] == 30_000_000
    file(cast, "official2")
    items = Client().get(f"{BASE}/requests", headers=headers_for("official")).json()["items"]
    assert [i["reference"] for i in items] == ["보호지원-2026-0001"]
    officer_items = Client().get(f"{BASE}/requests", headers=headers_for("protection_officer")).json()["items"]
    assert len(officer_items) == 2


def test_list_filters_by_kind_status_and_year(cast, headers_for: Headers) -> None:
    file(cast)
    file(cast, kind="legal_advice", amount_requested=None)
    headers = headers_for("protection_officer")
    assert len(Client().get(f"{BASE}/requests?kind=legal_advice", headers=headers).json()["items"]) == 1
    assert len(Client().get(f"{BASE}/requests?year=2025", headers=headers).json()["items"]) == 0
    assert Client().get(f"{BASE}/requests?status=nonsense", headers=headers).status_code == 422


@pytest.mark.parametrize("who", ["official2", "aa_officer", "official_b", "aa_officer_b"])
def test_others_get_404_for_a_request(cast, headers_for: Headers, who) -> None:
    case = file(cast)
    assert Client().get(f"{BASE}/requests/{case.pk}", headers=headers_for(who)).status_code == 404
    response = send("POST", f"{BASE}/requests/{case.pk}/withdraw", {}, headers_for(who, scope=RW))
    assert response.status_code == 404


def test_officer_decides_pays_and_closes(cast, headers_for: Headers) -> None:
    case = file(cast)
    headers = headers_for("protection_officer", scope=RW)
    assert send("POST", f"{BASE}/requests/{case.pk}/review", {}, headers).status_code == 200
    response = send(
        "POST", f"{BASE}/requests/{case.pk}/decide", {"decision": "approve", "amount_approved": 3_000_000}, headers
    )
    assert response.json()["status"] == "approved"
    response = send(
        "POST",
        f"{BASE}/requests/{case.pk}/payments",
        {"paid_on": "2026-06-15", "amount": 3_000_000, "payee": "법무법인"},
        headers,
    )
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["payments"][0]["amount"]) == ("paid", 3_000_000)
    response = send("POST", f"{BASE}/requests/{case.pk}/close", {"outcome": "won"}, headers)
    assert response.json()["status"] == "closed"
    edit = send("PUT", f"{BASE}/requests/{case.pk}", body(), headers)
    assert edit.status_code == 400
    assert edit.json()["detail"] == "종결된 건은 고칠 수 없습니다."


def test_limits_answer_400_with_the_field(cast, headers_for: Headers) -> None:
    case = approved(cast, amount=2_000_000)
    headers = headers_for("protection_officer", scope=RW)
    response = send(
        "POST",
        f"{BASE}/requests/{case.pk}/payments",
        {"paid_on": "2026-06-15", "amount": 2_500_000, "payee": "x"},
        headers,
    )
    assert response.status_code == 400
    assert response.json()["field"] == "amount"
    assert "2,000,000원" in response.json()["detail"]


@pytest.mark.parametrize(
    ("amount", "status", "field"),
    [
        (-1, 400, "amount_requested"),
        (0, 400, "amount_requested"),
        (10**13, 400, "amount_requested"),
        ("많이", 422, None),
        (1.5, 422, None),
    ],
)
def test_bad_amounts_are_refused_clearly(cast, headers_for: Headers, amount, status, field) -> None:
    response = send("POST", f"{BASE}/requests", body(amount_requested=amount), headers_for("official", scope=RW))
    assert response.status_code == status
    if field:
        assert response.json()["field"] == field
    assert not SupportRequest.objects.exists()


def test_retired_official_filed_by_the_officer_only_for_acts_in_office(cast, headers_for: Headers) -> None:
    retired = PersonFactory(
        institution=cast.district, status=Person.Status.RETIRED, retired_on=datetime.date(2026, 1, 31)
    )
    headers = headers_for("protection_officer", scope=RW)
    late = send("POST", f"{BASE}/requests", body(person=retired.pk, act_date="2026-02-01"), headers)
    assert (late.status_code, late.json()["field"]) == (400, "act_date")
    ok = send("POST", f"{BASE}/requests", body(person=retired.pk, act_date="2025-12-01"), headers)
    assert ok.status_code == 201
    refused = send("POST", f"{BASE}/requests", body(person=retired.pk), headers_for("official", scope=RW))
    assert (refused.status_code, refused.json()["field"]) == (400, "person")


def test_criminal_costs_need_the_acquittal(cast, headers_for: Headers) -> None:
    response = send("POST", f"{BASE}/requests", body(kind="criminal_costs"), headers_for("official", scope=RW))
    assert (response.status_code, response.json()["field"]) == (400, "acquittal_final_on")


def test_read_only_token_cannot_write(cast, headers_for: Headers) -> None:
    assert send("POST", f"{BASE}/requests", body(), headers_for("official")).status_code == 403


def test_insurance_for_the_officer_and_own_claims_for_the_official(cast, headers_for: Headers) -> None:
    headers = headers_for("protection_officer", scope=RW)
    response = send(
        "POST",
        f"{BASE}/insurance/policies",
        {
            "year": 2026,
            "insurer": "한빛손해보험",
            "policy_number": "P-1",
            "per_claim_limit": 1_000_000,
            "aggregate_limit": 2_000_000,
        },
        headers,
    )
    assert response.status_code == 201, response.content
    policy_id = response.json()["id"]
    enrolled = send("POST", f"{BASE}/insurance/policies/{policy_id}/enrolments", {"unit": cast.building.pk}, headers)
    assert enrolled.json() == {"enrolled": 3}
    enrolments = Client().get(f"{BASE}/insurance/enrolments", headers=headers_for("official")).json()["items"]
    assert [e["person"]["name"] for e in enrolments] == ["official"]
    claim = send(
        "POST",
        f"{BASE}/insurance/claims",
        {
            "enrolment": enrolments[0]["id"],
            "incident_date": "2026-04-01",
            "description": "x",
            "amount_claimed": 900_000,
        },
        headers,
    )
    assert claim.status_code == 201
    claim_id = claim.json()["id"]
    assert (
        send("POST", f"{BASE}/insurance/claims/{claim_id}/decide", {"decision": "accept"}, headers).status_code == 200
    )
    over = send(
        "POST", f"{BASE}/insurance/claims/{claim_id}/pay", {"amount": 950_000, "paid_on": "2026-06-01"}, headers
    )
    assert (over.status_code, over.json()["field"]) == (400, "amount")
    paid = send(
        "POST", f"{BASE}/insurance/claims/{claim_id}/pay", {"amount": 900_000, "paid_on": "2026-06-01"}, headers
    )
    assert paid.json()["status"] == "paid"
    assert len(Client().get(f"{BASE}/insurance/claims", headers=headers_for("official")).json()["items"]) == 1
    assert Client().get(f"{BASE}/insurance/claims", headers=headers_for("official2")).json()["items"] == []
    assert Client().get(f"{BASE}/insurance/policies", headers=headers_for("official")).status_code == 404
    assert (
        Client().get(f"{BASE}/insurance/policies/{policy_id}", headers=headers_for("aa_officer_b")).status_code == 404
    )


def test_insurance_of_another_institution_is_invisible(cast, headers_for: Headers) -> None:
    p = policy(cast)
    claim_for(cast, enrol(cast, p))
    assert Client().get(f"{BASE}/insurance/claims", headers=headers_for("official_b")).json()["items"] == []
    assert Client().get(f"{BASE}/insurance/enrolments", headers=headers_for("official_b")).json()["items"] == []
