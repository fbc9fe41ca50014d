from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("certifications/<str:code>/", views.certification, name="certification"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
]
