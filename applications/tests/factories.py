"""Helpers for application tests."""

from __future__ import annotations

from typing import Any

from applications import services
from applications.models import Application
from core.access import Actor, actor_for
from tests.cast import Cast


def submit(institution: Any, **kwargs: Any) -> tuple[Application, str]:
    values: dict[str, Any] = {
        "form_token": services.new_form_token(),
        "institution": institution,
        "refused_request": "상가 앞 보도에 접이식 경사로를 두겠다고 신청했습니다.",
        "refusal_reason": "도로 점용으로 볼지 규정이 불명확하다며 거부했습니다.",
        "request": "점용허가 없이 둘 수 있게 해 주십시오.",
        "applicant_name": "이도윤",
        "applicant_email": "applicant@example.com",
    }
    values.update(kwargs)
    application, code = services.submit_application(**values)
    assert code is not None
    return application, code


def actor(cast: Cast, name: str) -> Actor:
    return actor_for(cast.users[name])


def reviewing(cast: Cast, **kwargs: Any) -> Application:
    application, _code = submit(cast.district, **kwargs)
    return services.start(actor=actor(cast, "aa_officer"), application=application)
