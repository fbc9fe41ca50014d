"""Read side of the candidate journey: protected look-ups and the back-office list, each in a fixed
number of queries whatever the page size."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from parchemin.comptes.roles import partenaires_de
from parchemin.journal.models import EntreeJournal

from .enums import TypePiece
from .models import Candidature, CandidatureQuerySet, Piece

# Sort keys offered to staff, mapped to ORM orderings (a whitelist: user input never reaches order_by).
TRIS: dict[str, tuple[str, ...]] = {
    "recent": ("-creee_le", "-pk"),
    "ancien": ("creee_le", "pk"),
    "nom": ("nom_naissance", "prenom1", "pk"),
    "-nom": ("-nom_naissance", "-prenom1", "-pk"),
    "etat": ("etat", "-creee_le", "-pk"),
    "echeance": ("echeance_recevabilite", "pk"),
}
TRI_DEFAUT = "recent"


def get_candidature_for(user: Any, pk: int) -> Candidature:
    """The application if ``user`` may see it; 404 otherwise (its existence is not disclosed)."""
    candidature = (
        Candidature.objects.visible_to(user)
        .select_related(
            "candidat", "certification", "version_referentiel", "partenaire", "session_formation__partenaire"
        )
        .filter(pk=pk)
        .first()
    )
    if candidature is None:
        raise Http404("Candidature introuvable")
    return candidature


def candidatures_du_partenaire(user: Any, partenaire_id: int) -> CandidatureQuerySet:
    """The trainees' applications of one organisation, for its own people only (whatever else they are:
    a partner's administrator who is also a candidate does not see their own file here, nor staff everything)."""
    if partenaire_id not in partenaires_de(user):
        return Candidature.objects.none()
    return Candidature.objects.filter(partenaire_id=partenaire_id)


def get_candidature_du_partenaire(user: Any, pk: int) -> Candidature:
    """An application in the partner space: only those of the user's organisations; 404 otherwise."""
    candidature = (
        Candidature.objects.filter(pk=pk, partenaire_id__in=partenaires_de(user))
        .select_related("certification", "partenaire", "session_formation")
        .first()
    )
    if candidature is None:
        raise Http404("Candidature introuvable")
    return candidature


def attestations_de(candidature: Candidature) -> list[Piece]:
    """The training completion certificates (every version, newest first): all a partner sees of the pieces."""
    return list(
        candidature.pieces.filter(type_piece=TypePiece.ATTESTATION_FORMATION)
        .select_related("deposee_par")
        .order_by("-version")
    )


def get_candidature_du_candidat(user: Any, pk: int) -> Candidature:
    """In the candidate space, a person sees only their own files, whatever other roles they hold."""
    candidature = (
        Candidature.objects.filter(candidat_id=user.pk, pk=pk)
        .select_related("certification", "version_referentiel", "partenaire", "session_formation")
        .first()
    )
    if candidature is None:
        raise Http404("Candidature introuvable")
    return candidature


def get_piece_for(user: Any, candidature_pk: int, piece_pk: int) -> Piece:
    piece = Piece.objects.visible_to(user).filter(pk=piece_pk, candidature_id=candidature_pk).first()
    if piece is None:
        raise Http404("Pièce introuvable")
    return piece


def pieces_de(candidature: Candidature) -> list[Piece]:
    return list(candidature.pieces.select_related("competence", "deposee_par").order_by("type_piece", "-version"))


def historique(candidature: Candidature) -> QuerySet[EntreeJournal]:
    return EntreeJournal.objects.filter(
        objet_type=candidature._meta.label_lower, objet_id=str(candidature.pk)
    ).order_by("-sequence")


@dataclass
class FiltresCandidatures:
    voie: str = ""
    etat: str = ""
    partenaire: int | None = None
    session: int | None = None
    annee: int | None = None
    en_retard: bool = False
    tacites: bool = False
    recherche: str = ""
    tri: str = TRI_DEFAUT


def liste_backoffice(filtres: FiltresCandidatures, aujourd_hui: datetime.date) -> CandidatureQuerySet:
    """The filtered, sorted list; related rows are joined, so a page costs the same queries at any size."""
    qs = Candidature.objects.pour_liste()
    if filtres.voie:
        qs = qs.filter(voie=filtres.voie)
    if filtres.etat:
        qs = qs.filter(etat=filtres.etat)
    if filtres.partenaire:
        qs = qs.filter(partenaire_id=filtres.partenaire)
    if filtres.session:
        qs = qs.filter(session_formation_id=filtres.session)
    if filtres.annee:
        qs = qs.filter(annee=filtres.annee)
    if filtres.en_retard:
        qs = qs.en_retard(aujourd_hui)
    if filtres.tacites:
        qs = qs.filter(acceptation_tacite_le__isnull=False)
    if filtres.recherche:
        qs = qs.recherche(filtres.recherche)
    return qs.order_by(*TRIS.get(filtres.tri, TRIS[TRI_DEFAUT]))


def echeances_recevabilite(aujourd_hui: datetime.date, jours: int = 15) -> dict[str, list[Candidature]]:
    """Experience-route files awaiting a decision (past the deadline, with the tacit acceptance not yet
    recorded; due within ``jours`` days), and the files admissible by silence still to be taken up."""
    base = Candidature.objects.pour_liste().order_by("echeance_recevabilite", "pk")
    return {
        "en_retard": list(base.en_retard(aujourd_hui)),
        "proches": list(base.echeance_proche(aujourd_hui, jours)),
        "tacites": list(base.recevables_tacitement()),
    }


# The deadlines page shows at most this many files per list, the most urgent first: at national scale
# the overdue list alone ran into the hundreds, all built and rendered on every visit. 100 per list
# still made it the slowest back-office page at 20,000 applications (p95 181 ms, bench_candidatures);
# the full lists are the applications list's "en retard" and "tacites" filters, paginated.
ECHEANCES_AFFICHEES = 50


def echeances_a_afficher(aujourd_hui: datetime.date, jours: int = 15) -> dict[str, Any]:
    """The three lists of ``echeances_recevabilite`` for the page: the first ECHEANCES_AFFICHEES of each
    (``en_retard``, ``proches``, ``tacites``) and how many each holds (``nombre_en_retard``…), counted
    only when the list is full."""
    base = Candidature.objects.pour_liste().order_by("echeance_recevabilite", "pk")
    listes = {
        "en_retard": base.en_retard(aujourd_hui),
        "proches": base.echeance_proche(aujourd_hui, jours),
        "tacites": base.recevables_tacitement(),
    }
    resultat: dict[str, Any] = {}
    for nom, qs in listes.items():
        premieres = list(qs[:ECHEANCES_AFFICHEES])
        resultat[nom] = premieres
        resultat[f"nombre_{nom}"] = qs.count() if len(premieres) == ECHEANCES_AFFICHEES else len(premieres)
    return resultat


def candidatures_du_candidat(user: Any) -> list[Candidature]:
    return list(Candidature.objects.filter(candidat_id=user.pk).select_related("certification").order_by("-creee_le"))
