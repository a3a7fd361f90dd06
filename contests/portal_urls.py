"""The public pages of the contests app (no account)."""

from __future__ import annotations

from django.urls import path

from contests import portal_views as views

app_name = "portal_contests"
urlpatterns = [
    path("", views.contest_list, name="list"),
    path("<int:pk>/", views.contest_detail, name="detail"),
    path("<int:pk>/code/", views.request_code, name="request_code"),
    path("<int:pk>/vote/", views.vote, name="vote"),
    path("<int:pk>/done/", views.done, name="done"),
]
