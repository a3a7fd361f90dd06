"""The office pages of the contests app."""

from __future__ import annotations

from django.urls import path

from contests import views

app_name = "contests"
urlpatterns = [
    path("", views.contest_list, name="list"),
    path("new/", views.contest_create, name="create"),
    path("<int:pk>/", views.contest_detail, name="detail"),
    path("<int:pk>/edit/", views.contest_edit, name="edit"),
    path("<int:pk>/act/<str:action>/", views.contest_act, name="act"),
    path("<int:pk>/entries/", views.entry_add, name="entry_add"),
    path("<int:pk>/entries/<int:entry_pk>/remove/", views.entry_remove, name="entry_remove"),
    path("<int:pk>/judges/", views.judges, name="judges"),
    path("<int:pk>/judges/<int:judge_pk>/remove/", views.judge_remove, name="judge_remove"),
    path("<int:pk>/preliminary/", views.preliminary, name="preliminary"),
    path("<int:pk>/finalists/", views.finalists, name="finalists"),
    path("<int:pk>/expert/", views.expert, name="expert"),
    path("<int:pk>/panel/", views.panel, name="panel"),
    path("<int:pk>/results/", views.results, name="results"),
    path("<int:pk>/grades/", views.grades, name="grades"),
]
