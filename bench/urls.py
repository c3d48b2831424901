"""Bench-only URLconf: the whole application plus the baseline views. Never included by config.urls."""

from django.urls import include, path

from bench.views import baseline_reports, baseline_run_standings

urlpatterns = [
    path("bench-baseline/reports/", baseline_reports),
    path("bench-baseline/standings/runs/<int:run_id>/standings/", baseline_run_standings),
    path("", include("config.urls")),
]
