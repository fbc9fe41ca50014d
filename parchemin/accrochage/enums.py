"""Closed vocabularies of the CDC accrochage."""

from __future__ import annotations

from django.db import models


class VersionFlux(models.TextChoices):
    V1_1_2 = "1.1.2", "1.1.2"
    V1_1_5 = "1.1.5", "1.1.5 (avec action CREATION / SUPPRESSION et NIR possible)"


class EtatCDC(models.TextChoices):
    """Where one passage stands with the Caisse des Dépôts."""

    A_ENVOYER = "A_ENVOYER", "À envoyer"
    ENVOYE = "ENVOYE", "Envoyé (accusé attendu)"
    ACCEPTE = "ACCEPTE", "Accepté par la CDC"
    REJETE = "REJETE", "Rejeté par la CDC (à corriger)"


# Not yet accepted: the default selection of an export (a rejected passage is resent with its idTechnique).
ETATS_A_EXPORTER = (EtatCDC.A_ENVOYER, EtatCDC.ENVOYE, EtatCDC.REJETE)


class TypeAccuse(models.TextChoices):
    RECEPTION = "RECEPTION", "Accusé de réception"
    TRAITEMENT = "TRAITEMENT", "Accusé de traitement"
