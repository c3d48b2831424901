from django.urls import path

from regional.sites import views

app_name = "sites"

urlpatterns = [
    path("", views.board, name="board"),
    path("round/<int:year>/", views.board, name="board_year"),
    path("missing-facts/", views.missing_facts, name="missing_facts"),
    path("reviews/", views.review_index, name="review_index"),
    path("reviews/national/", views.review_generate, name="review_generate"),
    path("reviews/documents/<int:pk>/", views.review_document, name="review_document"),
    path("reviews/<int:year>/<str:period>/<str:scope>/", views.review_detail, name="review_detail"),
    path("<slug:slug>/", views.site_detail, name="site_detail"),
]
