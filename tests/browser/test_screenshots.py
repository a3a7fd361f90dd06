"""Screenshots of the two shells for the README (docs/img): PROACTIVE_SCREENSHOTS=1."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.models import Deadline, Notification
from tests.cast import Cast

pytestmark = pytest.mark.browser

IMAGES = Path(__file__).resolve().parents[2] / "docs" / "img"


def _sample_work(cast: Cast) -> None:
    """A few notifications and deadlines, so that the start page shows what it is for."""
    user = cast.aa_officer
    assert user.person is not None
    user.person.name = "김하늘"
    user.person.save(update_fields=["name"])
    titles = [
        "업무 등록부 가져오기가 끝났습니다: 2026년 인허가 업무 340건",
        "역할이 지정되었습니다: 적극행정 책임관(감사관)",
        "처리기한이 2근무일 남았습니다: 공공건축물 리모델링 인허가",
    ]
    for title in titles:
        Notification.objects.create(recipient=user, institution=cast.district, title=title)
    today = timezone.localdate()
    content_type = ContentType.objects.get_for_model(Notification)
    cases = [
        ("공공건축물 리모델링 인허가 절차", -1),
        ("도로점용 허가 갱신", 0),
        ("도로 긴급 보수 계약", 4),
        ("지역축제 안전관리 용역", 9),
    ]
    for number, (label, days) in enumerate(cases, start=1):
        Deadline.objects.create(
            institution=cast.district,
            unit=cast.audit_unit,
            content_type=content_type,
            object_id=number,
            kind="review",
            label=label,
            starts_on=today - datetime.timedelta(days=10),
            working_days=10,
            due_on=today + datetime.timedelta(days=days),
        )


@pytest.mark.skipif(os.environ.get("PROACTIVE_SCREENSHOTS") != "1", reason="set PROACTIVE_SCREENSHOTS=1")
def test_screenshots_of_office_and_portal(cast: Cast, page, login, live_url) -> None:  # type: ignore[no-untyped-def]
    IMAGES.mkdir(parents=True, exist_ok=True)
    _sample_work(cast)
    page.goto(live_url("portal:home"))
    page.screenshot(path=str(IMAGES / "portal.png"))
    login(page, "aa_officer")
    page.goto(live_url("office:home"))
    page.screenshot(path=str(IMAGES / "office.png"))
    assert (IMAGES / "office.png").stat().st_size > 10_000
    assert (IMAGES / "portal.png").stat().st_size > 10_000
