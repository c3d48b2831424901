from django.urls import path

from standings import views

app_name = "standings"

urlpatterns = [
    path("", views.national, name="national"),
    path("provinces/<str:code>/", views.province, name="province"),
    path("counties/<slug:slug>/", views.county, name="county"),
    path("runs/", views.runs, name="runs"),
    path("runs/<int:run_id>/counties/<slug:slug>/<str:target>/", views.trace, name="trace"),
    path("runs/compare/", views.run_compare, name="run_compare"),
    path("runs/recompute/", views.recompute, name="recompute"),
    path("runs/progress/", views.recompute_progress, name="recompute_progress"),
]
