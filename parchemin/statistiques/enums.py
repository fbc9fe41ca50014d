"""Closed vocabularies of the holders' insertion surveys."""

from __future__ import annotations

from django.db import models


class Vague(models.TextChoices):
    """When a holder is asked, counted from the jury's decision."""

    SIX_MOIS = "SIX_MOIS", "6 mois après la certification"
    DEUX_ANS = "DEUX_ANS", "2 ans après la certification"


MOIS_PAR_VAGUE = {Vague.SIX_MOIS: 6, Vague.DEUX_ANS: 24}


class Situation(models.TextChoices):
    SALARIE = "SALARIE", "En emploi salarié"
    INDEPENDANT = "INDEPENDANT", "À mon compte (indépendant, création ou reprise d'activité)"
    BENEVOLE = "BENEVOLE", "Engagé·e bénévolement dans un tiers-lieu"
    RECHERCHE = "RECHERCHE", "En recherche d'emploi"
    FORMATION = "FORMATION", "En formation"
    AUTRE = "AUTRE", "Autre situation"


class LienCertification(models.TextChoices):
    DIRECT = "DIRECT", "Mon activité correspond directement à la certification"
    PARTIEL = "PARTIEL", "Mon activité s'en sert en partie"
    AUCUN = "AUCUN", "Aucun lien"
