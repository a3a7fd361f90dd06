"""The public corner's start page and the shell every page shares."""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.test import Client
from django.urls import reverse

URL = reverse("portal:home")


def test_anyone_may_read_the_portal_home(db: None) -> None:
    response = Client().get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1" in content
    assert "적극행정 국민코너" in content
    for service in ("소극행정 신고", "적극행정 우수사례", "처리 상황 확인", "기관 찾기"):
        assert service in content
    assert reverse("accounts:login") in content


def test_portal_has_no_staff_navigation(db: None) -> None:
    content = Client().get(URL).content.decode()
    assert "주 메뉴" not in content
    assert "mobile-nav" not in content
    assert "notification-bell" not in content


def test_signed_in_staff_get_a_link_back_to_the_office(cast, client_for) -> None:  # type: ignore[no-untyped-def]
    content = client_for("official").get(URL).content.decode()
    assert f'href="{reverse("office:home")}"' in content


def test_shell_loads_krds_with_the_csp_nonce_and_no_htmx_it_does_not_use(db: None) -> None:
    response = Client().get(URL)
    content = response.content.decode()
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)  # type: ignore[union-attr]
    scripts = re.findall(r"<script[^>]*>", content)
    assert scripts
    assert all(f'nonce="{nonce}"' in tag and "src=" in tag for tag in scripts)
    assert "vendor/htmx/htmx.min.js" not in content  # no hx- attribute here (office/tests/test_htmx_pages.py)
    assert "vendor/krds/css/component/output.css" in content
    assert "vendor/krds/fonts/pretendard-gov.css" in content
    assert "vendor/krds/js/ui-script.js" in content
    assert 'rel="preload"' not in content  # a preloaded whole font would undo the slicing


def test_shell_has_no_inline_styles_and_a_safe_htmx_config(db: None) -> None:
    content = Client().get(URL).content.decode()
    assert " style=" not in content
    assert "<style" not in content
    config = json.loads(re.search(r"<meta name=\"htmx-config\" content='([^']+)'>", content).group(1))  # type: ignore[union-attr]
    assert config["includeIndicatorStyles"] is False
    assert config["allowEval"] is False
    assert config["historyCacheSize"] == 0


def test_shell_sends_the_csrf_token_with_htmx_requests(db: None) -> None:
    client = Client()
    content = client.get(URL).content.decode()
    headers = json.loads(re.search(r"hx-headers='([^']+)'", content).group(1))  # type: ignore[union-attr]
    assert len(headers["X-CSRFToken"]) == 64
    assert settings.CSRF_COOKIE_NAME in client.cookies


def test_skip_link_leads_to_the_main_content(db: None) -> None:
    content = Client().get(URL).content.decode()
    assert '<a href="#main-content">본문 바로가기</a>' in content
    assert 'id="main-content"' in content
    assert content.index("본문 바로가기") < content.index("<header")


def test_language_choice_is_remembered_in_the_cookie(db: None) -> None:
    client = Client()
    response = client.post(reverse("set_language"), {"language": "en", "next": URL})
    assert response.status_code == 302
    assert response["Location"] == URL
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get(URL).content.decode()
    assert '<html lang="en">' in client.get(reverse("accounts:login")).content.decode()


def test_language_switch_form_posts_back_to_this_page(db: None) -> None:
    content = Client().get(URL + "?q=1").content.decode()
    assert f'action="{reverse("set_language")}"' in content
    assert 'name="next" value="/?q=1"' in content
    assert 'value="en" lang="en"' in content
    assert 'aria-current="true">한국어' in content
