"""The pages of the lessons app: the casebook (every official) and the audit unit's office."""

from __future__ import annotations

from django.urls import path

from lessons import views

app_name = "lessons"
urlpatterns = [
    path("", views.casebook, name="casebook"),
    path("<int:pk>/", views.read, name="read"),
    path("office/", views.office_list, name="office"),
    path("office/prepare/", views.prepare, name="prepare"),
    path("office/prepare/<int:report_pk>/", views.start, name="start"),
    path("office/<int:pk>/", views.detail, name="detail"),
    path("office/<int:pk>/edit/", views.edit, name="edit"),
    path("office/<int:pk>/act/<slug:action>/", views.act, name="act"),
]
