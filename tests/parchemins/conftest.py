"""Final jury decisions ready for delivery: a locked session with a total, a partial and a refusal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from parchemin.comptes.enums import Role
from parchemin.comptes.models import User
from parchemin.jurys.en_vigueur import recalculer_decisions_en_vigueur
from parchemin.jurys.enums import Decision, StatutSession
from parchemin.jurys.models import Passage, SessionJury
from parchemin.referentiel.models import Certificateur
from tests.comptes.outils import creer_utilisateur
from tests.jurys.conftest import gestionnaire, jury  # noqa: F401 (the jury fixtures, for the real PV flow)
from tests.jurys.factories import SessionJuryFactory, candidature_prete


@dataclass
class Decisions:
    session: SessionJury
    totale: Passage
    partielle: Passage
    refus: Passage


def passage_decide(session: SessionJury, decision: str, unites: list[str], **identite: Any) -> Passage:
    candidature = candidature_prete(certification=session.certification, **identite)
    return Passage.objects.create(
        session=session,
        candidature=candidature,
        presence="PRESENT",
        decision_proposee=decision,
        decision=decision,
        unites_proposees=unites,
        unites_validees=unites,
        deliberee_le=timezone.now(),
    )


def verrouiller(session: SessionJury) -> None:
    """What the last PV signature does to the rows (jurys.services._verrouiller), without the PV."""
    Passage.objects.filter(session=session).update(verrouille=True)
    recalculer_decisions_en_vigueur(session.passages.values_list("candidature_id", flat=True))
    SessionJury.objects.filter(pk=session.pk).update(statut=StatutSession.VERROUILLEE)
    session.refresh_from_db()


@pytest.fixture
def decisions(rs5142: Any) -> Decisions:
    Certificateur.objects.filter(pk=rs5142.certificateur_id).update(siret="73282932000074")
    session = SessionJuryFactory(debut=timezone.now())
    totale = passage_decide(
        session, Decision.VALIDATION_TOTALE, ["1", "2", "3"], prenom1="Camille", nom_naissance="Martin"
    )
    partielle = passage_decide(
        session, Decision.VALIDATION_PARTIELLE, ["2"], prenom1="Dominique", nom_naissance="Bernard"
    )
    refus = passage_decide(session, Decision.REFUS, [], prenom1="Alix", nom_naissance="Petit")
    verrouiller(session)
    return Decisions(session=session, totale=totale, partielle=partielle, refus=refus)


@pytest.fixture
def gestionnaire_parchemins(db: None) -> User:
    return creer_utilisateur("gestion-parchemins@example.org", Role.GESTIONNAIRE)
