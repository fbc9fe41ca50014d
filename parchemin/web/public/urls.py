from django.urls import path

from . import catalogue, enquete, parchemins, statistiques, views

app_name = "public"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("certifications/<str:code>/", views.certification, name="certification"),
    path("certifications/<str:code>/case.json", views.certification_case, name="certification_case"),
    path("certifications/<str:code>/chiffres/", statistiques.statistiques, name="statistiques"),
    path("certifications/<str:code>/chiffres.csv", statistiques.statistiques_csv, name="statistiques_csv"),
    path("enquete/<str:jeton>/", enquete.enquete, name="enquete"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("mentions-legales/", views.mentions_legales, name="mentions_legales"),
    path("certifications/<str:code>/ou-suivre/", catalogue.catalogue, name="catalogue"),
    path("certifications/<str:code>/ou-suivre/<int:pk>/", catalogue.catalogue_session, name="catalogue_session"),
    path(".well-known/did.json", parchemins.did_document, name="did_json"),
    path("parchemins/emetteur.json", parchemins.profil_emetteur, name="parchemin_emetteur"),
    path("parchemins/statut/<int:numero>/", parchemins.statut, name="parchemin_statut"),
    path("verifier/", parchemins.verifier, name="parchemin_verifier"),
    path("verifier/api/", parchemins.verifier_api, name="parchemin_verifier_api"),
    path("verifier/<str:code>/", parchemins.verifier_par_code, name="parchemin_verifier_code"),
    path("certifications/<str:code>/ou-suivre/lheo.xml", catalogue.catalogue_lheo, name="catalogue_lheo"),
]
