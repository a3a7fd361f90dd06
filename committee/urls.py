from django.urls import path

from committee import views

app_name = "committee"
urlpatterns = [
    path("", views.pool, name="pool"),
    path("mine/", views.mine, name="mine"),
    path("members/new/", views.member_create, name="create"),
    path("members/<int:pk>/", views.member_detail, name="detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="edit"),
    path("members/<int:pk>/renew/", views.member_renew, name="renew"),
    path("members/<int:pk>/dismiss/", views.member_dismiss, name="dismiss"),
    path("members/<int:pk>/chair/", views.chair_designate, name="chair"),
]

from committee import urls_deliberation, urls_meetings, urls_requests  # noqa: E402

urlpatterns += urls_meetings.urlpatterns + urls_deliberation.urlpatterns + urls_requests.urlpatterns
