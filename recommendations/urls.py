"""The office (staff) pages of the recommendations app."""

from __future__ import annotations

from django.urls import path

from recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:name>/", views.action, name="action"),
]
