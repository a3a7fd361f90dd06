"""URLs of the committee's meetings pages (included by committee/urls.py under the committee namespace)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
