from django.urls import path

from institutions import views

app_name = "institutions"
urlpatterns = [
    path("", views.home, name="home"),
    path("all/", views.institution_list, name="list"),
    path("new/", views.institution_create, name="create"),
    path("subordinates/", views.subordinates, name="subordinates"),
    path("<int:pk>/", views.overview, name="overview"),
    path("<int:pk>/edit/", views.institution_edit, name="edit"),
    path("<int:pk>/units/", views.units, name="units"),
    path("<int:pk>/units/new/", views.unit_create, name="unit_create"),
    path("<int:pk>/units/<int:unit_pk>/edit/", views.unit_edit, name="unit_edit"),
    path("<int:pk>/units/<int:unit_pk>/deactivate/", views.unit_deactivate, name="unit_deactivate"),
    path("<int:pk>/units/<int:unit_pk>/activate/", views.unit_activate, name="unit_activate"),
    path("<int:pk>/people/", views.people, name="people"),
    path("<int:pk>/people/new/", views.person_create, name="person_create"),
    path("<int:pk>/people/<int:person_pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/people/<int:person_pk>/edit/", views.person_edit, name="person_edit"),
    path("<int:pk>/people/<int:person_pk>/retire/", views.person_retire, name="person_retire"),
    path("<int:pk>/people/<int:person_pk>/account/", views.account_create, name="account_create"),
    path(
        "<int:pk>/people/<int:person_pk>/account/password-link/",
        views.account_password_link,
        name="account_password_link",
    ),
    path("<int:pk>/people/<int:person_pk>/roles/new/", views.role_assign, name="role_assign"),
    path("<int:pk>/roles/<int:assignment_pk>/end/", views.role_end, name="role_end"),
    path("<int:pk>/policy/", views.policy_edit, name="policy"),
]
