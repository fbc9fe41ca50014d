from django.urls import path

from . import views

app_name = "public"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("certifications/<str:code>/", views.certification, name="certification"),
    path("certifications/<str:code>/case.json", views.certification_case, name="certification_case"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
]
