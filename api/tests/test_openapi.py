from __future__ import annotations

import json

from django.test import Client


def test_schema_is_json_with_paths_and_the_bearer_scheme(db: None) -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert {"/api/me", "/api/roles"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["TokenAuth"]["description"],
    }
    me = schema["paths"]["/api/me"]["get"]
    assert me["security"] == [{"TokenAuth": []}]
    assert me["x-access"] == {"rule": "login", "write": False}
    assert {"200", "401", "404"} <= set(me["responses"])


def test_schema_needs_no_token_and_no_docs_page_is_served(db: None) -> None:
    assert Client().get("/api/openapi.json").status_code == 200
    assert Client().get("/api/docs").status_code == 404
