"""Closed vocabularies of the CDC accrochage."""

from __future__ import annotations

from django.db import models


class VersionFlux(models.TextChoices):
    V1_1_2 = "1.1.2", "1.1.2"
    V1_1_5 = "1.1.5", "1.1.5 (avec action CREATION / SUPPRESSION et NIR possible)"


class ActionFlux(models.TextChoices):
    """``flux/action`` of version 1.1.5: one action per file."""

    CREATION = "CREATION", "Création (titulaires à enregistrer)"
    SUPPRESSION = "SUPPRESSION", "Suppression (retrait de titulaires déjà acceptés)"


class EtatCDC(models.TextChoices):
    """Where one passage stands with the Caisse des Dépôts."""

    A_ENVOYER = "A_ENVOYER", "À envoyer"
    ENVOYE = "ENVOYE", "Envoyé (accusé attendu)"
    ACCEPTE = "ACCEPTE", "Accepté par la CDC"
    REJETE = "REJETE", "Rejeté par la CDC (à corriger)"
    # Withdrawal (1.1.5 SUPPRESSION) of an accepted passage whose certificate was revoked since.
    RETRAIT_ENVOYE = "RETRAIT", "Retrait envoyé (accusé attendu)"
    RETIRE = "RETIRE", "Retiré par la CDC"
    RETRAIT_REJETE = "RETRAIT_KO", "Retrait refusé par la CDC"


# Not yet accepted: the default selection of an export (a rejected passage is resent with its idTechnique).
ETATS_A_EXPORTER = (EtatCDC.A_ENVOYER, EtatCDC.ENVOYE, EtatCDC.REJETE)
# What leaves by default: a rejected passage waits until its holder's identity has been corrected
# (or checked) on « Corriger l'identité », which puts it back to « à envoyer »; sent again unchanged,
# the CDC would only reject it again.
ETATS_PAR_DEFAUT = (EtatCDC.A_ENVOYER, EtatCDC.ENVOYE)
# Known to the CDC: what a withdrawal can carry (a refused withdrawal is offered again).
ETATS_A_RETIRER = (EtatCDC.ACCEPTE, EtatCDC.RETRAIT_REJETE)


class TypeAccuse(models.TextChoices):
    RECEPTION = "RECEPTION", "Accusé de réception"
    TRAITEMENT = "TRAITEMENT", "Accusé de traitement"
