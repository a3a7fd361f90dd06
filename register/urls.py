from django.urls import path

from register import views

app_name = "register"
urlpatterns = [
    path("", views.work_item_list, name="list"),
    path("export.xlsx", views.work_item_export, name="export"),
    path("new/", views.work_item_create, name="create"),
    path("<int:pk>/", views.work_item_detail, name="detail"),
    path("<int:pk>/edit/", views.work_item_edit, name="edit"),
]
