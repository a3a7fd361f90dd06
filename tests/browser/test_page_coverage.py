"""Every page has a browser test: each non-API, non-admin URL that answers GET is mapped to
the browser test that visits it (and checks it with axe-core). A new URL without a browser
test fails here; so does a mapping to a test that no longer exists or no longer names the URL.

A module's browser test file may also declare its own mappings, so modules do not edit one
shared table: ``COVERS = {"consultations:list": "test_function_name", ...}`` (URL name ->
a test function in that file) and ``POST_ONLY = {"consultations:submit": "official"}``.

URLs that are not pages are listed with the reason: POST-only actions (checked: they answer
405 to GET) and the health check. Runs in the fast suite (no browser needed)."""

from __future__ import annotations

import importlib
import inspect

import pytest
from django.test import Client
from django.urls import reverse

from tests.cast import build_cast
from tests.urlwalk import routes

SKIP_MODULE_PREFIXES = ("django.contrib.admin", "ninja.")  # the admin site and the API (own tests)

SHELL = "tests.browser.test_shell"
INSTITUTIONS = "tests.browser.test_pages_institutions"
REGISTER = "tests.browser.test_pages_register"
IMPORTS = "tests.browser.test_pages_imports"
SHARED = "tests.browser.test_pages_shared"
ACCOUNTS = "tests.browser.test_pages_accounts"

#: URL name -> the browser test ("module::function") that visits it.
COVERED_BY: dict[str, str] = {
    "portal:home": f"{SHELL}::test_portal_home_explains_active_administration",
    "office:home": f"{SHELL}::test_each_role_reaches_an_accessible_office_home",
    "set_language": f"{SHARED}::test_office_in_english_has_no_korean_left_in_headings_labels_or_buttons",
    # accounts
    "accounts:login": f"{SHELL}::test_login_page_is_accessible",
    "accounts:password_change": f"{ACCOUNTS}::test_password_change_refuses_a_wrong_current_password",
    "accounts:password_change_done": f"{ACCOUNTS}::test_password_change_refuses_a_wrong_current_password",
    "accounts:password_reset": f"{ACCOUNTS}::test_password_reset_by_mail_from_request_to_new_password",
    "accounts:password_reset_done": f"{ACCOUNTS}::test_password_reset_by_mail_from_request_to_new_password",
    "accounts:password_reset_confirm": f"{ACCOUNTS}::test_password_reset_by_mail_from_request_to_new_password",
    "accounts:password_reset_complete": f"{ACCOUNTS}::test_password_reset_by_mail_from_request_to_new_password",
    "accounts:otp_setup": f"{ACCOUNTS}::test_two_factor_setup_then_verification_at_the_next_sign_in",
    "accounts:otp_verify": f"{ACCOUNTS}::test_two_factor_setup_then_verification_at_the_next_sign_in",
    "accounts:tokens": f"{ACCOUNTS}::test_api_token_is_created_shown_once_and_revoked",
    "accounts:token_create": f"{ACCOUNTS}::test_api_token_is_created_shown_once_and_revoked",
    "accounts:token_revoke": f"{ACCOUNTS}::test_api_token_is_created_shown_once_and_revoked",
    # institutions
    "institutions:home": f"{INSTITUTIONS}::test_admin_manages_units_from_the_overview",
    "institutions:overview": f"{INSTITUTIONS}::test_admin_manages_units_from_the_overview",
    "institutions:units": f"{INSTITUTIONS}::test_admin_manages_units_from_the_overview",
    "institutions:unit_create": f"{INSTITUTIONS}::test_admin_manages_units_from_the_overview",
    "institutions:unit_edit": f"{INSTITUTIONS}::test_admin_manages_units_from_the_overview",
    "institutions:unit_deactivate": f"{INSTITUTIONS}::test_admin_manages_units_from_the_overview",
    "institutions:people": f"{INSTITUTIONS}::test_people_list_filters_without_reloading",
    "institutions:person_create": f"{INSTITUTIONS}::test_admin_takes_a_person_from_hiring_to_retirement",
    "institutions:person_detail": f"{INSTITUTIONS}::test_admin_takes_a_person_from_hiring_to_retirement",
    "institutions:person_edit": f"{INSTITUTIONS}::test_admin_takes_a_person_from_hiring_to_retirement",
    "institutions:person_retire": f"{INSTITUTIONS}::test_admin_takes_a_person_from_hiring_to_retirement",
    "institutions:account_create": f"{INSTITUTIONS}::test_admin_takes_a_person_from_hiring_to_retirement",
    "institutions:role_assign": f"{INSTITUTIONS}::test_admin_takes_a_person_from_hiring_to_retirement",
    "institutions:role_end": f"{INSTITUTIONS}::test_admin_takes_a_person_from_hiring_to_retirement",
    "institutions:policy": f"{INSTITUTIONS}::test_policy_error_is_announced_next_to_its_field",
    "institutions:list": f"{INSTITUTIONS}::test_superuser_registers_and_edits_institutions",
    "institutions:create": f"{INSTITUTIONS}::test_superuser_registers_and_edits_institutions",
    "institutions:edit": f"{INSTITUTIONS}::test_superuser_registers_and_edits_institutions",
    "institutions:subordinates": f"{INSTITUTIONS}::test_supervisor_sees_the_institutions_below",
    # register
    "register:list": f"{REGISTER}::test_register_list_filters_with_htmx_and_searches_in_korean",
    "register:detail": f"{REGISTER}::test_register_entry_shows_its_fields_and_history",
    "register:create": f"{REGISTER}::test_register_entry_is_created_and_edited_with_errors_shown_by_their_fields",
    "register:edit": f"{REGISTER}::test_register_entry_is_created_and_edited_with_errors_shown_by_their_fields",
    "register:export": f"{REGISTER}::test_register_export_downloads_the_filtered_list_as_xlsx",
    # shared
    "core:notifications": f"{SHARED}::test_notifications_are_read_one_by_one_and_all_at_once",
    "core:notification_count": f"{SHARED}::test_notifications_are_read_one_by_one_and_all_at_once",
    "core:overdue": f"{SHARED}::test_overdue_and_due_soon_deadlines_are_listed",
    "core:attachment_download": f"{SHARED}::test_attachment_downloads_only_for_those_who_see_the_case",
    # imports
    "imports:upload": f"{IMPORTS}::test_upload_page_of_each_kind_explains_the_columns_and_refuses_no_file",
    "imports:template": f"{IMPORTS}::test_upload_page_of_each_kind_explains_the_columns_and_refuses_no_file",
    "imports:job": f"{IMPORTS}::test_import_of_a_csv_with_a_bad_row_from_upload_to_rejected_rows",
    "imports:progress": f"{IMPORTS}::test_import_of_a_csv_with_a_bad_row_from_upload_to_rejected_rows",
    "imports:rejected": f"{IMPORTS}::test_import_of_a_csv_with_a_bad_row_from_upload_to_rejected_rows",
}

