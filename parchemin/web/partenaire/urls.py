from django.urls import path

from . import views

app_name = "partenaire"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("sessions/nouvelle/", views.session_nouvelle, name="session_nouvelle"),
    path("sessions/<int:pk>/", views.session, name="session"),
    path("sessions/<int:pk>/publication/", views.session_publication, name="session_publication"),
    path("sessions/<int:pk>/stagiaires/import/", views.stagiaires_import, name="stagiaires_import"),
    path(
        "sessions/<int:pk>/stagiaires/import/confirmer/",
        views.stagiaires_import_confirmer,
        name="stagiaires_import_confirmer",
    ),
    path("stagiaires/modele.<str:format_fichier>", views.stagiaires_import_modele, name="stagiaires_import_modele"),
    path("candidatures/", views.candidatures, name="candidatures"),
    path("candidatures/<int:pk>/", views.candidature, name="candidature"),
    path("candidatures/<int:pk>/attestation/", views.attestation_deposer, name="attestation_deposer"),
    path("candidatures/<int:pk>/attestation/<int:piece_pk>/", views.attestation_fichier, name="attestation_fichier"),
]
