from django.urls import path

from factories.analysis import views

urlpatterns = [
    path("<slug:code>/", views.factory_detail, name="factory_detail"),
]
