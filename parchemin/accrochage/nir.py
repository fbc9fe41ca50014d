"""The NIR (social security number), optional: collected only when ``ACCROCHAGE_NIR`` is on.

Stored encrypted (the same Fernet keys as the second-factor secrets, ``CLES_CHIFFREMENT``), entered
and seen only by an administrator (the role that configures and answers for the export), never shown
in a list, sent only in a 1.1.5 flux (branch ``identifiantNational``), and purged when the CDC accepts
the passage (database constraint ``passage_cdc_nir_purge``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction

from parchemin.comptes.chiffrement import chiffrer, dechiffrer
from parchemin.comptes.roles import est_administrateur
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.journal.services import enregistrer

from .donnees import REGEX_NIR
from .enums import EtatCDC, VersionFlux
from .models import PassageCDC

if TYPE_CHECKING:
    from parchemin.comptes.models import User


def active() -> bool:
    return bool(getattr(settings, "ACCROCHAGE_NIR", False))


def peut_voir(user: User) -> bool:
    return active() and est_administrateur(user)


def normaliser(saisie: str) -> str:
    """13 characters without the key; 15 typed with the key: the key is checked, then dropped."""
    nir = re.sub(r"[\s.\-]", "", saisie).upper()
    if len(nir) == 15:
        corps, cle = nir[:13], nir[13:]
        numerique = corps.replace("2A", "19").replace("2B", "18")
        if not (numerique.isdigit() and cle.isdigit() and 97 - int(numerique) % 97 == int(cle)):
            raise ErreurMetier("La clé du NIR (2 derniers chiffres) ne correspond pas : vérifiez la saisie.")
        nir = corps
    if not REGEX_NIR.fullmatch(nir):
        raise ErreurMetier(
            "Le NIR compte 13 caractères (15 avec la clé) : sexe (1 ou 2), année, mois, département (2A/2B pour "
            "la Corse), commune, numéro d'ordre."
        )
    return nir


def enregistrer_nir(passage: PassageCDC, saisie: str, *, acteur: User) -> PassageCDC:
    if not active():
        raise ErreurMetier("La collecte du NIR n'est pas activée (réglage ACCROCHAGE_NIR).")
    if not est_administrateur(acteur):
        raise AccesRefuse("Seul un administrateur peut saisir le NIR d'un titulaire.")
    with transaction.atomic():
        verrouille = PassageCDC.objects.select_for_update().get(pk=passage.pk)
        if verrouille.etat == EtatCDC.ACCEPTE:
            raise ErreurMetier("Ce passage est accepté par la CDC : son NIR n'est plus conservé.")
        verrouille.nir_chiffre = chiffrer(normaliser(saisie)) if saisie.strip() else ""
        verrouille.save(update_fields=["nir_chiffre"])
        # The value never goes to the journal: only that it was set or removed.
        enregistrer(
            action="accrochage.nir",
            acteur=acteur,
            objet=verrouille,
            resume="NIR du titulaire " + ("enregistré (chiffré)." if verrouille.nir_chiffre else "effacé."),
        )
    return verrouille


def pour_export(passage: PassageCDC, version: str) -> str | None:
    if not active() or version != VersionFlux.V1_1_5 or not passage.nir_chiffre:
        return None
    return dechiffrer(passage.nir_chiffre)
