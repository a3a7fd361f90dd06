"""The office (staff) pages of the library app."""

from __future__ import annotations

from django.urls import path

from library import views

app_name = "library"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("queue/", views.case_queue, name="queue"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/act/<str:action>/", views.case_act, name="act"),
    path("<int:pk>/images/", views.image_add, name="image_add"),
    path("<int:pk>/images/<int:image_pk>/remove/", views.image_remove, name="image_remove"),
]
