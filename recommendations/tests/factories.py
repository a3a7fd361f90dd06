"""Helpers for recommendation tests."""

from __future__ import annotations

from typing import Any

from recommendations import services
from recommendations.models import Recommendation


def submit(institution: Any, **kwargs: Any) -> tuple[Recommendation, str]:
    values: dict[str, Any] = {
        "form_token": services.new_form_token(),
        "institution": institution,
        "nominee_name": "official",
        "unit_name": "건축과",
        "what": "여러 번 방문해야 하던 건축 신고를 한 번에 끝나도록 바꾸었습니다.",
        "effect": "처리 기간이 열흘에서 사흘로 줄었습니다.",
        "recommender_name": "김추천",
        "recommender_email": "rec@example.com",
    }
    values.update(kwargs)
    rec, code = services.submit_recommendation(**values)
    assert code is not None
    return rec, code
