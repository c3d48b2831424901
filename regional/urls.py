from django.contrib.auth import views as auth_views
from django.urls import path

from regional import views
from regional.search import views as search_views

urlpatterns = [
    path("", views.home, name="home"),
    path("programme/", views.programme, name="programme"),
    path("schedule/", views.schedule, name="schedule"),
    path("counties/", views.county_list, name="county_list"),
    path("search/", search_views.search, name="search"),
    path("counties/<slug:slug>/", views.county_detail, name="county_detail"),
    path("provinces/<str:code>/", views.province_detail, name="province_detail"),
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
