"""URLs of the committee's meetings pages (included by committee/urls.py under the committee namespace)."""

from __future__ import annotations

from django.urls import URLPattern, path

from committee import views_meetings as v

urlpatterns: list[URLPattern] = [
    path("meetings/", v.meetings, name="meetings"),
    path("meetings/new/", v.meeting_create, name="meeting_create"),
    path("meetings/mine/", v.my_meetings, name="my_meetings"),
    path("meetings/<int:pk>/", v.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", v.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/convene/", v.meeting_convene, name="meeting_convene"),
    path("meetings/<int:pk>/cancel/", v.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/close/", v.meeting_close, name="meeting_close"),
    path("meetings/<int:pk>/selection/", v.meeting_selection, name="meeting_selection"),
    path("meetings/<int:pk>/attendance/", v.attendance_record, name="attendance_record"),
    path("meetings/<int:pk>/respond/", v.attendance_respond, name="attendance_respond"),
    path("meetings/<int:pk>/items/new/", v.item_create, name="item_create"),
    path("items/<int:pk>/", v.item_detail, name="item_detail"),
    path("items/<int:pk>/edit/", v.item_edit, name="item_edit"),
    path("items/<int:pk>/withdraw/", v.item_withdraw, name="item_withdraw"),
    path("items/<int:pk>/move/", v.item_move, name="item_move"),
    path("items/<int:pk>/papers/", v.item_paper_add, name="item_paper_add"),
    path("members/<int:pk>/account/", v.member_account, name="member_account"),
]
