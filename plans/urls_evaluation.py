"""The year-end evaluation's pages (plans/views_evaluation.py), mounted with the plan's under
/office/plans/ (namespace "plans")."""

from __future__ import annotations

from django.urls import path

from plans import views_evaluation as views

urlpatterns = [
    path("<int:pk>/evaluation/", views.plan_evaluation, name="evaluation"),
    path("<int:pk>/evaluation/start/", views.evaluation_start, name="evaluation_start"),
    path("<int:pk>/evaluation/correct/", views.evaluation_correct, name="evaluation_correct"),
    path("evaluations/<int:pk>/", views.evaluation_version, name="evaluation_version"),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation_edit"),
    path("evaluations/<int:pk>/do/<slug:name>/", views.evaluation_action, name="evaluation_action"),
    path("evaluations/<int:pk>/pdf/", views.evaluation_pdf, name="evaluation_pdf"),
]
