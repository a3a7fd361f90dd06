"""The public pages of the library app (no account)."""

from __future__ import annotations

from django.urls import path

from library import portal_views

app_name = "portal_library"
urlpatterns = [
    path("", portal_views.library_list, name="list"),
    path("<int:pk>/", portal_views.library_detail, name="detail"),
    path("<int:pk>/images/<int:image_pk>/", portal_views.library_image, name="image"),
]
