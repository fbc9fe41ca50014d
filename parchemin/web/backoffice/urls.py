from django.urls import path

from . import candidatures, journal, partenaires, views

app_name = "backoffice"

urlpatterns = [
    path("", views.tableau_de_bord, name="tableau_de_bord"),
    path("journal/", journal.journal, name="journal"),
    path("candidatures/", candidatures.liste, name="candidatures"),
    path("candidatures/export.csv", candidatures.export_csv, name="candidatures_export_csv"),
    path("candidatures/export.xlsx", candidatures.export_xlsx, name="candidatures_export_xlsx"),
    path("candidatures/pretes-pour-jury/", candidatures.pretes_pour_jury, name="candidatures_pretes_pour_jury"),
    path("candidatures/echeances/", candidatures.echeances, name="candidatures_echeances"),
    path("candidatures/import/", candidatures.importer, name="candidatures_import"),
    path("candidatures/import/confirmer/", candidatures.importer_confirmer, name="candidatures_import_confirmer"),
    path("candidatures/<int:pk>/", candidatures.detail, name="candidature"),
    path("candidatures/<int:pk>/recevabilite/", candidatures.recevabilite, name="candidature_recevabilite"),
    path("candidatures/<int:pk>/derogation/", candidatures.derogation, name="candidature_derogation"),
    path("candidatures/<int:pk>/pieces/<int:piece_pk>/", candidatures.piece, name="candidature_piece"),
    path("partenaires/", partenaires.liste, name="partenaires"),
    path("partenaires/nouveau/", partenaires.nouveau, name="partenaire_nouveau"),
    path("partenaires/<int:pk>/", partenaires.partenaire, name="partenaire"),
    path("partenaires/<int:pk>/habiliter/", partenaires.habilitation_nouvelle, name="habilitation_nouvelle"),
    path("habilitations/<int:pk>/", partenaires.habilitation, name="habilitation"),
    path("habilitations/<int:pk>/etat/", partenaires.habilitation_etat, name="habilitation_etat"),
    path("habilitations/<int:pk>/convention/", partenaires.habilitation_convention, name="habilitation_convention"),
    path("habilitations/export.<str:format>", partenaires.habilitations_export, name="habilitations_export"),
    path("habilitations/envoi-france-competences/", partenaires.habilitations_envoi, name="habilitations_envoi"),
]
