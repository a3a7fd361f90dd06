"""The training pages (mounted under /office/training/)."""

from __future__ import annotations

from django.urls import path

from training import views_courses as courses
from training import views_records as records

app_name = "training"
urlpatterns = [
    path("", records.mine, name="mine"),
    path("sessions/", records.open_sessions, name="sessions"),
    path("courses/", courses.course_list, name="courses"),
    path("courses/new/", courses.course_create, name="course_create"),
    path("courses/<int:pk>/", courses.course_detail, name="course"),
    path("courses/<int:pk>/edit/", courses.course_edit, name="course_edit"),
    path("courses/<int:pk>/active/", courses.course_active, name="course_active"),
    path("courses/<int:pk>/sessions/new/", courses.session_create, name="session_create"),
    path("sessions/<int:pk>/", courses.session_detail, name="session"),
    path("sessions/<int:pk>/enrol/", courses.session_enrol, name="session_enrol"),
    path("sessions/<int:pk>/attendance/", courses.session_attendance, name="session_attendance"),
    path("enrolments/<int:pk>/cancel/", courses.enrolment_cancel, name="enrolment_cancel"),
    path("completions/", records.completion_list, name="completions"),
    path("completions/new/", records.completion_create, name="completion_create"),
    path("completions/<int:pk>/remove/", records.completion_remove, name="completion_remove"),
    path("compliance/", records.compliance_page, name="compliance"),
    path("compliance/pending/", records.noncompliant, name="noncompliant"),
    path("compliance/pending/export/", records.noncompliant_export, name="noncompliant_export"),
    path("compliance/remind/", records.remind, name="remind"),
]
