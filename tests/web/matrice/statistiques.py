"""Statistics: open data for everyone; the outcome tables, their exports and charts, and the files
behind a figure are for the certificateur's staff."""

from __future__ import annotations

from typing import Any

from . import Attendu, equipe_seulement, pour_tous


def _enquete(monde: Any) -> dict[str, Any]:
    """An open survey: its link works for whoever holds it, signed in or not."""
    import datetime

    from parchemin.statistiques.enums import Vague
    from parchemin.statistiques.models import Enquete
    from tests.candidatures.factories import CandidatureFactory

    aujourd_hui = datetime.date.today()
    enquete = Enquete.objects.create(
        candidature=CandidatureFactory(),
        vague=Vague.SIX_MOIS,
        certifie_le=aujourd_hui - datetime.timedelta(days=200),
        due_le=aujourd_hui - datetime.timedelta(days=10),
        expire_le=aujourd_hui + datetime.timedelta(days=80),
    )
    return {"jeton": enquete.jeton}


ATTENDUS = [
    Attendu("public:enquete", pour_tous(200), kwargs=_enquete),
    # Open data: everyone.
    Attendu("public:statistiques", pour_tous(200), kwargs=lambda m: {"code": "rs5142"}),
    Attendu("public:statistiques_csv", pour_tous(200), kwargs=lambda m: {"code": "rs5142"}),
    Attendu("backoffice:statistiques", equipe_seulement()),
    Attendu("backoffice:statistiques_dossiers", equipe_seulement()),
    Attendu("backoffice:statistiques_export", equipe_seulement(), kwargs=lambda m: {"format_fichier": "csv"}),
    Attendu("backoffice:statistiques_export", equipe_seulement(), kwargs=lambda m: {"format_fichier": "xlsx"}),
    Attendu("backoffice:statistiques_graphiques", equipe_seulement()),
    Attendu("backoffice:statistiques_rapport", equipe_seulement(), kwargs=lambda m: {"annee": 2025}),
    Attendu("backoffice:statistiques_graphique", equipe_seulement(), kwargs=lambda m: {"nom": "decisions"}),
    Attendu("backoffice:statistiques_graphique", equipe_seulement(), kwargs=lambda m: {"nom": "taux"}),
]
