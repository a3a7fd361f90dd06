"""Helpers for report tests."""

from __future__ import annotations

from typing import Any

from reports import services
from reports.models import Report


def submit(institution: Any, **kwargs: Any) -> tuple[Report, str]:
    values: dict[str, Any] = {
        "form_token": services.new_form_token(),
        "institution": institution,
        "kind": Report.Kind.NEGLECT,
        "what": "민원을 석 달째 처리하지 않습니다.",
    }
    values.update(kwargs)
    report, code = services.submit_report(**values)
    assert code is not None
    return report, code
