"""The incentive pages (rewards/views_incentives.py), mounted with the rounds' under
/office/rewards/ (namespace "rewards")."""

from __future__ import annotations

from django.urls import path

from rewards import views_incentives as views

urlpatterns = [
    path("incentives/", views.incentive_list, name="incentives"),
    path("incentives/<int:pk>/", views.incentive_detail, name="incentive"),
    path("incentives/<int:pk>/execute/", views.incentive_execute, name="incentive_execute"),
    path("incentives/<int:pk>/cancel/", views.incentive_cancel, name="incentive_cancel"),
    path("candidates/<int:pk>/incentives/new/", views.incentive_plan, name="incentive_plan"),
    path("candidates/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("commendations/", views.commendations, name="commendations"),
    path("rounds/<int:pk>/report.xlsx", views.round_report_xlsx, name="round_report_xlsx"),
    path("rounds/<int:pk>/report.pdf", views.round_report_pdf, name="round_report_pdf"),
    path("reports/<int:year>.xlsx", views.year_report_xlsx, name="year_report_xlsx"),
    path("reports/<int:year>.pdf", views.year_report_pdf, name="year_report_pdf"),
]
