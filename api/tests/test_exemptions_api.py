"""Exemption over the API: the pages' rules (an official sees only the cases naming them, the
audit side all, another institution nothing), the services' checks as 400 {detail, field},
403 for a read-only token, the presumption lookup in the detail."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import ApiToken
from exemptions.models import DisciplinaryDemand, ExemptionCase
from exemptions.tests import factories as f
from tests.cast import Cast

pytestmark = pytest.mark.django_db

Headers = Callable[..., dict[str, str]]
RW = ApiToken.Scope.READ_WRITE


def post(url: str, body: Any, headers: dict[str, str]) -> Any:
    return Client().post("/api" + url, data=json.dumps(body), content_type="application/json", headers=headers)


def get(url: str, headers: dict[str, str], **params: Any) -> Any:
    return Client().get("/api" + url, params, headers=headers)


def _body(**changes: Any) -> dict[str, Any]:
    body = {
        "origin": "application",
        "stage": "audit",
        "act": "도로점용 허가 시 점용료 감면",
        "matter_title": "2026년 정기감사",
        "matter_date": (timezone.localdate() - datetime.timedelta(days=3)).isoformat(),
    }
    body.update(changes)
    return body


def test_an_official_applies_and_sees_the_case(cast: Cast, headers_for: Headers) -> None:
    response = post("/exemptions", _body(), headers_for("official", scope=RW))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "filed"
    assert [o["name"] for o in data["officials"]] == ["official"]
    assert len(data["findings"]) == 9
    assert "withdraw" in data["actions"]


def test_a_late_application_is_a_400_on_the_date(cast: Cast, headers_for: Headers) -> None:
    response = post("/exemptions", _body(matter_date="2020-01-01"), headers_for("official", scope=RW))
    assert response.status_code == 400
    assert response.json()["field"] == "matter_date"
    assert not ExemptionCase.objects.exists()


def test_an_official_cannot_open_a_case_on_own_initiative(cast: Cast, headers_for: Headers) -> None:
    body = _body(origin="own_initiative", officials=[cast.official2.person.employee_number])
    response = post("/exemptions", body, headers_for("official", scope=RW))
    assert response.status_code == 400
    assert post("/exemptions", body, headers_for("audit_staff", scope=RW)).status_code == 201


def test_a_read_only_token_cannot_write(cast: Cast, headers_for: Headers) -> None:
    assert post("/exemptions", _body(), headers_for("official")).status_code == 403


def test_lists_are_scoped_like_the_pages(cast: Cast, headers_for: Headers) -> None:
    f.applied(cast, act="내 신청")
    f.opened(cast, officials=[cast.official2.person], act="남의 건")
    acts = {c["act"] for c in get("/exemptions", headers_for("official")).json()["items"]}
    assert acts == {"내 신청"}
    acts = {c["act"] for c in get("/exemptions", headers_for("audit_staff")).json()["items"]}
    assert acts == {"내 신청", "남의 건"}
    assert get("/exemptions", headers_for("aa_officer_b")).json()["items"] == []


def test_another_institutions_case_is_404(cast: Cast, headers_for: Headers) -> None:
    case = f.opened(cast)
    assert get(f"/exemptions/{case.pk}", headers_for("aa_officer_b")).status_code == 404
    assert post(f"/exemptions/{case.pk}/review", {}, headers_for("aa_officer_b", scope=RW)).status_code == 404


def test_the_detail_shows_the_presumption_lookup_per_official(cast: Cast, headers_for: Headers) -> None:
    item = f.work_item(cast)
    p = f.presumption(cast, cast.official.person, item)
    case = f.reviewing(cast, work_item=item, officials=[cast.official.person, cast.official2.person])
    data = get(f"/exemptions/{case.pk}", headers_for("aa_officer")).json()
    assert [(row["id"], row["counts"]) for row in data["presumptions"]] == [(p.pk, True)]
    by_name = {o["person"]["name"]: o for o in data["officials_presumption"]}
    assert by_name["official"]["counts"] is True
    assert by_name["official2"]["why_not"] == ["이 행위에 관해 이행한 사전컨설팅 의견이나 위원회 자문이 없음"]


def test_review_findings_rebuttal_and_decision(cast: Cast, headers_for: Headers) -> None:
    item = f.work_item(cast)
    p = f.presumption(cast, cast.official.person, item)
    case = f.opened(cast, work_item=item)
    staff, officer = headers_for("audit_staff", scope=RW), headers_for("aa_officer", scope=RW)
    assert post(f"/exemptions/{case.pk}/review", {}, staff).json()["status"] == "under_review"
    findings = [{"criterion": c, "answer": a, "evidence": e} for c, (a, e) in f.ALL_MET.items() if c != "no_intent"]
    data = post(f"/exemptions/{case.pk}/findings", {"findings": findings}, staff).json()
    assert data["missing_findings"] == []
    assert next(x for x in data["findings"] if x["criterion"] == "no_intent")["presumed"] is True
    refused = post(f"/exemptions/{case.pk}/rebuttals", {"presumption_id": p.pk, "reason": ""}, officer)
    assert (refused.status_code, refused.json()["field"]) == (400, "reason")
    data = post(f"/exemptions/{case.pk}/rebuttals", {"presumption_id": p.pk, "reason": "허위 보고"}, officer).json()
    assert data["missing_findings"]  # the third condition is no longer presumed
    refused = post(f"/exemptions/{case.pk}/decide", {"decision": "full", "reasons": "충족"}, officer)
    assert refused.status_code == 400
    post(
        f"/exemptions/{case.pk}/findings",
        {"findings": [{"criterion": "no_intent", "answer": "no", "evidence": "중과실"}]},
        staff,
    )
    data = post(f"/exemptions/{case.pk}/decide", {"decision": "rejection", "reasons": "중과실"}, officer).json()
    assert (data["status"], data["decision"]) == ("decided", "rejection")
    assert data["decision_reference"].startswith("면책결정-")


def test_the_applicant_withdraws(cast: Cast, headers_for: Headers) -> None:
    case = f.applied(cast)
    response = post(f"/exemptions/{case.pk}/withdraw", {"reason": "착오"}, headers_for("official", scope=RW))
    assert response.json()["status"] == "withdrawn"


def test_a_demand_is_refused_while_the_case_is_undecided(cast: Cast, headers_for: Headers) -> None:
    f.opened(cast, stage="disciplinary", act="징계 대상")
    body = {
        "person_number": cast.official.person.employee_number,
        "act": "징계 대상",
        "matter_title": "징계",
        "demanded_on": "2026-06-01",
        "no_grounds_confirmed": True,
        "note": "확인",
    }
    hr = headers_for("hr_officer", scope=RW)
    response = post("/exemptions/demands", body, hr)
    assert response.status_code == 400
    assert "아직 결정되지 않았습니다" in response.json()["detail"]
    assert post("/exemptions/demands", {**body, "act": "다른 행위"}, hr).status_code == 201
    assert DisciplinaryDemand.objects.count() == 1
    assert len(get("/exemptions/demands", headers_for("hr_officer")).json()["items"]) == 1
    assert get("/exemptions/demands", headers_for("official")).status_code == 404


def test_quarterly_reports_over_the_api(cast: Cast, headers_for: Headers) -> None:
    assert get("/exemptions/reports", headers_for("aa_officer")).json() == []
    response = post("/exemptions/reports/2026/1/submit", {"reference": "감사-1"}, headers_for("aa_officer", scope=RW))
    assert response.status_code == 200
    assert get("/exemptions/reports", headers_for("aa_officer")).json()[0]["reference"] == "감사-1"
    assert get("/exemptions/reports", headers_for("hr_officer")).status_code == 404


def test_the_list_query_count_does_not_grow(cast: Cast, headers_for: Headers) -> None:
    headers = headers_for("audit_staff")
    f.opened(cast)
    get("/exemptions", headers)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert get("/exemptions", headers).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for n in range(10):
        f.opened(cast, act=f"건 {n}", officials=[cast.official.person, cast.official2.person])
    assert count() <= few
