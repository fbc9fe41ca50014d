"""Closed vocabularies of the référentiel domain (one place for each list of codes)."""

from __future__ import annotations

from django.db import models


class Registre(models.TextChoices):
    RS = "RS", "Répertoire spécifique"
    RNCP = "RNCP", "Répertoire national des certifications professionnelles"


class VoieAcces(models.TextChoices):
    """Access routes as France compétences lists them on a certification's fiche."""

    FORMATION_INITIALE = "FORMATION_INITIALE", "Après un parcours de formation sous statut d'élève ou d'étudiant"
    APPRENTISSAGE = "APPRENTISSAGE", "En contrat d'apprentissage"
    FORMATION_CONTINUE = "FORMATION_CONTINUE", "Après un parcours de formation continue"
    CONTRAT_PROFESSIONNALISATION = "CONTRAT_PROFESSIONNALISATION", "En contrat de professionnalisation"
    CANDIDATURE_INDIVIDUELLE = "CANDIDATURE_INDIVIDUELLE", "Par candidature individuelle"
    EXPERIENCE = "EXPERIENCE", "Par expérience"


class ModaliteAccesCDC(models.TextChoices):
    """Values of ``modaliteAcces`` in the CDC accrochage file (format 1.1.2)."""

    FORMATION_INITIALE_HORS_APPRENTISSAGE = (
        "FORMATION_INITIALE_HORS_APPRENTISSAGE",
        "Formation initiale hors apprentissage",
    )
    FORMATION_INITIALE_APPRENTISSAGE = "FORMATION_INITIALE_APPRENTISSAGE", "Formation initiale en apprentissage"
    FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION = (
        "FORMATION_CONTINUE_HORS_CONTRAT_DE_PROFESSIONNALISATION",
        "Formation continue hors contrat de professionnalisation",
    )
    FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION = (
        "FORMATION_CONTINUE_CONTRAT_DE_PROFESSIONNALISATION",
        "Formation continue en contrat de professionnalisation",
    )
    VAE = "VAE", "Validation des acquis de l'expérience"
    EQUIVALENCE_DIPLOME_ETRANGER = "EQUIVALENCE_DIPLOME_ETRANGER", "Équivalence de diplôme étranger"
    CANDIDAT_LIBRE = "CANDIDAT_LIBRE", "Candidat libre"


class ProfilJury(models.TextChoices):
    """Sector profiles a jury member may represent; jury rules count members by these."""

    ESS = "ESS", "Économie sociale et solidaire"
    NUMERIQUE = "NUMERIQUE", "Économie numérique"
    RECHERCHE_TERRITOIRES = "RECHERCHE_TERRITOIRES", "Université et recherche (dynamiques territoriales)"
    COWORKING = "COWORKING", "Tiers-lieux : coworking"
    FABLAB = "FABLAB", "Tiers-lieux : fablab"
    LIEU_HYBRIDE = "LIEU_HYBRIDE", "Tiers-lieux : lieu hybride"
