"""Finding the commune a person means from what they typed: a name, a postcode or an INSEE code."""

from __future__ import annotations

import re

from .models import Commune
from .noms import plier

_AVEC_DEPARTEMENT = re.compile(r"^(?P<nom>.+?)\s*\((?P<dep>[0-9][0-9AB][0-9]?)\)\s*$", re.IGNORECASE)
HOMONYMES_MAX = 12


def communes_possibles(saisie: str, limite: int = HOMONYMES_MAX) -> list[Commune]:
    """Every located commune ``saisie`` may mean, the most populated first (at most ``limite``).

    Accepts "Bordeaux", "bordeaux (33)", "33000" (postcode) or "33063" (INSEE code). A name shared by
    several communes (Saint-Denis) or a postcode serving several villages gives several answers: the
    caller offers them to choose from.
    """
    saisie = saisie.strip()[:200]
    if not saisie:
        return []
    localisees = Commune.objects.localisees().order_by("-population", "code_insee")
    if re.fullmatch(r"[0-9]{5}|2[AB][0-9]{3}", saisie, flags=re.IGNORECASE):
        code = saisie.upper()
        par_code_postal = list(localisees.filter(codes_postaux__code=code).distinct()[:limite])
        return par_code_postal or list(localisees.filter(code_insee=code)[:1])
    departement = None
    correspondance = _AVEC_DEPARTEMENT.match(saisie)
    if correspondance:
        saisie, departement = correspondance["nom"], correspondance["dep"].upper()
    candidates = localisees.filter(nom_plie=plier(saisie))
    if departement:
        candidates = candidates.filter(departement=departement)
    return list(candidates[:limite])


def trouver_commune(saisie: str) -> Commune | None:
    """The commune meant by ``saisie``, the most populated one when several match; None if unknown."""
    possibles = communes_possibles(saisie, limite=1)
    return possibles[0] if possibles else None
