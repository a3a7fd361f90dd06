"""notify() and the e-mail task."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction

from core.models import Notification
from core.notifications import deliver_emails, is_relative_url, notify, stale_pending_ids, users_with_roles
from core.roles import Role
from core.tasks import send_notification_emails, send_stale_notification_emails


def test_notify_creates_rows_and_mails_on_commit(cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = notify(
            recipients=[cast.official, cast.aa_officer],
            title="사전컨설팅 의견이 나왔습니다",
            body="의견을 확인해 주십시오.",
            url="/office/consultations/1/",
            institution=cast.district,
        )
    assert len(rows) == 2
    assert len(callbacks) == 1
    assert mail.outbox == []  # nothing leaves before the commit
    assert set(Notification.objects.values_list("email_status", flat=True)) == {Notification.Email.PENDING}
    callbacks[0]()
    assert sorted(m.to[0] for m in mail.outbox) == ["aa_officer@example.go.kr", "official@example.go.kr"]
    message = mail.outbox[0]
    assert message.subject == "[적극행정] 사전컨설팅 의견이 나왔습니다"
    assert "의견을 확인해 주십시오." in message.body
    assert settings.SITE_URL.rstrip("/") + "/office/consultations/1/" in message.body
    assert "This message was sent automatically" in message.body
    assert set(Notification.objects.values_list("email_status", flat=True)) == {Notification.Email.SENT}


def test_rolled_back_notify_sends_nothing(cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                notify(recipients=[cast.official], title="t")
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_duplicates_and_inactive_users_are_left_out(cast) -> None:  # type: ignore[no-untyped-def]
    cast.official2.is_active = False
    cast.official2.save()
    rows = notify(recipients=[cast.official, cast.official, cast.official2], title="t", email=False)
    assert [n.recipient for n in rows] == [cast.official]


def test_email_false_marks_skipped_and_enqueues_nothing(cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notify(recipients=[cast.official], title="t", email=False)
    assert callbacks == []
    assert Notification.objects.get().email_status == Notification.Email.SKIPPED


def test_no_recipients_is_a_no_op(cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify(recipients=[], title="t") == []
    assert callbacks == []


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/x", "javascript:alert(1)", "relative/path"])
def test_only_local_paths_are_accepted(cast, url) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match="path on this site"):
        notify(recipients=[cast.official], title="t", url=url)
    assert not is_relative_url(url)


def test_recipient_without_address_is_skipped(cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    cast.official.email = ""
    cast.official.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[cast.official, cast.aa_officer], title="t")
    assert [m.to for m in mail.outbox] == [["aa_officer@example.go.kr"]]
    assert Notification.objects.get(recipient=cast.official).email_status == Notification.Email.SKIPPED


def test_task_is_idempotent(cast, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(recipients=[cast.official], title="t")
    ids = [n.pk for n in rows]
    assert len(mail.outbox) == 1
    result = send_notification_emails.enqueue(ids)
    assert result.return_value == {"sent": 0, "skipped": 0, "failed": 0}
    assert len(mail.outbox) == 1


def test_failed_send_is_marked_failed(cast, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    rows = notify(recipients=[cast.official], title="t")

    class Broken:
        def send_messages(self, messages):  # type: ignore[no-untyped-def]
            raise OSError("smtp down")

    monkeypatch.setattr("core.notifications.mailers", type("M", (), {"default": Broken()})())
    assert deliver_emails([rows[0].pk]) == {"sent": 0, "skipped": 0, "failed": 1}
    rows[0].refresh_from_db()
    assert rows[0].email_status == Notification.Email.FAILED
    assert rows[0].emailed_at is not None


def test_stale_pending_emails_are_swept(cast, time_machine) -> None:  # type: ignore[no-untyped-def]
    import datetime

    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC), tick=False)
    old = notify(recipients=[cast.official], title="lost task")[0]  # never committed -> task never ran
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 30, tzinfo=datetime.UTC), tick=False)
    fresh = notify(recipients=[cast.aa_officer], title="recent")[0]
    assert stale_pending_ids() == [old.pk]
    result = send_stale_notification_emails.enqueue()
    assert result.return_value == {"sent": 1, "skipped": 0, "failed": 0}
    assert [m.subject for m in mail.outbox] == ["[적극행정] lost task"]
    fresh.refresh_from_db()
    assert fresh.email_status == Notification.Email.PENDING


def test_users_with_roles(cast) -> None:  # type: ignore[no-untyped-def]
    found = set(
        users_with_roles(cast.district.pk, Role.AA_OFFICER, Role.AUDIT_STAFF).values_list("username", flat=True)
    )
    assert found == {"aa_officer", "audit_staff"}
    assert set(users_with_roles(cast.district.pk, Role.DEPT_HEAD, unit_id=cast.building.pk)) == {cast.dept_head}
    assert not users_with_roles(cast.district.pk, Role.DEPT_HEAD, unit_id=cast.planning.pk).exists()


def test_every_attempt_of_one_notification_carries_the_same_message_id(cast) -> None:  # type: ignore[no-untyped-def]
    """A worker that dies after handing the e-mail over but before marking it sent leaves the
    row pending; the sweep's second attempt carries the first one's Message-ID, so mail
    systems keep one copy."""
    first, second = notify(recipients=[cast.official, cast.aa_officer], title="t")
    deliver_emails([first.pk])
    Notification.objects.filter(pk=first.pk).update(email_status=Notification.Email.PENDING)
    deliver_emails([first.pk, second.pk])
    ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert ids[0] == ids[1] == f"<notification-{first.pk}@127.0.0.1>"
    assert ids[2] == f"<notification-{second.pk}@127.0.0.1>"
    assert mail.outbox[0].message()["Message-ID"] == ids[0]
