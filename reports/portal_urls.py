"""The public pages of the reports app (no account)."""

from __future__ import annotations

from django.urls import path

from reports import portal_views as views

app_name = "portal_reports"
urlpatterns = [
    path("", views.start, name="start"),
    path("new/", views.new, name="new"),
    path("receipt/", views.confirm_receipt, name="confirm_receipt"),
    path("done/", views.done, name="done"),
    path("follow/message/", views.follow_message, name="follow_message"),
    path("follow/review/", views.follow_review, name="follow_review"),
    path("follow/file/", views.follow_file, name="follow_file"),
]
