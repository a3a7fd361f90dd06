from django.urls import path  # noqa: F401

app_name = "committee"
urlpatterns: list = []  # type: ignore[type-arg]
