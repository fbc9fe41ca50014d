"""Checks of French public identifiers (format and check digits only, never a network look-up)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError

# La Poste's establishments share one SIREN and do not follow Luhn: their SIRET digits add up to a
# multiple of 5 instead (INSEE's documented exception).
SIREN_LA_POSTE = "356000000"


def luhn_valide(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siret_valide(value: str) -> bool:
    if not re.fullmatch(r"[0-9]{14}", value):
        return False
    if value.startswith(SIREN_LA_POSTE):
        return sum(int(c) for c in value) % 5 == 0
    return luhn_valide(value)


def normaliser_siret(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value)


def valider_siret(value: str) -> None:
    """Django validator: a SIRET of 14 digits whose check digit is right."""
    if not re.fullmatch(r"[0-9]{14}", value):
        raise ValidationError("Le SIRET doit comporter exactement 14 chiffres.", code="siret_format")
    if not siret_valide(value):
        raise ValidationError("Ce SIRET n'est pas valide (la clé de contrôle ne correspond pas).", code="siret_cle")
