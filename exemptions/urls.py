from django.urls import path  # noqa: F401

app_name = "exemptions"
urlpatterns: list = []  # type: ignore[type-arg]
