from django.urls import path

from . import catalogue, views

app_name = "public"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("certifications/<str:code>/", views.certification, name="certification"),
    path("certifications/<str:code>/case.json", views.certification_case, name="certification_case"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
    path("certifications/<str:code>/ou-suivre/", catalogue.catalogue, name="catalogue"),
    path("certifications/<str:code>/ou-suivre/<int:pk>/", catalogue.catalogue_session, name="catalogue_session"),
    path("certifications/<str:code>/ou-suivre/lheo.xml", catalogue.catalogue_lheo, name="catalogue_lheo"),
]
