"""A history of applications as years leave it: states and dates written directly, decisions on
signed PVs, each followed by the recompute of the stored outcome as the jury's services do. Built on
the candidatures and jurys factories (needs the ``rs5142`` fixture)."""

from __future__ import annotations

import datetime
from typing import Any

from parchemin.candidatures.enums import DecisionRecevabilite, EtatCandidature
from parchemin.candidatures.models import Candidature
from parchemin.jurys.en_vigueur import recalculer_decisions_en_vigueur
from parchemin.jurys.enums import Decision, StatutSession
from parchemin.jurys.models import AmendementDecision, Passage, SessionJury
from tests.candidatures.factories import CandidatureFactory, UtilisateurFactory
from tests.jurys.factories import SessionJuryFactory


def moment(annee: int, mois: int, jour: int) -> datetime.datetime:
    """Mid-morning UTC: the same civil day in Paris, whatever the season."""
    return datetime.datetime(annee, mois, jour, 10, 0, tzinfo=datetime.UTC)


def session_jury(debut: datetime.datetime, statut: str = StatutSession.VERROUILLEE) -> SessionJury:
    return SessionJuryFactory(debut=debut, statut=statut)


def dossier(
    *,
    annee: int,
    depose: datetime.datetime | None,
    etat: str = EtatCandidature.DEPOSEE,
    recevabilite: tuple[str, datetime.datetime] | None = None,
    **champs: Any,
) -> Candidature:
    """An application of ``annee`` deposited on ``depose`` (None: still a draft)."""
    candidature = CandidatureFactory(annee=annee, **champs)
    mise_a_jour: dict[str, Any] = {"etat": etat if depose else EtatCandidature.BROUILLON, "deposee_le": depose}
    if recevabilite is not None:
        mise_a_jour |= {"decision_recevabilite": recevabilite[0], "decision_le": recevabilite[1]}
    Candidature.objects.filter(pk=candidature.pk).update(**mise_a_jour)
    return Candidature.objects.get(pk=candidature.pk)


def recevable(le: datetime.datetime) -> tuple[str, datetime.datetime]:
    return (DecisionRecevabilite.RECEVABLE, le)


def non_recevable(le: datetime.datetime) -> tuple[str, datetime.datetime]:
    return (DecisionRecevabilite.NON_RECEVABLE, le)


def passage(candidature: Candidature, session: SessionJury, decision: str, *, verrouille: bool = True) -> Passage:
    """The candidate before ``session`` with the jury's ``decision`` (on a signed PV by default)."""
    unites = ["U1", "U2", "U3"] if decision == Decision.VALIDATION_TOTALE else []
    if decision == Decision.VALIDATION_PARTIELLE:
        unites = ["U1"]
    Candidature.objects.filter(pk=candidature.pk).update(etat=EtatCandidature.DECIDEE)
    cree = Passage.objects.create(
        session=session,
        candidature=candidature,
        presence="PRESENT"
        if decision in (Decision.VALIDATION_TOTALE, Decision.VALIDATION_PARTIELLE, Decision.REFUS)
        else decision,
        decision_proposee=decision,
        decision=decision,
        unites_validees=unites,
        deliberee_le=session.debut,
        verrouille=verrouille,
    )
    # What the services do in the same transaction: the application's stored outcome follows.
    recalculer_decisions_en_vigueur([candidature.pk])
    return cree


def amender(p: Passage, decision: str, unites: list[str]) -> AmendementDecision:
    amendement = AmendementDecision.objects.create(
        passage=p,
        decision_avant=p.decision,
        unites_avant=p.unites_validees,
        decision_apres=decision,
        unites_apres=unites,
        motif="Erreur de saisie relevée après la signature.",
        auteur=UtilisateurFactory(email="auteur-amendement@example.org"),
    )
    recalculer_decisions_en_vigueur([p.candidature_id])
    return amendement
