"""The office (staff) pages of the reports app."""

from __future__ import annotations

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.queue_view, name="queue"),
    path("transfers/", views.transfers_view, name="transfers"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:name>/", views.action, name="action"),
]
