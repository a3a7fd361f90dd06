"""URLs of the committee's requests pages (included by committee/urls.py under the committee namespace)."""

from __future__ import annotations

from django.urls import URLPattern, path

from committee import views_requests as views

urlpatterns: list[URLPattern] = [
    path("advice/", views.advice_request_queue, name="advice_request_queue"),
    path("advice/new/", views.advice_request_create, name="advice_request_create"),
    path("advice/mine/", views.advice_request_mine, name="advice_request_mine"),
    path("advice/<int:pk>/", views.advice_request_detail, name="advice_request_detail"),
    path("advice/<int:pk>/withdraw/", views.advice_request_withdraw, name="advice_request_withdraw"),
    path("advice/<int:pk>/schedule/", views.advice_request_schedule, name="advice_request_schedule"),
    path("advice/<int:pk>/outcome/", views.advice_request_outcome, name="advice_request_outcome"),
    path("items/<int:item_pk>/opinions/new/", views.opinion_record, name="opinion_record"),
    path("items/<int:item_pk>/opinions/audit/", views.audit_opinion_request, name="audit_opinion_request"),
    path("opinions/", views.opinion_queue, name="opinion_queue"),
    path("opinions/<int:pk>/submit/", views.audit_opinion_submit, name="audit_opinion_submit"),
    path("opinions/<int:pk>/extend/", views.audit_opinion_extend, name="audit_opinion_extend"),
    path("opinions/<int:pk>/withdraw/", views.opinion_request_withdraw, name="opinion_request_withdraw"),
]
