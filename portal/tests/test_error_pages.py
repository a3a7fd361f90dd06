"""Error pages keep the shell (404, CSRF) or stand alone (500), and say what to do."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from tests.cast import PASSWORD


def test_missing_page_is_a_404_inside_the_public_shell(db: None) -> None:
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "페이지를 찾을 수 없습니다" in content
    assert 'id="krds-header"' in content
    assert reverse("portal:home") in content


def test_404_offers_staff_the_way_back_to_the_office(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("official").get("/office/no-such-page/")
    assert response.status_code == 404
    assert f'href="{reverse("office:home")}"' in response.content.decode()


def test_500_page_renders_without_a_request() -> None:
    html = render_to_string("500.html")
    assert "일시적인 오류가 발생했습니다" in html
    assert "<script" not in html
    assert "vendor/krds/css/component/output.css" in html


def test_csrf_failure_explains_and_keeps_the_shell(cast) -> None:  # type: ignore[no-untyped-def]
    response = Client(enforce_csrf_checks=True).post(
        reverse("accounts:login"), {"username": "official", "password": PASSWORD}
    )
    assert response.status_code == 403
    content = response.content.decode()
    assert "CSRF" in content
    assert 'role="alert"' in content
    assert 'id="krds-header"' in content
