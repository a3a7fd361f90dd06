"""notify_once: notify for a task that may run more than once (issue 8: a new report's
routing runs as a task, and a retried task must tell nobody twice)."""

from __future__ import annotations

import pytest

from core.models import Notification
from core.notifications import notify, notify_once
from tests.cast import Cast

pytestmark = pytest.mark.django_db


def test_whoever_has_it_already_is_left_out(cast: Cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    people = [cast.aa_officer, cast.audit_staff]
    same = {"title": "신고 접수: 1", "url": "/office/reports/1/", "institution": cast.district}
    with django_capture_on_commit_callbacks(execute=True):
        first = notify_once(recipients=people[:1], **same)
        second = notify_once(recipients=people, **same)
        third = notify_once(recipients=people, **same)
    assert [n.recipient for n in first] == [cast.aa_officer]
    assert [n.recipient for n in second] == [cast.audit_staff]
    assert third == []
    assert sorted(Notification.objects.values_list("recipient__username", flat=True)) == ["aa_officer", "audit_staff"]


def test_another_title_link_or_institution_is_another_notification(cast: Cast) -> None:
    base = {"recipients": [cast.aa_officer], "title": "신고 접수: 1", "url": "/office/reports/1/"}
    notify_once(**base, institution=cast.district)
    assert len(notify_once(**{**base, "title": "신고 접수: 2"}, institution=cast.district)) == 1
    assert len(notify_once(**{**base, "url": "/office/reports/2/"}, institution=cast.district)) == 1
    assert len(notify_once(**base, institution=cast.other)) == 1
    assert len(notify_once(**base, institution=None)) == 1
    assert len(notify_once(**base, institution=None)) == 0
    assert Notification.objects.count() == 5


def test_notify_itself_still_notifies_every_time(cast: Cast) -> None:
    """notify keeps its behaviour: a message sent twice is two notifications."""
    for _ in range(2):
        notify(recipients=[cast.aa_officer], title="신고인이 메시지를 보냈습니다: 1", institution=cast.district)
    assert Notification.objects.count() == 2


def test_inactive_and_repeated_recipients_as_notify(cast: Cast) -> None:
    cast.audit_staff.is_active = False
    cast.audit_staff.save()
    made = notify_once(recipients=[cast.aa_officer, cast.aa_officer, cast.audit_staff], title="t")
    assert [n.recipient for n in made] == [cast.aa_officer]
