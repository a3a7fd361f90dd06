"""The public pages of the recommendations app (no account)."""

from __future__ import annotations

from django.urls import path

from recommendations import portal_views as views

app_name = "portal_recommendations"
urlpatterns = [
    path("", views.start, name="start"),
    path("new/", views.new, name="new"),
    path("receipt/", views.confirm_receipt, name="confirm_receipt"),
    path("done/", views.done, name="done"),
    path("follow/answer/", views.follow_answer, name="follow_answer"),
    path("follow/file/", views.follow_file, name="follow_file"),
]
