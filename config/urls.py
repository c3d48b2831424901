from django.contrib import admin
from django.urls import include, path

from config.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("reports/", include("factories.urls")),
    path("standings/", include("standings.urls")),
    path("sites/", include("regional.sites.urls")),
    path("", include("regional.urls")),
]
