"""Statistics: open data for everyone; the outcome tables, their exports and charts, and the files
behind a figure are for the certificateur's staff."""

from __future__ import annotations

from . import Attendu, equipe_seulement, pour_tous

ATTENDUS = [
    # Open data: everyone.
    Attendu("public:statistiques", pour_tous(200), kwargs=lambda m: {"code": "rs5142"}),
    Attendu("public:statistiques_csv", pour_tous(200), kwargs=lambda m: {"code": "rs5142"}),
    Attendu("backoffice:statistiques", equipe_seulement()),
    Attendu("backoffice:statistiques_dossiers", equipe_seulement()),
    Attendu("backoffice:statistiques_export", equipe_seulement(), kwargs=lambda m: {"format_fichier": "csv"}),
    Attendu("backoffice:statistiques_export", equipe_seulement(), kwargs=lambda m: {"format_fichier": "xlsx"}),
    Attendu("backoffice:statistiques_graphiques", equipe_seulement()),
    Attendu("backoffice:statistiques_graphique", equipe_seulement(), kwargs=lambda m: {"nom": "decisions"}),
    Attendu("backoffice:statistiques_graphique", equipe_seulement(), kwargs=lambda m: {"nom": "taux"}),
]
