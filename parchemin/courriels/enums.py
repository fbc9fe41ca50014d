"""Closed vocabulary of the outbox."""

from __future__ import annotations

from django.db import models


class StatutCourriel(models.TextChoices):
    A_ENVOYER = "A_ENVOYER", "À envoyer"
    ENVOYE = "ENVOYE", "Envoyé"
    EN_ECHEC = "EN_ECHEC", "En échec"
