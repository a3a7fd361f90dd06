"""Pre-consultation over the API: the pages' rules and services, 404 for what the caller may
not see, 400 for refused actions, 403 for read-only tokens, the whole path from draft to
presumption."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import ApiToken
from consultations.models import Consultation
from consultations.tests.factories import acted, draft, submitted, under_review
from exemptions.models import Presumption
from tests.cast import Cast
from tests.factories import WorkItemFactory

pytestmark = pytest.mark.django_db

Headers = Callable[..., dict[str, str]]
RW = ApiToken.Scope.READ_WRITE


def send(url: str, body: Any, headers: dict[str, str], method: str = "POST") -> Any:
    return Client().generic(method, url, data=json.dumps(body), content_type="application/json", headers=headers)


def checks() -> dict[str, Any]:
    keys = ("laws_reviewed", "interpretation_asked", "not_decided", "no_proceedings", "own_view")
    return {key: {"answer": "yes", "note": ""} for key in keys}


def test_the_whole_path_from_draft_to_presumption(cast: Cast, headers_for: Headers) -> None:
    WorkItemFactory(institution=cast.district, unit=cast.building, reference="BLD-9")
    official, head, auditor = (
        headers_for("official", scope=RW),
        headers_for("dept_head", scope=RW),
        headers_for("aa_officer", scope=RW),
    )
    body = {
        "title": "API 요청",
        "work_item_reference": "bld-9",
        "officials": [cast.official.person.employee_number],
        "background": "배경",
        "laws": "법령",
        "issues": "쟁점",
        "own_review": "검토",
        "self_check": checks(),
    }
    response = send("/api/consultations", body, official)
    assert response.status_code == 201, response.content
    data = response.json()
    pk = data["id"]
    assert data["status"] == "draft"
    assert data["unit"]["id"] == cast.building.pk
    assert data["actions"] == ["request_approval", "withdraw"]
    base = f"/api/consultations/{pk}"
    assert send(base + "/request-approval", {}, official).status_code == 200
    response = send(base + "/submit", {}, head)
    assert response.json()["number"].startswith("사전컨설팅-")
    assert response.json()["deadline"]["due_on"]
    assert send(base + "/accept", {}, auditor).status_code == 200
    assert send(base + "/extend", {"reason": "회신 대기"}, auditor).json()["deadline"]["extension_count"] == 1
    response = send(base + "/opinion", {"opinion": "가능", "reasons": "근거"}, auditor)
    assert response.json()["status"] == "opinion_issued"
    opinion_on = response.json()["opinion_on"]
    response = send(base + "/outcome", {"outcome": "followed", "acted_on": opinion_on, "note": "이행"}, official)
    assert response.status_code == 200, response.content
    [presumption] = response.json()["presumptions"]
    assert presumption["holds"] is True
    response = send(
        base + f"/presumptions/{presumption['id']}/exception",
        {"private_interest": True, "reason": "친족 관계"},
        auditor,
    )
    assert response.status_code == 200
    assert response.json()["holds"] is False
    assert response.json()["why_not"] == ["사적 이해관계가 있었음"]
    assert send(base + "/close", {}, auditor).json()["status"] == "closed"


def test_refused_action_is_400_with_the_field(cast: Cast, headers_for: Headers) -> None:
    c = under_review(cast)
    auditor = headers_for("aa_officer", scope=RW)
    response = send(f"/api/consultations/{c.pk}/return", {"ground": "law_clear", "reason": ""}, auditor)
    assert response.status_code == 400
    assert response.json()["field"] == "reason"
    send(f"/api/consultations/{c.pk}/return", {"ground": "law_clear", "reason": "법령 명확"}, auditor)
    response = send(f"/api/consultations/{c.pk}/opinion", {"opinion": "o", "reasons": "r"}, auditor)
    assert response.status_code == 400
    c.refresh_from_db()
    assert c.status == Consultation.Status.RETURNED


def test_bad_input_is_refused_and_nothing_saved(cast: Cast, headers_for: Headers) -> None:
    official = headers_for("official", scope=RW)
    response = send("/api/consultations", {"title": "x", "officials": ["E-NOBODY"]}, official)
    assert response.status_code == 400
    assert response.json()["field"] == "officials"
    response = send("/api/consultations", {"title": "x", "self_check": {"zzz": {"answer": "yes"}}}, official)
    assert response.status_code == 400
    response = send("/api/consultations", {"title": "x", "unit": cast.planning.pk}, official)
    assert response.status_code == 400
    response = send("/api/consultations", {"title": "x", "surprise": 1}, official)
    assert response.status_code == 422
    assert not Consultation.objects.exists()


def test_update_of_a_draft_and_not_of_a_submitted_request(cast: Cast, headers_for: Headers) -> None:
    official = headers_for("official", scope=RW)
    c = draft(cast)
    body = {"title": "고친 제목", "officials": [cast.official.person.employee_number]}
    response = send(f"/api/consultations/{c.pk}", body, official, method="PUT")
    assert response.status_code == 200
    assert response.json()["title"] == "고친 제목"
    s = submitted(cast)
    assert send(f"/api/consultations/{s.pk}", body, official, method="PUT").status_code == 400


@pytest.mark.parametrize("username", ["official2", "official_b", "aa_officer_b"])
def test_others_get_404(cast: Cast, headers_for: Headers, username: str) -> None:
    c = submitted(cast)
    headers = headers_for(username, scope=RW)
    assert Client().get(f"/api/consultations/{c.pk}", headers=headers).status_code == 404
    assert send(f"/api/consultations/{c.pk}/accept", {}, headers).status_code == 404
    items = Client().get("/api/consultations?scope=all", headers=headers).json()["items"]
    assert items == []


def test_roles_outside_the_module_get_404(cast: Cast, headers_for: Headers) -> None:
    for username in ("admin", "no_role", "supervisor"):
        assert Client().get("/api/consultations", headers=headers_for(username)).status_code == 404


def test_read_only_token_cannot_act(cast: Cast, headers_for: Headers) -> None:
    c = submitted(cast)
    response = send(f"/api/consultations/{c.pk}/accept", {}, headers_for("aa_officer"))
    assert response.status_code == 403


def test_list_filters_and_queue(cast: Cast, headers_for: Headers) -> None:
    waiting = submitted(cast)
    done = acted(cast)
    headers = headers_for("aa_officer")
    ids = [row["id"] for row in Client().get("/api/consultations?scope=queue", headers=headers).json()["items"]]
    assert ids == [waiting.pk]
    ids = [
        row["id"]
        for row in Client().get(f"/api/consultations?work_item={done.work_item_id}", headers=headers).json()["items"]
    ]
    assert ids == [done.pk]
    assert Client().get("/api/consultations?status=bogus", headers=headers).status_code == 422


def test_exception_for_another_requests_presumption_is_404(cast: Cast, headers_for: Headers) -> None:
    first, second = acted(cast), acted(cast)
    row = Presumption.objects.get(source_id=second.pk)
    url = f"/api/consultations/{first.pk}/presumptions/{row.pk}/exception"
    response = send(url, {"private_interest": True, "reason": "x"}, headers_for("aa_officer", scope=RW))
    assert response.status_code == 404
