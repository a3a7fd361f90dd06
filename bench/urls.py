from __future__ import annotations

from django.urls import path

from bench import views

app_name = "bench"
urlpatterns = [
    path("write/", views.write_one_row, name="write"),
    path("floor/", views.write_like_the_form, name="floor"),
]
