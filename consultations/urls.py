from django.urls import path

from consultations import views

app_name = "consultations"
urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("queue/", views.consultation_queue, name="queue"),
    path("new/", views.consultation_create, name="create"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/edit/", views.consultation_edit, name="edit"),
    path("<int:pk>/files/", views.consultation_attach, name="attach"),
    path("<int:pk>/opinion.pdf", views.opinion_pdf, name="opinion_pdf"),
    path("<int:pk>/act/<slug:action>/", views.consultation_act, name="act"),
    path(
        "<int:pk>/presumptions/<int:presumption_pk>/exception/",
        views.presumption_exception,
        name="presumption_exception",
    ),
]
