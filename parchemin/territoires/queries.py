"""Finding the commune a person means from what they typed: a name, a postcode or an INSEE code."""

from __future__ import annotations

import re

from .models import Commune
from .noms import plier

_AVEC_DEPARTEMENT = re.compile(r"^(?P<nom>.+?)\s*\((?P<dep>[0-9][0-9AB][0-9]?)\)\s*$", re.IGNORECASE)


def trouver_commune(saisie: str) -> Commune | None:
    """The commune meant by ``saisie``, the most populated one when several match; None if unknown.

    Accepts "Bordeaux", "bordeaux (33)", "33000" (postcode) or "33063" (INSEE code).
    """
    saisie = saisie.strip()[:200]
    if not saisie:
        return None
    localisees = Commune.objects.localisees().order_by("-population", "code_insee")
    if re.fullmatch(r"[0-9]{5}|2[AB][0-9]{3}", saisie, flags=re.IGNORECASE):
        code = saisie.upper()
        return localisees.filter(codes_postaux__code=code).first() or localisees.filter(code_insee=code).first()
    departement = None
    correspondance = _AVEC_DEPARTEMENT.match(saisie)
    if correspondance:
        saisie, departement = correspondance["nom"], correspondance["dep"].upper()
    candidates = localisees.filter(nom_plie=plier(saisie))
    if departement:
        candidates = candidates.filter(departement=departement)
    return candidates.first()
