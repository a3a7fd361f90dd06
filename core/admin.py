"""Admin pages for the shared plumbing: all read-only.

Services are the only writers (they check the rules and write the audit log), so the
admin only looks: the audit log above all can never be added to, changed or deleted here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from core.models import Attachment, AuditEntry, Deadline, Notification


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "institution", "actor_label", "action", "target_type", "target_id", "target_label"]
    list_filter = ["action", "target_type"]
    search_fields = ["actor_label", "action", "target_label", "target_id"]
    list_select_related = ["institution"]
    date_hierarchy = "created_at"
    show_full_result_count = False
    ordering = ["-created_at"]


@admin.register(Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = [
        "label",
        "institution",
        "kind",
        "starts_on",
        "due_on",
        "extension_count",
        "closed_at",
        "closed_late",
    ]
    list_filter = ["kind", "closed_late"]
    search_fields = ["label"]
    list_select_related = ["institution"]
    date_hierarchy = "due_on"
    show_full_result_count = False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "recipient", "title", "read_at", "email_status", "emailed_at"]
    list_filter = ["email_status"]
    search_fields = ["title", "recipient__username"]
    list_select_related = ["recipient"]
    show_full_result_count = False
    ordering = ["-created_at"]


@admin.register(Attachment)
class AttachmentAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "institution", "filename", "mime_type", "size", "purpose", "uploaded_by"]
    list_filter = ["mime_type"]
    search_fields = ["filename", "sha256"]
    list_select_related = ["institution", "uploaded_by"]
    show_full_result_count = False
    exclude = ["file", "clean_file"]  # files are served only through the permission-checked view
    ordering = ["-created_at"]
