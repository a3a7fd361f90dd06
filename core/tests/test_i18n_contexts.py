"""Words used both as an action and as a state get their own English through a context."""

from __future__ import annotations

from django.template import engines
from django.utils import translation

from core.models import ImportJob


def render(source: str) -> str:
    return engines["django"].from_string("{% load i18n %}" + source).render({})


def test_cancel_button_and_cancelled_status_differ_in_english() -> None:
    with translation.override("en"):
        assert render('{% translate "취소" %}') == "Cancel"
        assert str(ImportJob.Status.CANCELLED.label) == "Cancelled"
    with translation.override("ko"):
        assert str(ImportJob.Status.CANCELLED.label) == "취소"


def test_issue_button_and_issued_column_differ_in_english() -> None:
    with translation.override("en"):
        assert render('{% translate "발급" %}') == "Issue"
        assert render('{% translate "발급" context "column" %}') == "Issued"


def test_end_link_and_ended_state_differ_in_english() -> None:
    with translation.override("en"):
        assert render('{% translate "종료" %}') == "End"
        assert render('{% translate "종료" context "state" %}') == "Ended"
