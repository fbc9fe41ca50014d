from django.urls import path

from . import candidatures, journal, jurys, partenaires, views

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
    path("jurys/", jurys.sessions, name="jurys_sessions"),
    path("jurys/vivier/", jurys.vivier, name="jurys_vivier"),
    path("jurys/planification/", jurys.planification, name="jurys_planification"),
    path("jurys/planification/accepter/", jurys.planification_accepter, name="jurys_planification_accepter"),
    path("jurys/sessions/nouvelle/", jurys.session_nouvelle, name="jurys_session_nouvelle"),
    path("jurys/sessions/<int:pk>/", jurys.session, name="jurys_session"),
    path("jurys/sessions/<int:pk>/membres/", jurys.session_membres, name="jurys_session_membres"),
    path("jurys/sessions/<int:pk>/candidats/", jurys.session_candidats, name="jurys_session_candidats"),
    path("jurys/sessions/<int:pk>/convoquer/", jurys.session_convoquer, name="jurys_session_convoquer"),
    path("jurys/sessions/<int:pk>/presences/", jurys.session_presences, name="jurys_session_presences"),
    path("jurys/sessions/<int:pk>/amender/", jurys.session_amender, name="jurys_session_amender"),
    path("jurys/sessions/<int:pk>/pv.pdf", jurys.session_pv_pdf, name="jurys_session_pv_pdf"),
]
