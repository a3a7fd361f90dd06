"""The public pages of the applications app (no account)."""

from __future__ import annotations

from django.urls import path

from applications import portal_views as views

app_name = "portal_applications"
urlpatterns = [
    path("", views.start, name="start"),
    path("new/", views.new, name="new"),
    path("receipt/", views.confirm_receipt, name="confirm_receipt"),
    path("done/", views.done, name="done"),
]
