"""What evidence an application must carry, derived from its route and its référentiel version."""

from __future__ import annotations

from dataclasses import dataclass

from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.models import Competence
from parchemin.televersements import DOCUMENTS, MO, TEXTES, FormatFichier

from .enums import TypePiece
from .models import Candidature, Piece

# The competency whose written part is the project presentation (RS5142: "Présenter son projet à l'écrit
# et à l'oral"); found by code in the candidate's own référentiel version.
CODE_COMPETENCE_PRESENTATION = "1.7"
TAILLE_MAX_PIECE = 10 * MO
FORMATS_PAR_TYPE: dict[str, frozenset[FormatFichier]] = {
    TypePiece.PRESENTATION_PROJET: TEXTES,
    TypePiece.DOSSIER_RECEVABILITE: TEXTES,
}


@dataclass(frozen=True)
class PieceDemandee:
    type_piece: TypePiece
    competence: Competence | None
    pour_depot: bool
    pour_jury: bool

    @property
    def libelle(self) -> str:
        return self.type_piece.label

    @property
    def obligatoire(self) -> bool:
        return self.pour_depot or self.pour_jury

    @property
    def formats(self) -> frozenset[FormatFichier]:
        return FORMATS_PAR_TYPE.get(self.type_piece, DOCUMENTS)


def competence_presentation(candidature: Candidature) -> Competence | None:
    return Competence.objects.filter(
        version_id=candidature.version_referentiel_id, code=CODE_COMPETENCE_PRESENTATION
    ).first()


def pieces_demandees(candidature: Candidature) -> list[PieceDemandee]:
    experience = candidature.voie == VoieAcces.EXPERIENCE
    return [
        PieceDemandee(TypePiece.PRESENTATION_PROJET, competence_presentation(candidature), False, True),
        PieceDemandee(TypePiece.DOSSIER_RECEVABILITE, None, experience, False),
        PieceDemandee(TypePiece.JUSTIFICATIF_EXPERIENCE, None, experience, False),
        PieceDemandee(TypePiece.JUSTIFICATIF_DIPLOME, None, False, False),
        PieceDemandee(TypePiece.AUTRE, None, False, False),
    ]


def demande_pour(candidature: Candidature, type_piece: str) -> PieceDemandee | None:
    return next((d for d in pieces_demandees(candidature) if d.type_piece == type_piece), None)


def types_deposes(candidature: Candidature) -> set[str]:
    return set(Piece.objects.filter(candidature=candidature).values_list("type_piece", flat=True))
