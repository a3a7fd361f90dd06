"""The library over the API: public reads of published cases (no token), the staff
workflow with tokens, 404 for what the caller may not see, 400/422 for bad input."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import ApiToken
from core.tests import filefactory as ff
from library import services
from library.models import BestPractice
from library.tests.factories import actor, in_review, published, write
from tests.cast import Cast

pytestmark = pytest.mark.django_db

Headers = Callable[..., dict[str, str]]
RW = ApiToken.Scope.READ_WRITE


def send(url: str, body: Any, headers: dict[str, str], method: str = "POST") -> Any:
    return Client().generic(method, url, data=json.dumps(body), content_type="application/json", headers=headers)


def body(**values: Any) -> dict[str, Any]:
    data = {
        "title": "API 사례",
        "policy_field": "urban",
        "year": 2025,
        "problem": "문제",
        "action": "조치",
        "result": "성과",
    }
    data.update(values)
    return data


# --- Public ---------------------------------------------------------------------------


def test_public_search_needs_no_token_and_finds_two_syllables(cast: Cast) -> None:
    published(cast, title="주차장 공유 사업")
    published(cast, title="폭염 안부 확인", problem="어르신", action="방문", result="구조", policy_field="welfare")
    write(cast, title="주차 초안")
    response = Client().get("/api/library/cases?q=주차")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    item = data["items"][0]
    assert item["title"] == "주차장 공유 사업"
    assert item["institution"]["name"] == "새솔구"
    assert item["policy_field_label"] == "도시·건축·교통"
    assert Client().get("/api/library/cases?field=welfare").json()["count"] == 1
    assert Client().get("/api/library/cases?year=2025&field=welfare&q=폭염").json()["count"] == 1
    assert Client().get(f"/api/library/cases?institution={cast.other.pk}").json()["count"] == 0


@pytest.mark.parametrize("query", ["q=%22", "q=NEAR(", "q=*", "q=" + "가" * 1000, "limit=200&offset=10000"])
def test_public_search_odd_input_never_fails(cast: Cast, query: str) -> None:
    published(cast)
    assert Client().get(f"/api/library/cases?{query}").status_code == 200


@pytest.mark.parametrize(
    "query", ["field=nonsense", "year=abc", "year=1900", "limit=201", "offset=10001", "q=" + "가" * 1001]
)
def test_public_search_bad_filters_answer_422(cast: Cast, query: str) -> None:
    assert Client().get(f"/api/library/cases?{query}").status_code == 422


def test_public_detail_is_for_published_cases_only(cast: Cast) -> None:
    case = write(cast)
    services.case_add_image(
        actor=actor(cast.official), case=case, upload=ff.upload("a.png", ff.image("PNG"), "image/png")
    )
    assert Client().get(f"/api/library/cases/{case.pk}").status_code == 404
    services.case_submit(actor=actor(cast.official), case=case)
    assert Client().get(f"/api/library/cases/{case.pk}").status_code == 404
    services.case_publish(actor=actor(cast.aa_officer), case=case)
    data = Client().get(f"/api/library/cases/{case.pk}").json()
    assert data["action"] == case.action
    assert len(data["images"]) == 1
    assert data["images"][0].startswith(f"/cases/{case.pk}/images/")
    assert Client().get(data["images"][0]).status_code == 200


# --- Staff ----------------------------------------------------------------------------


def test_the_whole_path_from_draft_to_publication(cast: Cast, headers_for: Headers) -> None:
    author, reviewer = headers_for("official", scope=RW), headers_for("aa_officer", scope=RW)
    response = send("/api/library/office/cases", body(officials=[cast.official.person.employee_number]), author)
    assert response.status_code == 201, response.content
    data = response.json()
    pk = data["id"]
    assert data["status"] == "draft"
    assert data["unit"]["id"] == cast.building.pk
    assert data["actions"] == ["submit"]
    assert data["officials"][0]["employee_number"] == cast.official.person.employee_number
    response = send(f"/api/library/office/cases/{pk}", body(title="고친 제목"), author, method="PUT")
    assert response.status_code == 200
    assert response.json()["title"] == "고친 제목"
    assert send(f"/api/library/office/cases/{pk}/submit", {}, author).json()["status"] == "in_review"
    queue = Client().get("/api/library/office/cases?scope=queue", headers=reviewer).json()
    assert [item["id"] for item in queue["items"]] == [pk]
    response = send(f"/api/library/office/cases/{pk}/return", {"reason": ""}, reviewer)
    assert response.status_code == 422
    response = send(f"/api/library/office/cases/{pk}/return", {"reason": "보완"}, reviewer)
    assert response.json()["status"] == "draft"
    assert response.json()["return_reason"] == "보완"
    send(f"/api/library/office/cases/{pk}/submit", {}, author)
    assert send(f"/api/library/office/cases/{pk}/publish", {}, reviewer).json()["status"] == "published"
    response = send(f"/api/library/office/cases/{pk}/unpublish", {"reason": "정정"}, reviewer)
    assert response.json()["status"] == "draft"


def test_a_refused_action_answers_400(cast: Cast, headers_for: Headers) -> None:
    case = in_review(cast)
    response = send(f"/api/library/office/cases/{case.pk}/publish", {}, headers_for("official", scope=RW))
    assert response.status_code == 400
    assert "권한" in response.json()["detail"]
    draft = write(cast, result="")
    response = send(f"/api/library/office/cases/{draft.pk}/submit", {}, headers_for("official", scope=RW))
    assert response.status_code == 400
    assert "성과" in response.json()["detail"]


def test_bad_input_answers_400_or_422_with_the_field(cast: Cast, headers_for: Headers) -> None:
    author = headers_for("official", scope=RW)
    assert send("/api/library/office/cases", body(policy_field="zzz"), author).status_code == 422
    assert send("/api/library/office/cases", body(year=1999), author).status_code == 422
    assert send("/api/library/office/cases", body(surprise=1), author).status_code == 422
    response = send("/api/library/office/cases", body(officials=["E-NOBODY"]), author)
    assert response.status_code == 400
    assert response.json()["field"] == "officials"
    response = send("/api/library/office/cases", body(work_item_reference="NOPE-1"), author)
    assert response.status_code == 400
    assert response.json()["field"] == "work_item_reference"
    response = send("/api/library/office/cases", body(unit=cast.other_unit.pk), author)
    assert response.status_code == 400
    assert response.json()["field"] == "unit"
    assert not BestPractice.objects.exists()


def test_other_people_and_institutions_get_404(cast: Cast, headers_for: Headers) -> None:
    case = write(cast)
    for username in ("official2", "aa_officer", "aa_officer_b"):
        assert Client().get(f"/api/library/office/cases/{case.pk}", headers=headers_for(username)).status_code == 404
    assert (
        send(f"/api/library/office/cases/{case.pk}/submit", {}, headers_for("official_b", scope=RW)).status_code == 404
    )
    assert Client().get("/api/library/office/cases", headers=headers_for("head")).status_code == 404
    assert Client().get("/api/library/office/cases").status_code == 401


def test_a_read_only_token_cannot_write(cast: Cast, headers_for: Headers) -> None:
    assert send("/api/library/office/cases", body(), headers_for("official")).status_code == 403


def test_the_staff_list_is_keyset_paged(cast: Cast, headers_for: Headers) -> None:
    for n in range(3):
        write(cast, title=f"사례 {n}")
    headers = headers_for("official")
    first = Client().get("/api/library/office/cases?scope=mine&limit=2", headers=headers).json()
    assert [i["title"] for i in first["items"]] == ["사례 2", "사례 1"]
    rest = Client().get(f"/api/library/office/cases?limit=2&cursor={first['next_cursor']}", headers=headers).json()
    assert [i["title"] for i in rest["items"]] == ["사례 0"]
    assert rest["next_cursor"] is None
