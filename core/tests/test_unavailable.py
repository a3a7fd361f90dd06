"""A database out of reach for a moment answers 503 with Retry-After and a page that tells
the citizen what to do, never the generic error page (issue 9, ADR 0028)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, ProgrammingError
from django.test import Client, RequestFactory

from core.unavailable import is_unavailable, server_error


@pytest.mark.parametrize(
    ("error", "unavailable"),
    [
        (OperationalError("server closed the connection unexpectedly"), True),
        (OperationalError("terminating connection due to administrator command"), True),
        (OperationalError("database is locked"), True),
        (InterfaceError("connection already closed"), True),
        (OperationalError("no such table: reports_report"), False),  # a bug, not an outage
        (ProgrammingError("syntax error at or near"), False),
        (ValueError("x"), False),
        (None, False),
    ],
)
def test_which_errors_are_an_outage(error: BaseException | None, unavailable: bool) -> None:
    assert is_unavailable(error) is unavailable


def answer_to(error: BaseException) -> tuple[int, str, str]:
    request = RequestFactory().get("/")
    try:
        raise error
    except type(error):
        response = server_error(request)
    return response.status_code, response.get("Retry-After", ""), response.content.decode()


def test_an_outage_answers_503_with_retry_after_and_advice() -> None:
    status, retry, body = answer_to(OperationalError("database is locked"))
    assert (status, retry) == (503, "5")
    assert "다시 보내 주십시오" in body
    assert "database is locked" not in body


def test_any_other_error_keeps_the_500_page() -> None:
    status, retry, body = answer_to(OperationalError("no such table: x"))
    assert (status, retry) == (500, "")
    assert "일시적인 오류가 발생했습니다" in body


@pytest.mark.django_db
def test_a_request_during_an_outage_gets_the_503_page(cast) -> None:  # type: ignore[no-untyped-def]
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("connection refused")
    ):
        response = Client(raise_request_exception=False).get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "지금은 요청을 처리할 수 없습니다" in response.content.decode()
