"""Advice requests and opinions over the API: the pages' services and rules, 404 for another
institution or a request that is not one's own, 403 for a read-only token, 400/422 for bad
input with the field."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client

from accounts.models import ApiToken
from committee.models import AdviceRequest, Opinion
from committee.tests.requests_fixtures import advised, audit_request, item, meeting, submit
from exemptions.models import Presumption

pytestmark = pytest.mark.django_db

Headers = Callable[..., dict[str, str]]
RW = ApiToken.Scope.READ_WRITE
BASE = "/api/committee"


@pytest.fixture(autouse=True)
def _today() -> Iterator[None]:
    with time_machine.travel(datetime.datetime(2026, 6, 15, 1, tzinfo=datetime.UTC), tick=False):
        yield


def send(url: str, body: Any, headers: dict[str, str]) -> Any:
    return Client().post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def get(url: str, headers: dict[str, str]) -> Any:
    return Client().get(url, headers=headers)


BODY = {"title": "울타리 점용", "task": "업무", "rule": "규정", "options": "방안"}


def test_official_submits_and_reads_their_request(cast, headers_for: Headers) -> None:
    response = send(f"{BASE}/advice-requests", BODY, headers_for("official", scope=RW))
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["reference"], data["status"]) == ("자문-2026-0001", "submitted")
    assert data["actions"] == ["withdraw"]
    mine = get(f"{BASE}/advice-requests/mine", headers_for("official")).json()
    assert [r["title"] for r in mine["items"]] == ["울타리 점용"]
    assert get(f"{BASE}/advice-requests/{data['id']}", headers_for("head")).status_code == 200
    assert get(f"{BASE}/advice-requests/{data['id']}", headers_for("official2")).status_code == 404
    assert get(f"{BASE}/advice-requests/{data['id']}", headers_for("aa_officer_b")).status_code == 404


def test_bad_input(cast, headers_for: Headers) -> None:
    headers = headers_for("official", scope=RW)
    response = send(f"{BASE}/advice-requests", {**BODY, "rule": " "}, headers)
    assert (response.status_code, response.json()["field"]) == (400, "rule")
    response = send(f"{BASE}/advice-requests", {**BODY, "work_item_reference": "NO-1"}, headers)
    assert (response.status_code, response.json()["field"]) == (400, "work_item_reference")
    assert send(f"{BASE}/advice-requests", {**BODY, "extra": 1}, headers).status_code == 422
    assert send(f"{BASE}/advice-requests", {"title": "x"}, headers).status_code == 422
    assert send(f"{BASE}/advice-requests", BODY, headers_for("official")).status_code == 403
    assert send(f"{BASE}/advice-requests", BODY, headers_for("head", scope=RW)).status_code in (403, 404)
    assert not AdviceRequest.objects.exists()


def test_queue_schedule_and_withdraw(cast, headers_for: Headers) -> None:
    first, second = submit(cast, title="하나"), submit(cast, title="둘")
    queue = get(f"{BASE}/advice-requests?status=submitted", headers_for("secretary")).json()
    assert {r["title"] for r in queue["items"]} == {"하나", "둘"}
    assert get(f"{BASE}/advice-requests", headers_for("official")).status_code in (403, 404)
    target = meeting(cast)
    headers = headers_for("secretary", scope=RW)
    response = send(f"{BASE}/advice-requests/{first.pk}/schedule", {"meeting_id": target.pk}, headers)
    assert response.status_code == 201, response.content
    assert response.json()["meeting_id"] == target.pk
    response = send(f"{BASE}/advice-requests/{first.pk}/schedule", {"meeting_id": target.pk}, headers)
    assert response.status_code in (400, 409)
    response = send(f"{BASE}/advice-requests/{second.pk}/schedule", {"meeting_id": 999999}, headers)
    assert (response.status_code, response.json()["field"]) == (400, "meeting_id")
    response = send(f"{BASE}/advice-requests/{second.pk}/withdraw", {}, headers_for("official", scope=RW))
    assert response.json()["status"] == "withdrawn"
    response = send(f"{BASE}/advice-requests/{first.pk}/withdraw", {}, headers_for("official", scope=RW))
    assert response.status_code in (400, 409)


def test_outcome_gives_presumptions(cast, headers_for: Headers) -> None:
    request = advised(cast)
    url = f"{BASE}/advice-requests/{request.pk}/outcome"
    body = {
        "followed": "followed",
        "acted_on": "2026-06-15",
        "employee_numbers": [cast.official2.person.employee_number],
    }
    response = send(url, {**body, "followed": "sort of"}, headers_for("official", scope=RW))
    assert (response.status_code, response.json()["field"]) == (400, "followed")
    response = send(url, {**body, "employee_numbers": ["NOPE"]}, headers_for("official", scope=RW))
    assert (response.status_code, response.json()["field"]) == (400, "employee_numbers")
    assert send(url, body, headers_for("official2", scope=RW)).status_code == 404
    response = send(url, body, headers_for("official", scope=RW))
    assert response.status_code == 200, response.content
    assert response.json()["followed"] == "followed"
    assert Presumption.objects.count() == 2


def test_opinions_record_list_and_the_audit_round(cast, headers_for: Headers) -> None:
    target = item(cast)
    secretary = headers_for("secretary", scope=RW)
    body = {"kind": "stakeholder_hearing", "author": "주민", "body": "의견", "received_on": "2026-06-15"}
    response = send(f"{BASE}/items/{target.pk}/opinions", body, secretary)
    assert response.status_code == 201, response.content
    response = send(f"{BASE}/items/{target.pk}/opinions", {**body, "kind": "audit"}, secretary)
    assert (response.status_code, response.json()["field"]) == (400, "kind")
    response = send(f"{BASE}/items/{target.pk}/opinions", {**body, "author": " "}, secretary)
    assert (response.status_code, response.json()["field"]) == (400, "author")
    assert send(f"{BASE}/items/{target.pk}/opinions", body, headers_for("aa_officer", scope=RW)).status_code in (
        403,
        404,
    )
    response = send(f"{BASE}/items/{target.pk}/audit-opinion", {"request_note": "검토"}, secretary)
    assert response.status_code == 201
    opinion_id = response.json()["id"]
    assert response.json()["due_on"] == "2026-06-25"
    listed = get(f"{BASE}/items/{target.pk}/opinions", headers_for("head")).json()
    assert [o["kind"] for o in listed] == ["stakeholder_hearing"]
    assert len(get(f"{BASE}/items/{target.pk}/opinions", headers_for("secretary")).json()) == 2
    assert get(f"{BASE}/items/{target.pk}/opinions", headers_for("aa_officer_b")).status_code == 404
    queue = get(f"{BASE}/audit-opinions", headers_for("audit_staff")).json()
    assert [o["id"] for o in queue["items"]] == [opinion_id]
    audit = headers_for("audit_staff", scope=RW)
    response = send(f"{BASE}/opinions/{opinion_id}/extend", {"reason": "보완"}, audit)
    assert response.json()["due_on"] == "2026-07-06"
    assert send(f"{BASE}/opinions/{opinion_id}/extend", {"reason": "또"}, audit).status_code in (400, 409)
    assert send(f"{BASE}/opinions/{opinion_id}/submit", {"body": "x"}, secretary).status_code in (403, 404)
    response = send(f"{BASE}/opinions/{opinion_id}/submit", {"body": "이상 없음"}, audit)
    assert (response.status_code, response.json()["status"], response.json()["late"]) == (200, "received", False)
    assert (
        send(f"{BASE}/opinions/{opinion_id}/submit", {"body": "x"}, headers_for("aa_officer_b", scope=RW)).status_code
        == 404
    )


def test_secretary_withdraws_an_audit_request(cast, headers_for: Headers) -> None:
    opinion = audit_request(cast)
    headers = headers_for("secretary", scope=RW)
    assert send(f"{BASE}/opinions/{opinion.pk}/withdraw", {"reason": ""}, headers).status_code == 400
    response = send(f"{BASE}/opinions/{opinion.pk}/withdraw", {"reason": "불필요"}, headers)
    assert response.json()["status"] == "withdrawn"
    assert Opinion.objects.get().status == Opinion.Status.WITHDRAWN


def test_exemption_case_shows_the_committee_recommendation(cast, headers_for: Headers) -> None:
    from django.utils import timezone

    from core.access import actor_for
    from exemptions.services.committee import exemption_record_committee_recommendation
    from exemptions.tests.factories import reviewing

    case = reviewing(cast)
    exemption_record_committee_recommendation(
        actor=actor_for(cast.secretary), case=case, recommendation="면책 건의", recommended_on=timezone.localdate()
    )
    data = get(f"/api/exemptions/{case.pk}", headers_for("aa_officer")).json()
    assert (data["committee_recommendation"], data["committee_recommended_on"]) == ("면책 건의", "2026-06-15")
