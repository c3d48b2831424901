from django.urls import path

from regional.sites import views

app_name = "sites"

urlpatterns = [
    path("", views.board, name="board"),
    path("round/<int:year>/", views.board, name="board_year"),
    path("missing-facts/", views.missing_facts, name="missing_facts"),
    path("<slug:slug>/", views.site_detail, name="site_detail"),
]
