"""The shared bulk-import screens; included at office/imports/ (config/urls.py)."""

from django.urls import path

from core import import_views

app_name = "imports"
urlpatterns = [
    path("jobs/<int:pk>/", import_views.job_page, name="job"),
    path("jobs/<int:pk>/progress/", import_views.progress, name="progress"),
    path("jobs/<int:pk>/start/", import_views.start, name="start"),
    path("jobs/<int:pk>/cancel/", import_views.cancel, name="cancel"),
    path("jobs/<int:pk>/rejected.xlsx", import_views.rejected, name="rejected"),
    path("<slug:kind>/", import_views.upload, name="upload"),
    path("<slug:kind>/template.xlsx", import_views.template, name="template"),
]
