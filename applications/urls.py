"""The office (staff) pages of the applications app."""

from __future__ import annotations

from django.urls import path

from applications import views

app_name = "applications"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:name>/", views.action, name="action"),
]
