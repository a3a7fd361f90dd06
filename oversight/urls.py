"""The oversight pages (ADR 0024). Who may use each: see the view's @access."""

from django.urls import path

from oversight import views

app_name = "oversight"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("figures/<str:key>/", views.drill, name="drill"),
    path("institutions/", views.comparison, name="comparison"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/progress/", views.report_progress, name="report_progress"),
    path("reports/<int:pk>/<str:fmt>/", views.report_file, name="report_file"),
]
