"""URLs of the committee's deliberation pages (included by committee/urls.py under the committee namespace)."""

from __future__ import annotations

from django.urls import URLPattern, path

from committee import views_deliberation as v

urlpatterns: list[URLPattern] = [
    path("items/<int:pk>/declare/", v.item_declare, name="item_declare"),
    path("items/<int:pk>/open/", v.item_open, name="item_open"),
    path("items/<int:pk>/vote/", v.item_vote, name="item_vote"),
    path("items/<int:pk>/decide/", v.item_decide, name="item_decide"),
    path("items/<int:pk>/challenges/", v.challenge_raise, name="challenge_raise"),
    path("challenges/<int:pk>/vote/", v.challenge_vote, name="challenge_vote"),
    path("challenges/<int:pk>/decide/", v.challenge_decide, name="challenge_decide"),
    path("meetings/<int:pk>/minutes.pdf", v.minutes_pdf, name="minutes_pdf"),
    path("meetings/<int:pk>/votes/", v.votes_export, name="votes_export"),
]
