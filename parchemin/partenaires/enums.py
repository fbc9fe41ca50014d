"""Closed vocabularies of partners, habilitations and training sessions."""

from __future__ import annotations

from django.db import models


class EtatHabilitation(models.TextChoices):
    ACTIVE = "ACTIVE", "Active"
    SUSPENDUE = "SUSPENDUE", "Suspendue"
    RETIREE = "RETIREE", "Retirée"
    TERMINEE = "TERMINEE", "Terminée"


# States in which the habilitation still exists for France compétences (one per partner and certification).
ETATS_EN_COURS = (EtatHabilitation.ACTIVE, EtatHabilitation.SUSPENDUE)


class Modalite(models.TextChoices):
    PRESENTIEL = "PRESENTIEL", "En présentiel"
    DISTANCE = "DISTANCE", "À distance"
    HYBRIDE = "HYBRIDE", "Hybride (présentiel et distance)"


# Modalities that happen somewhere: they need a commune.
MODALITES_AVEC_LIEU = (Modalite.PRESENTIEL, Modalite.HYBRIDE)


class StatutSession(models.TextChoices):
    OUVERTE = "OUVERTE", "Inscriptions ouvertes"
    COMPLETE = "COMPLETE", "Complète"
    ANNULEE = "ANNULEE", "Annulée"


class Financement(models.TextChoices):
    CPF = "CPF", "Compte personnel de formation (CPF)"
    OPCO = "OPCO", "OPCO (plan de développement des compétences)"
    FRANCE_TRAVAIL = "FRANCE_TRAVAIL", "France Travail"
    REGION = "REGION", "Conseil régional"
    TRANSITIONS_PRO = "TRANSITIONS_PRO", "Transitions Pro (projet de transition professionnelle)"
    PERSONNEL = "PERSONNEL", "Financement personnel"
