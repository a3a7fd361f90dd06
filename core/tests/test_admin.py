"""The admin shows the shared records read-only; the audit log above all."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

from core import audit
from core.access import SYSTEM
from core.models import Attachment, AuditEntry, Deadline, Notification


@pytest.fixture
def superuser(db):  # type: ignore[no-untyped-def]
    from accounts.models import User

    return User.objects.create_superuser("root", "root@example.go.kr", "test-password-123")


@pytest.mark.parametrize("model", [AuditEntry, Deadline, Notification, Attachment])
def test_registered_and_read_only(model, superuser) -> None:  # type: ignore[no-untyped-def]
    model_admin = admin.site._registry[model]
    request = RequestFactory().get("/")
    request.user = superuser
    assert model_admin.has_view_permission(request)
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_audit_log_pages_render_but_cannot_be_changed(superuser, cast) -> None:  # type: ignore[no-untyped-def]
    entry = audit.record(actor=SYSTEM, action="test.event", target=cast.district, reason="점검")
    client = Client()
    client.force_login(superuser)
    changelist = client.get(reverse("admin:core_auditentry_changelist"))
    assert changelist.status_code == 200
    assert "test.event" in changelist.content.decode()
    change = client.get(reverse("admin:core_auditentry_change", args=[entry.pk]))
    assert change.status_code == 200
    assert 'type="submit" value="저장"' not in change.content.decode()
    response = client.post(reverse("admin:core_auditentry_change", args=[entry.pk]), {"reason": "변조"})
    assert response.status_code == 403
    assert client.post(reverse("admin:core_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.reason == "점검"
    assert client.get(reverse("admin:core_auditentry_add")).status_code == 403


@pytest.mark.parametrize("name", ["deadline", "notification", "attachment"])
def test_changelists_render(superuser, name) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(superuser)
    assert client.get(reverse(f"admin:core_{name}_changelist")).status_code == 200
