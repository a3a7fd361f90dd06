"""What the schemathesis run (test_schemathesis.py) found, pinned one by one: the schema
tells the truth about each operation, and bad input gets a 4xx with a Korean message."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.models import ApiToken
from api.main import api
from reports.tests.factories import submit
from tests.cast import Cast

pytestmark = pytest.mark.django_db

Headers = Callable[..., dict[str, str]]
RW = ApiToken.Scope.READ_WRITE


def send(url: str, body: Any, headers: dict[str, str]) -> Any:
    return Client().post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def test_no_two_schema_classes_share_a_component_name() -> None:
    # ninja kept one `ConsultationIn` for both the consultation body and the referral body.
    assert api.get_openapi_schema().name_clashes == set()


def test_each_body_is_published_with_its_own_shape() -> None:
    schema = Client().get("/api/openapi.json").json()
    body = schema["paths"]["/api/consultations"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    component = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
    assert "title" in component["properties"]
    assert "consultation" not in component["properties"]


def test_every_operation_declares_its_error_answers() -> None:
    schema = Client().get("/api/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "422" in codes, f"{method} {path}"
            if operation["x-access"]["rule"] != "public":
                assert {"400", "401", "404"} <= codes, f"{method} {path}"
            invalid = operation["responses"]["422"]["content"]["application/json"]["schema"]
            assert invalid["properties"]["detail"]["type"] == "array"


def test_a_path_that_names_no_operation_is_a_json_404(cast: Cast, headers_for: Headers) -> None:
    for url in ("/api/units/-1", "/api/nothing-here", "/api/consultations/1.5/submit"):
        response = Client().get(url, headers=headers_for("admin"))
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/json"), url
        assert response.json() == {"detail": "찾을 수 없습니다."}


def test_invalid_input_is_explained_in_korean(cast: Cast, headers_for: Headers) -> None:
    response = Client().get("/api/people?limit=0&unit=x", headers=headers_for("admin"))
    assert response.status_code == 422
    messages = {tuple(error["loc"]): error["msg"] for error in response.json()["detail"]}
    assert messages[("query", "limit")] == "1 이상이어야 합니다."
    assert messages[("query", "unit")] == "정수를 입력해 주십시오."
    cursor = Client().get("/api/register?cursor=nonsense", headers=headers_for("aa_officer"))
    assert cursor.status_code == 422
    assert cursor.json()["detail"][0]["msg"].startswith("올바르지 않은 커서입니다.")
    broken = Client().post(
        "/api/units", data="{not json", content_type="application/json", headers=headers_for("admin", scope=RW)
    )
    assert broken.status_code == 400
    assert broken.json()["detail"].startswith("요청 본문을 읽을 수 없습니다.")


def test_a_filter_outside_its_choices_is_refused_not_ignored(cast: Cast, headers_for: Headers) -> None:
    response = Client().get("/api/exemptions?decision=C", headers=headers_for("aa_officer"))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "decision"]


def test_an_official_id_beyond_the_database_range_is_422_not_500(cast: Cast, headers_for: Headers) -> None:
    report, _ = submit(cast.district)
    body = {"outcome": "not_passive", "result_text": "결과", "officials": [10**30]}
    response = send(f"/api/reports/{report.pk}/close", body, headers_for("aa_officer", scope=RW))
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:3] == ["body", "payload", "officials"]


@pytest.mark.parametrize("text", ["a\u0000b", "a\udc00b"])
def test_text_no_database_can_store_is_a_400_naming_the_field(cast: Cast, headers_for: Headers, text: str) -> None:
    body = {"code": "NEW", "name": text}
    response = send("/api/units", body, headers_for("admin", scope=RW))
    assert response.status_code == 400
    assert response.json()["field"] == "name"


def test_a_nul_in_a_query_is_dropped(cast: Cast, headers_for: Headers) -> None:
    response = Client().get("/api/people", {"q": "off\u0000icial"}, headers=headers_for("admin"))
    assert response.status_code == 200


def test_the_schema_says_what_stripping_and_email_checks_refuse() -> None:
    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]
    assert "pattern" in schemas["UnitIn"]["properties"]["name"]  # "   " is blank once stripped
    email = schemas["PersonIn"]["properties"]["email"]
    assert {"type": "string", "format": "email", "maxLength": 254} in email["anyOf"]


def test_an_email_of_spaces_alone_is_blank_not_a_wrong_address(cast: Cast, headers_for: Headers) -> None:
    """Found by the deeper schemathesis run of `make trust`: the schema allows a blank
    address as any spaces str.strip() drops (\\x1c, \\x85, U+3000 ...), so they mean none."""
    from institutions.models import Person

    body = {"employee_number": "N-200", "name": "김공백", "email": "\t\u1680\x1c\x85\u3000"}
    response = send("/api/people", body, headers_for("admin", scope=RW))
    assert response.status_code == 201, response.content
    assert Person.objects.get(employee_number="N-200").email == ""
    wrong = send(
        "/api/people", {**body, "employee_number": "N-201", "email": " not-an-address "}, headers_for("admin", scope=RW)
    )
    assert wrong.status_code == 422


def test_a_time_with_any_valid_offset_is_kept_in_utc_and_one_out_of_range_is_refused() -> None:
    """ISO 8601 allows offsets PostgreSQL refuses (beyond ±15:59): the input is kept in UTC;
    a time that leaves the calendar in UTC is a 422, never a 500 (schemathesis found both)."""
    import datetime as dt

    import pydantic

    from api.committee_meetings import MeetingIn

    sent = {"title": "회의", "starts_at": "4890-01-13T05:51:10.98-20:33", "place": "회의실"}
    meeting = MeetingIn.model_validate(sent)
    assert meeting.starts_at.utcoffset() == dt.timedelta(0)
    assert meeting.starts_at == dt.datetime(4890, 1, 14, 2, 24, 10, 980000, tzinfo=dt.UTC)
    with pytest.raises(pydantic.ValidationError, match="범위"):
        MeetingIn.model_validate({"title": "회의", "starts_at": "9999-12-31T23:00:00-20:00", "place": "회의실"})
