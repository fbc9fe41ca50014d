"""Closed vocabularies of assessment and jury (one place for each list of codes)."""

from __future__ import annotations

from django.db import models


class Representation(models.TextChoices):
    """Recorded, not enforced: RS5142's split between employees and employers varies with availability."""

    SALARIE = "SALARIE", "Représentant des salariés"
    EMPLOYEUR = "EMPLOYEUR", "Représentant des employeurs"


class StatutSession(models.TextChoices):
    PREPARATION = "PREPARATION", "En préparation"
    CONVOQUEE = "CONVOQUEE", "Convoquée"
    VERROUILLEE = "VERROUILLEE", "PV signé et verrouillé"


class OrigineSession(models.TextChoices):
    """Where a session's decisions were taken. ``REPRISE``: a jury held before the platform, whose
    decisions are taken over from the certificateur's records (the paper PV is kept outside;
    holders received their certificate then). Such a session has no electronic PV and issues no
    parchemin; its decisions count in the statistics (docs/statistiques.md)."""

    PLATEFORME = "PLATEFORME", "Tenue sur la plateforme"
    REPRISE = "REPRISE", "Reprise d'historique (antérieure à la plateforme)"


class Niveau(models.TextChoices):
    """Level of one competency in one member's grid."""

    ACQUIS = "ACQUIS", "Acquis"
    EN_COURS = "EN_COURS", "En cours d'acquisition"
    NON_ACQUIS = "NON_ACQUIS", "Non acquis"


class Presence(models.TextChoices):
    PRESENT = "PRESENT", "Présent"
    ABSENT = "ABSENT", "Absent"
    EXCUSE = "EXCUSE", "Excusé"


class Decision(models.TextChoices):
    VALIDATION_TOTALE = "VALIDATION_TOTALE", "Validation totale"
    VALIDATION_PARTIELLE = "VALIDATION_PARTIELLE", "Validation partielle"
    REFUS = "REFUS", "Refus"
    ABSENT = "ABSENT", "Absent"
    EXCUSE = "EXCUSE", "Excusé"


# Decisions that carry validated units.
DECISIONS_AVEC_UNITES = (Decision.VALIDATION_TOTALE, Decision.VALIDATION_PARTIELLE)

# Absent or excused: nobody fills a grid, the jury only records the absence with the matching
# decision. ``Passage.absent_ou_excuse`` is the one place that reads it.
PRESENCES_SANS_GRILLE = (Presence.ABSENT, Presence.EXCUSE)
DECISIONS_D_ABSENCE = (Decision.ABSENT, Decision.EXCUSE)


class StatutPlanification(models.TextChoices):
    """Life of a recorded planning request, run outside the HTTP request by a worker."""

    EN_ATTENTE = "EN_ATTENTE", "En attente"
    EN_COURS = "EN_COURS", "En cours"
    TERMINEE = "TERMINEE", "Terminée"
    ECHOUEE = "ECHOUEE", "Échouée"
    INFAISABLE = "INFAISABLE", "Infaisable"
