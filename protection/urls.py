from django.urls import path  # noqa: F401

app_name = "protection"
urlpatterns: list = []  # type: ignore[type-arg]
