"""CDC accrochage (back-office): staff read, export and upload acknowledgements; the CDC identifiers
are an administrator's. Unknown lots and passages are 404 for staff and refused to everyone else."""

from __future__ import annotations

from typing import Any

from . import CONNEXION, Attendu, equipe_seulement, pour_tous


def _inconnu(monde: Any) -> dict[str, Any]:
    return {"pk": 987654}


INCONNU_EQUIPE = pour_tous(403, anonyme=CONNEXION, gestionnaire=404, administrateur=404)
ACTION_EQUIPE = pour_tous(403, anonyme=CONNEXION, gestionnaire=405, administrateur=405)

ATTENDUS = [
    Attendu("backoffice:accrochage", equipe_seulement()),
    Attendu("backoffice:accrochage_a_corriger", equipe_seulement()),
    Attendu("backoffice:accrochage_echeances", equipe_seulement()),
    # Export and acknowledgement are POST only; POST by staff is handled (a refusal message and a redirect
    # when the identifiers are missing or the file is absent).
    Attendu("backoffice:accrochage_exporter", ACTION_EQUIPE),
    # Withdrawal (SUPPRESSION): the same rule as the export.
    Attendu("backoffice:accrochage_retirer", ACTION_EQUIPE),
    Attendu("backoffice:accrochage_accuse", ACTION_EQUIPE),
    Attendu("backoffice:accrochage_identifiants", pour_tous(403, anonyme=CONNEXION, administrateur=200)),
    Attendu("backoffice:accrochage_lot", INCONNU_EQUIPE, kwargs=_inconnu),
    Attendu("backoffice:accrochage_lot_fichier", INCONNU_EQUIPE, kwargs=_inconnu),
    Attendu("backoffice:accrochage_titulaire", INCONNU_EQUIPE, kwargs=_inconnu),
    # The NIR is an administrator's: POST only, and an unknown passage is 404 for them.
    Attendu(
        "backoffice:accrochage_titulaire_nir",
        pour_tous(403, anonyme=CONNEXION, administrateur=405),
        kwargs=_inconnu,
        post={"administrateur": 404},
    ),
]
