"""Closed vocabularies of delivery."""

from __future__ import annotations

from django.db import models


class StatutParchemin(models.TextChoices):
    A_EMETTRE = "A_EMETTRE", "À émettre"
    EMIS = "EMIS", "Émis"
    ECHEC = "ECHEC", "Échec de l'émission"
    REVOQUE = "REVOQUE", "Révoqué"