#: POST-only actions -> a cast member allowed to use them (GET must answer 405).
POST_ONLY: dict[str, str] = {
    "accounts:logout": "official",
    "institutions:unit_activate": "admin",
    "institutions:account_password_link": "admin",
    "core:notification_read": "official",
    "core:notifications_read_all": "official",
    "imports:start": "aa_officer",
    "imports:cancel": "aa_officer",
}

#: URLs that are not pages at all, with the reason.
NOT_PAGES: dict[str, str] = {
    "healthz": "JSON health check for the load balancer (core/tests)",
    "page_font": "a page's own woff2 font, not a page: the library pages fetch it in test_fonts.py (core/tests)",
    "api:not-found": "the API's JSON 404 for a path that matches no operation (api/tests)",
}


def _module_tables() -> tuple[dict[str, str], dict[str, str]]:
    """COVERS and POST_ONLY declared by the browser test modules themselves."""
    import pkgutil

    import tests.browser as package

    covers: dict[str, str] = {}
    post_only: dict[str, str] = {}
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("test_pages_"):
            continue
        module_name = f"{package.__name__}.{info.name}"
        module = importlib.import_module(module_name)
        for name, function in getattr(module, "COVERS", {}).items():
            if name in COVERED_BY or name in covers:
                raise AssertionError(f"{name} mapped twice")
            covers[name] = f"{module_name}::{function}"
        for name, username in getattr(module, "POST_ONLY", {}).items():
            if name in POST_ONLY or name in post_only:
                raise AssertionError(f"{name} listed twice")
            post_only[name] = username
    return covers, post_only


_MODULE_COVERS, _MODULE_POST_ONLY = _module_tables()
COVERED_BY.update(_MODULE_COVERS)
POST_ONLY.update(_MODULE_POST_ONLY)


def url_names() -> dict[str, str]:
    """URL name -> route of every URL a browser test must consider."""
    return {
        r.name: r.route
        for r in routes()
        if r.name and not r.module.startswith(SKIP_MODULE_PREFIXES) and not r.route.startswith("django-admin/")
    }


def test_every_page_is_visited_by_a_browser_test() -> None:
    names = set(url_names())
    accounted = set(COVERED_BY) | set(POST_ONLY) | set(NOT_PAGES)
    missing = sorted(names - accounted)
    assert not missing, (
        "URLs without a browser test (add one in tests/browser/test_pages_*.py and map it in "
        f"COVERED_BY, or list a POST-only action in POST_ONLY): {missing}"
    )
    stale = sorted(accounted - names)
    assert not stale, f"mapped URL names that no longer exist: {stale}"
    overlap = sorted(set(COVERED_BY) & (set(POST_ONLY) | set(NOT_PAGES)))
    assert not overlap, f"URL names listed twice: {overlap}"


@pytest.mark.parametrize(("name", "target"), sorted(COVERED_BY.items()))
def test_the_covering_browser_test_exists_and_names_the_url(name: str, target: str) -> None:
    module_name, function_name = target.split("::")
    module = importlib.import_module(module_name)
    function = getattr(module, function_name, None)
    assert callable(function), f"{target} does not exist"
    assert getattr(module, "pytestmark", None) is not None, f"{module_name} is not marked as a browser test"
    assert f'"{name}"' in inspect.getsource(function), f"{target} never names {name!r}"


@pytest.mark.django_db
def test_post_only_actions_refuse_get() -> None:
    cast = build_cast()
    wrong = {}
    for name, username in POST_ONLY.items():
        route = url_names()[name]
        kwargs = dict.fromkeys(_route_kwargs(route), 999999)
        client = Client()
        client.force_login(cast.users[username])
        status = client.get(reverse(name, kwargs=kwargs or None)).status_code
        if status != 405:
            wrong[name] = status
    assert not wrong, f"listed as POST-only but answer GET with: {wrong}"


def _route_kwargs(route: str) -> list[str]:
    import re

    return re.findall(r"<(?:\w+:)?(\w+)>", route)
