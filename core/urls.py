from django.urls import path

from core import views

app_name = "core"
urlpatterns = [
    path("deadlines/overdue/", views.overdue, name="overdue"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/count/", views.notification_count, name="notification_count"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("files/<int:pk>/", views.attachment_download, name="attachment_download"),
]
