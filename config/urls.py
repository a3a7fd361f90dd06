from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from api.main import api
from core.access import PUBLIC, access
from core.views import healthz, page_font

handler500 = "core.unavailable.server_error"

urlpatterns = [
    path("i18n/setlang/", access(PUBLIC)(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("fonts/<str:token>.woff2", page_font, name="page_font"),
    path("accounts/", include("accounts.urls")),
    path("office/", include("office.urls")),
    path("office/institutions/", include("institutions.urls")),
    path("office/register/", include("register.urls")),
    path("office/consultations/", include("consultations.urls")),
    path("office/exemptions/", include("exemptions.urls")),
    path("office/protection/", include("protection.urls")),
    path("office/committee/", include("committee.urls")),
    path("office/reports/", include("reports.urls")),
    path("office/library/", include("library.urls")),
    path("office/recommendations/", include("recommendations.urls")),
    path("office/applications/", include("applications.urls")),
    path("office/lessons/", include("lessons.urls")),
    path("office/contests/", include("contests.urls")),
    path("office/rewards/", include("rewards.urls")),
    path("office/plans/", include("plans.urls")),
    path("office/training/", include("training.urls")),
    path("office/oversight/", include("oversight.urls")),
    path("office/shared/", include("core.urls")),
    path("office/imports/", include("core.import_urls")),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
    path("report/", include("reports.portal_urls")),
    path("cases/", include("library.portal_urls")),
    path("recommend/", include("recommendations.portal_urls")),
    path("apply/", include("applications.portal_urls")),
    path("contests/", include("contests.portal_urls")),
    path("", include("portal.urls")),
]

if settings.BENCH_VIEWS:  # the benchmark's baseline view (bench/views.py), never in production
    urlpatterns.insert(0, path("bench/", include("bench.urls")))
