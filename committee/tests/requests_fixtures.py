"""Advice requests, linked items and opinions for the requests part's tests."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from committee.models import AdviceRequest, AgendaItem, Meeting, Opinion
from committee.services import opinions, requests
from committee.tests.factories import AgendaItemFactory, MeetingFactory
from core import audit
from core.access import actor_for
from tests.cast import Cast


def submit(cast: Cast, who: str = "official", **overrides: Any) -> AdviceRequest:
    values: dict[str, Any] = {
        "title": "가설 울타리의 도로점용 해당 여부",
        "task": "공사장 가설 울타리가 보도 일부를 차지합니다.",
        "rule": "도로법 제61조의 점용에 임시 가설물이 포함되는지 불분명합니다.",
        "options": "1안 허가, 2안 허가 없이 처리",
        **overrides,
    }
    return requests.advice_request_submit(actor=actor_for(cast.users[who]), **values)


def meeting(cast: Cast, **overrides: Any) -> Meeting:
    return MeetingFactory(institution=cast.district, **overrides)  # type: ignore[no-any-return]


def linked_item(cast: Cast, case: Any, kind: str = AgendaItem.Kind.ADVICE, **overrides: Any) -> AgendaItem:
    """An item linked to the case directly (the meeting part's `item_add` does it for real)."""
    values: dict[str, Any] = {
        "meeting": overrides.pop("meeting", None) or meeting(cast),
        "kind": kind,
        "case_type": ContentType.objects.get_for_model(case),
        "case_id": case.pk,
        **overrides,
    }
    return AgendaItemFactory(**values)  # type: ignore[no-any-return]


def on_agenda(cast: Cast, **overrides: Any) -> tuple[AdviceRequest, AgendaItem]:
    request = submit(cast, **overrides)
    item = linked_item(cast, request)
    requests.on_agenda(actor_for(cast.secretary), request, item)
    return request, item


def decide(item: AgendaItem, result: str, resolution: str = "", on: datetime.date | None = None) -> AgendaItem:
    """What the deliberation part sets before it calls the link's on_result."""
    item.status = AgendaItem.Status.DECIDED
    item.result = result
    item.resolution = resolution
    day = on or timezone.localdate()
    item.decided_at = datetime.datetime(day.year, day.month, day.day, 3, tzinfo=datetime.UTC)
    item.save()
    return item


def advised(cast: Cast, advice: str = "허가 없이 처리할 수 있음", **overrides: Any) -> AdviceRequest:
    request, item = on_agenda(cast, **overrides)
    decide(item, AgendaItem.Result.ADOPTED, advice)
    requests.on_result(actor_for(cast.secretary), request, item)
    request.refresh_from_db()
    return request


def item(cast: Cast, **overrides: Any) -> AgendaItem:
    return AgendaItemFactory(meeting=overrides.pop("meeting", None) or meeting(cast), **overrides)  # type: ignore[no-any-return]


def audit_request(cast: Cast, on: AgendaItem | None = None, note: str = "감사 관점의 의견을 주십시오.") -> Opinion:
    return opinions.audit_opinion_request(actor=actor_for(cast.secretary), item=on or item(cast), request_note=note)


def entries(obj: Any, action: str) -> int:
    """How many audit entries of this action the object has."""
    return audit.timeline(obj).filter(action=action).count()
