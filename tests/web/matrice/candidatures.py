"""Candidate space and back-office files: a candidate sees only their own applications (another
person's file is a 404, its existence not disclosed); staff handle every file from the back-office."""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from parchemin.candidatures.enums import TypePiece
from parchemin.candidatures.models import Candidature, Piece
from tests.candidatures.factories import CandidatureFactory, PieceFactory
from tests.candidatures.fichiers import PDF

from . import CONNEXION, Attendu, equipe_seulement, pour_tous

# A fixed storage name: the matrix runs in many processes and must not leave a new file each time.
FICHIER_MATRICE = "tests-matrice/presentation.pdf"


def candidature_du_candidat(monde: Any) -> Candidature:
    return CandidatureFactory(candidat=monde.utilisateurs["candidat"])


def piece_du_candidat(monde: Any) -> Piece:
    if not default_storage.exists(FICHIER_MATRICE):
        default_storage.save(FICHIER_MATRICE, ContentFile(PDF))
    return PieceFactory(
        candidature=candidature_du_candidat(monde), type_piece=TypePiece.PRESENTATION_PROJET, fichier=FICHIER_MATRICE
    )


def _sa_candidature(monde: Any) -> dict[str, Any]:
    return {"pk": candidature_du_candidat(monde).pk}


def _sa_piece(monde: Any) -> dict[str, Any]:
    piece = piece_du_candidat(monde)
    return {"pk": piece.candidature_id, "piece_pk": piece.pk}


def _autre_candidature(monde: Any) -> dict[str, Any]:
    return {"pk": CandidatureFactory(candidat__email="autre-candidat@example.org").pk}


def _autre_piece(monde: Any) -> dict[str, Any]:
    piece = PieceFactory(candidature__candidat__email="autre-candidat@example.org", fichier=FICHIER_MATRICE)
    return {"pk": piece.candidature_id, "piece_pk": piece.pk}


# Signed-in users all have a candidate space; their own files only.
ESPACE_PERSONNEL = pour_tous(200, anonyme=CONNEXION)
SON_DOSSIER = pour_tous(404, anonyme=CONNEXION, candidat=200)
# Another person's file: not found for everyone in the candidate space, staff included.
DOSSIER_D_AUTRUI = pour_tous(404, anonyme=CONNEXION)

ATTENDUS = [
    Attendu("candidat:accueil", ESPACE_PERSONNEL),
    Attendu("candidat:nouvelle", ESPACE_PERSONNEL, kwargs=lambda m: {"code": "rs5142"}),
    Attendu("candidat:candidature", SON_DOSSIER, kwargs=_sa_candidature),
    Attendu("candidat:modifier", SON_DOSSIER, kwargs=_sa_candidature),
    Attendu("candidat:pieces", SON_DOSSIER, kwargs=_sa_candidature),
    Attendu("candidat:piece_fichier", SON_DOSSIER, kwargs=_sa_piece),
    Attendu("candidat:deposer", SON_DOSSIER, kwargs=_sa_candidature),
    Attendu("candidat:retirer", SON_DOSSIER, kwargs=_sa_candidature),
    Attendu("candidat:candidature", DOSSIER_D_AUTRUI, kwargs=_autre_candidature),
    Attendu("candidat:resultat", SON_DOSSIER, kwargs=_sa_candidature),
    Attendu("candidat:resultat", DOSSIER_D_AUTRUI, kwargs=_autre_candidature),
    Attendu("candidat:modifier", DOSSIER_D_AUTRUI, kwargs=_autre_candidature),
    Attendu("candidat:pieces", DOSSIER_D_AUTRUI, kwargs=_autre_candidature),
    Attendu("candidat:piece_fichier", DOSSIER_D_AUTRUI, kwargs=_autre_piece),
    Attendu("candidat:deposer", DOSSIER_D_AUTRUI, kwargs=_autre_candidature),
    Attendu("candidat:retirer", DOSSIER_D_AUTRUI, kwargs=_autre_candidature),
]

# Back-office: staff only. POST-only actions answer 405 to a GET once access is granted.
EQUIPE_POST = pour_tous(403, anonyme=CONNEXION, gestionnaire=405, administrateur=405)
ATTENDUS += [
    Attendu("backoffice:candidatures", equipe_seulement()),
    Attendu("backoffice:candidatures_export_csv", equipe_seulement()),
    Attendu("backoffice:candidatures_export_xlsx", equipe_seulement()),
    Attendu("backoffice:candidatures_echeances", equipe_seulement()),
    Attendu("backoffice:candidatures_import", equipe_seulement()),
    Attendu("backoffice:candidatures_import_modele", equipe_seulement(), kwargs=lambda m: {"format_fichier": "csv"}),
    Attendu("backoffice:candidatures_import_modele", equipe_seulement(), kwargs=lambda m: {"format_fichier": "xlsx"}),
    Attendu("backoffice:candidatures_pretes_pour_jury", EQUIPE_POST),
    Attendu("backoffice:candidatures_import_confirmer", EQUIPE_POST),
    Attendu("backoffice:candidature", equipe_seulement(), kwargs=_sa_candidature),
    Attendu("backoffice:candidature_recevabilite", EQUIPE_POST, kwargs=_sa_candidature),
    Attendu("backoffice:candidature_derogation", EQUIPE_POST, kwargs=_sa_candidature),
    Attendu("backoffice:candidature_piece", equipe_seulement(), kwargs=_sa_piece),
]
