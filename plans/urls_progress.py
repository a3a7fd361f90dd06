"""The progress pages (plans/views_progress.py), mounted with the plan's under /office/plans/
(namespace "plans")."""

from __future__ import annotations

from django.urls import path

from plans import views_progress as views

urlpatterns = [
    path("progress/", views.overview, name="progress"),
    path("progress/mine/", views.mine, name="progress_mine"),
    path("progress/<int:pk>/", views.detail, name="report"),
    path("progress/<int:pk>/submit/", views.submit, name="report_submit"),
    path("progress/<int:pk>/review/", views.review, name="report_review"),
    path("progress/<int:pk>/return/", views.return_, name="report_return"),
    path("progress/<int:pk>/files/<int:file_pk>/", views.evidence, name="report_evidence"),
]
