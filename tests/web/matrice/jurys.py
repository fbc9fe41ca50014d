"""Jury space (members who sit on the session only) and back-office jury pages (staff only)."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from parchemin.candidatures.enums import TypePiece
from parchemin.jurys.enums import StatutPlanification
from parchemin.jurys.models import DemandePlanification, MembreJury, Passage, ProcesVerbal, SessionJury
from tests.candidatures.factories import PieceFactory
from tests.candidatures.fichiers import PDF
from tests.jurys.factories import MembreJuryFactory, SessionJuryFactory, candidature_prete, sieger, trio_rs5142

from . import CONNEXION, Attendu, equipe_seulement, pour_tous
from .candidatures import FICHIER_MATRICE

SIEGE = pour_tous(403, anonyme=CONNEXION, membre_jury=200)
SIEGE_POST = pour_tous(403, anonyme=CONNEXION, membre_jury=405)
NON_SIEGE = pour_tous(403, anonyme=CONNEXION, membre_jury=404)
EQUIPE_POST = pour_tous(403, anonyme=CONNEXION, gestionnaire=405, administrateur=405)


def _session(monde: Any, *, siegee: bool = True) -> tuple[SessionJury, Passage]:
    membres = trio_rs5142()
    if siegee:
        membres[0] = MembreJuryFactory(profils=["ESS"], user=monde.utilisateurs["membre_jury"])
    session = SessionJuryFactory()
    sieger(session, membres)
    passage = Passage.objects.create(session=session, candidature=candidature_prete())
    return session, passage


def _avec_pv(monde: Any) -> dict[str, Any]:
    session, _ = _session(monde)
    ProcesVerbal.objects.create(
        session=session, pdf=PDF, sha256=hashlib.sha256(PDF).hexdigest(), genere_le=timezone.now()
    )
    return {"pk": session.pk}


def _siegee(monde: Any) -> dict[str, Any]:
    return {"pk": _session(monde)[0].pk}


def _autre(monde: Any) -> dict[str, Any]:
    MembreJury.objects.get_or_create(
        user=monde.utilisateurs["membre_jury"], defaults={"prenom": "A", "nom": "B", "email": "jury@example.org"}
    )
    return {"pk": _session(monde, siegee=False)[0].pk}


def _passage(monde: Any) -> dict[str, Any]:
    session, passage = _session(monde)
    return {"pk": session.pk, "passage_pk": passage.pk}


def _piece(monde: Any) -> dict[str, Any]:
    session, passage = _session(monde)
    if not default_storage.exists(FICHIER_MATRICE):
        default_storage.save(FICHIER_MATRICE, ContentFile(PDF))
    piece = PieceFactory(
        candidature=passage.candidature, type_piece=TypePiece.PRESENTATION_PROJET, fichier=FICHIER_MATRICE
    )
    return {"pk": session.pk, "passage_pk": passage.pk, "piece_pk": piece.pk}


def _planification(monde: Any) -> dict[str, Any]:
    """A finished request whose stored proposal can still be accepted (one session, the matrix's jury)."""
    session, passage = _session(monde)
    membres = list(session.sieges.values_list("membre_id", flat=True))
    Passage.objects.filter(pk=passage.pk).delete()
    demande = DemandePlanification.objects.create(
        demandeur=monde.utilisateurs["gestionnaire"],
        regle=session.regle,
        dates=["2026-10-06"],
        heure=datetime.time(14, 0),
        max_candidats=4,
        lieu="Poitiers",
        temps_max_secondes=10,
        statut=StatutPlanification.TERMINEE,
        resultat={
            "sessions": [{"date": "2026-10-06", "membres": membres, "candidats": [passage.candidature_id]}],
            "charges": {str(k): 1 for k in membres},
            "optimale": True,
            "duree_secondes": 0.1,
        },
    )
    return {"pk": demande.pk}


ATTENDUS = [
    Attendu("jury:accueil", SIEGE),
    Attendu("jury:session", SIEGE, kwargs=_siegee),
    Attendu("jury:session", NON_SIEGE, kwargs=_autre),
    Attendu("jury:grille", SIEGE, kwargs=_passage),
    Attendu("jury:piece", SIEGE, kwargs=_piece),
    Attendu("jury:presence", SIEGE_POST, kwargs=_passage),
    Attendu("jury:deliberer", SIEGE_POST, kwargs=_passage),
    Attendu("jury:etablir_pv", SIEGE_POST, kwargs=_siegee),
    Attendu("jury:pv", SIEGE, kwargs=_avec_pv),
    Attendu("jury:pv", NON_SIEGE, kwargs=_autre),
    Attendu("jury:pv_pdf", SIEGE, kwargs=_avec_pv),
    Attendu("backoffice:jurys_sessions", equipe_seulement()),
    Attendu("backoffice:jurys_vivier", equipe_seulement()),
    Attendu("backoffice:jurys_vivier_nouveau", equipe_seulement()),
    Attendu("backoffice:jurys_vivier_membre", equipe_seulement(), kwargs=lambda m: {"pk": MembreJuryFactory().pk}),
    Attendu("backoffice:jurys_planification", equipe_seulement()),
    Attendu("backoffice:jurys_planification_demande", equipe_seulement(), kwargs=_planification),
    Attendu("backoffice:jurys_planification_accepter", EQUIPE_POST, kwargs=_planification),
    Attendu(
        "backoffice:jurys_planification_modifier_session",
        EQUIPE_POST,
        kwargs=lambda monde: {**_planification(monde), "numero": 1},
    ),
    Attendu("backoffice:jurys_planification_retablir", EQUIPE_POST, kwargs=_planification),
    Attendu("backoffice:jurys_session_nouvelle", equipe_seulement()),
    Attendu("backoffice:jurys_session", equipe_seulement(), kwargs=_siegee),
    Attendu("backoffice:jurys_session_membres", EQUIPE_POST, kwargs=_siegee),
    Attendu("backoffice:jurys_session_candidats", EQUIPE_POST, kwargs=_siegee),
    Attendu("backoffice:jurys_session_convoquer", EQUIPE_POST, kwargs=_siegee),
    Attendu("backoffice:jurys_session_presences", EQUIPE_POST, kwargs=_siegee),
    Attendu("backoffice:jurys_session_amender", EQUIPE_POST, kwargs=_siegee),
    Attendu("backoffice:jurys_session_pv_pdf", equipe_seulement(), kwargs=_avec_pv),
    Attendu(
        "backoffice:jurys_session_pv_version_pdf",
        equipe_seulement(),
        kwargs=lambda monde: {**_avec_pv(monde), "numero": 1},
    ),
    Attendu("backoffice:jurys_session_remplacer", EQUIPE_POST, kwargs=_siegee),
    Attendu("backoffice:jurys_session_deplacer", EQUIPE_POST, kwargs=_siegee),
]
