from django.urls import path

from . import views

app_name = "candidat"

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("candidater/<str:code>/", views.nouvelle, name="nouvelle"),
    path("candidatures/<int:pk>/", views.candidature, name="candidature"),
    path("candidatures/<int:pk>/dossier/", views.modifier, name="modifier"),
    path("candidatures/<int:pk>/pieces/", views.pieces, name="pieces"),
    path("candidatures/<int:pk>/pieces/<int:piece_pk>/", views.piece_fichier, name="piece_fichier"),
    path("candidatures/<int:pk>/parchemins/<int:parchemin_pk>/pdf/", views.parchemin_pdf, name="parchemin_pdf"),
    path("candidatures/<int:pk>/parchemins/<int:parchemin_pk>/json/", views.parchemin_json, name="parchemin_json"),
    path("candidatures/<int:pk>/deposer/", views.deposer, name="deposer"),
    path("candidatures/<int:pk>/retirer/", views.retirer, name="retirer"),
    path("candidatures/<int:pk>/resultat/", views.resultat, name="resultat"),
]
