from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from factories.analysis.views import county_map, pivot_explorer
from regional.notifications.views import set_language

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/", include("config.api_urls")),
    # Django's language switch, which also sets the language of the user's e-mails.
    path("i18n/setlang/", set_language, name="set_language"),
    path("notifications/", include("regional.notifications.urls")),
    path("reports/", include("factories.urls")),
    path("standings/", include("standings.urls")),
    path("factories/", include("factories.analysis.urls")),
    path("explore/", pivot_explorer, name="pivot"),
    path("explore/map/", county_map, name="map"),
    path("sites/", include("regional.sites.urls")),
    path("", include("regional.urls")),
]
