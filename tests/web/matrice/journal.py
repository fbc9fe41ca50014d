"""The audit journal's browse and entry pages: staff only, with two-factor authentication."""

from __future__ import annotations

from typing import Any

from parchemin.journal.services import enregistrer

from . import Attendu, equipe_seulement


def _entree(monde: Any) -> dict[str, Any]:
    return {"sequence": enregistrer(action="candidatures.deposer", resume="Entrée de la matrice").sequence}


ATTENDUS = [
    Attendu("backoffice:journal", equipe_seulement()),
    Attendu("backoffice:journal_entree", equipe_seulement(), kwargs=_entree),
]
