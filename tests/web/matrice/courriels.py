"""The outbox page: staff only, with two-factor authentication; "renvoyer" is a POST."""

from __future__ import annotations

from typing import Any

from parchemin.courriels.services import mettre_en_file

from . import CONNEXION, Attendu, equipe_seulement, pour_tous


def _courriel(monde: Any) -> dict[str, Any]:
    return {"pk": mettre_en_file(["matrice@example.org"], "Test de la matrice", "Texte", essayer=False).pk}


ATTENDUS = [
    Attendu("backoffice:courriels", equipe_seulement()),
    Attendu(
        "backoffice:courriel_renvoyer",
        pour_tous(403, anonyme=CONNEXION, gestionnaire=405, administrateur=405),
        kwargs=_courriel,
    ),
]
