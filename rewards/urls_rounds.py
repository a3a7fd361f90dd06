"""The selection rounds' office pages (mounted by rewards/urls.py under /office/rewards/)."""

from __future__ import annotations

from django.urls import path

from rewards import views_rounds as views

urlpatterns = [
    path("", views.round_list, name="rounds"),
    path("rounds/new/", views.round_create, name="round_create"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("rounds/<int:pk>/do/<slug:name>/", views.round_action, name="round_action"),
    path("rounds/<int:pk>/nominate/<slug:source>/", views.nominate, name="nominate"),
    path("rounds/<int:pk>/recommendations/", views.recommendations, name="recommendations"),
    path("rounds/<int:pk>/recommendations/<int:rec_pk>/", views.pull, name="pull"),
    path("rounds/<int:pk>/contests/", views.contest_entries, name="contest_entries"),
    path("rounds/<int:pk>/contests/<int:entry_pk>/", views.pull_contest, name="pull_contest"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate"),
    path("candidates/<int:pk>/do/<slug:name>/", views.candidate_action, name="candidate_action"),
    path("candidates/<int:pk>/score/", views.score, name="score"),
    path("nominations/<int:pk>/files/<int:file_pk>/", views.evidence, name="evidence"),
]
