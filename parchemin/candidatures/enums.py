"""Closed vocabularies of the candidate journey (one place for each list of codes)."""

from __future__ import annotations

from django.db import models


class EtatCandidature(models.TextChoices):
    """States of an application; only the transitions of ``Candidature`` move between them."""

    BROUILLON = "BROUILLON", "Brouillon"
    DEPOSEE = "DEPOSEE", "Déposée"
    INCOMPLETE = "INCOMPLETE", "Incomplète"
    RECEVABLE = "RECEVABLE", "Recevable"
    NON_RECEVABLE = "NON_RECEVABLE", "Non recevable"
    PRETE_POUR_JURY = "PRETE_POUR_JURY", "Prête pour le jury"
    DECIDEE = "DECIDEE", "Décision du jury rendue"
    ABANDONNEE = "ABANDONNEE", "Retirée"


# States a candidate or staff member may withdraw an application from.
ETATS_RETIRABLES = (
    EtatCandidature.BROUILLON,
    EtatCandidature.DEPOSEE,
    EtatCandidature.INCOMPLETE,
    EtatCandidature.RECEVABLE,
    EtatCandidature.PRETE_POUR_JURY,
)
# An application in one of these states is "in progress": one at a time per person, certification and
# route (database constraint une_candidature_en_cours_par_voie). Same list as the withdrawable states.
ETATS_EN_COURS = ETATS_RETIRABLES
# States where the candidate can still edit their file and add evidence.
ETATS_MODIFIABLES_PAR_CANDIDAT = (EtatCandidature.BROUILLON, EtatCandidature.INCOMPLETE)
# States where evidence can be added (by the candidate) before the jury.
ETATS_PIECES_OUVERTES = (
    EtatCandidature.BROUILLON,
    EtatCandidature.INCOMPLETE,
    EtatCandidature.DEPOSEE,
    EtatCandidature.RECEVABLE,
)


class Sexe(models.TextChoices):
    """As the CDC file records it (``sexe``: M or F)."""

    M = "M", "Masculin"
    F = "F", "Féminin"


class NiveauDiplome(models.TextChoices):
    """Highest diploma, on the national scale of qualification levels (decree of 8 January 2019)."""

    AUCUN = "0", "Sans diplôme"
    NIVEAU_3 = "3", "Niveau 3 (CAP, BEP)"
    NIVEAU_4 = "4", "Niveau 4 (baccalauréat)"
    NIVEAU_5 = "5", "Niveau 5 (bac+2 : BTS, DUT)"
    NIVEAU_6 = "6", "Niveau 6 (bac+3 : licence, BUT)"
    NIVEAU_7 = "7", "Niveau 7 (bac+5 : master, diplôme d'ingénieur)"
    NIVEAU_8 = "8", "Niveau 8 (doctorat)"


class DecisionRecevabilite(models.TextChoices):
    RECEVABLE = "RECEVABLE", "Recevable"
    NON_RECEVABLE = "NON_RECEVABLE", "Non recevable"
    INCOMPLETE = "INCOMPLETE", "Incomplète (pièces manquantes)"


class TypePiece(models.TextChoices):
    """Kinds of evidence; what a given application must provide is computed in ``pieces``."""

    PRESENTATION_PROJET = "PRESENTATION_PROJET", "Présentation écrite du projet (compétence 1.7)"
    DOSSIER_RECEVABILITE = "DOSSIER_RECEVABILITE", "Dossier de recevabilité (expériences décrites)"
    JUSTIFICATIF_DIPLOME = "JUSTIFICATIF_DIPLOME", "Justificatif du diplôme le plus élevé"
    JUSTIFICATIF_EXPERIENCE = "JUSTIFICATIF_EXPERIENCE", "Justificatifs d'expérience (attestations, contrats)"
    PIECE_IDENTITE = "PIECE_IDENTITE", "Pièce d'identité"
    # Uploaded by the training organisation (partner space), for the routes that follow a training.
    ATTESTATION_FORMATION = "ATTESTATION_FORMATION", "Attestation de fin de formation"
    AUTRE = "AUTRE", "Autre pièce"
