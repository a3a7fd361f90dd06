"""The action plan's office pages (mounted by plans/urls.py under /office/plans/)."""

from __future__ import annotations

from django.urls import path

from plans import views_plan as views

urlpatterns = [
    path("", views.plan_list, name="list"),
    path("new/", views.plan_create, name="create"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/revise/", views.plan_revise, name="revise"),
    path("versions/<int:pk>/", views.version_detail, name="version"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version_edit"),
    path("versions/<int:pk>/do/<slug:name>/", views.version_action, name="version_action"),
    path("versions/<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("tasks/<int:pk>/edit/", views.task_edit, name="task_edit"),
    path("tasks/<int:pk>/remove/", views.task_remove, name="task_remove"),
]
