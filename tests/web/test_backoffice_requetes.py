"""Every back-office list costs the same number of queries whatever the number of rows it lists.

Each list is read once with a few rows of its kind, then again after more were added: a query per row
(a relation read in the template, a count per line) would show as a difference. The time of the same
pages at 20,000 applications is measured by ``bench/bench_candidatures.py``, never asserted here.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parchemin.candidatures.enums import DecisionRecevabilite, EtatCandidature
from parchemin.comptes.enums import Role
from parchemin.courriels.services import mettre_en_file
from parchemin.journal.services import enregistrer
from parchemin.jurys.models import DemandePlanification, Passage
from parchemin.parchemins.models import ALPHABET_CODE, LONGUEUR_CODE, Parchemin
from parchemin.referentiel.enums import VoieAcces
from parchemin.referentiel.models import RegleJury
from tests.candidatures.factories import CandidatureFactory
from tests.comptes.outils import connecter, creer_utilisateur
from tests.jurys.factories import MembreJuryFactory, SessionJuryFactory, candidature_prete, sieger, trio_rs5142
from tests.partenaires.factories import HabilitationFactory, SessionFormationFactory

pytestmark = pytest.mark.django_db


def _candidatures(n: int) -> None:
    for _ in range(n):
        session = SessionFormationFactory()
        CandidatureFactory(voie=VoieAcces.FORMATION_CONTINUE, partenaire=session.partenaire, session_formation=session)


def _echeances(n: int) -> None:
    aujourd_hui = timezone.localdate()
    for jours in range(n):
        for echeance in (aujourd_hui - datetime.timedelta(days=jours + 1), aujourd_hui + datetime.timedelta(days=3)):
            CandidatureFactory(
                voie=VoieAcces.EXPERIENCE,
                etat=EtatCandidature.DEPOSEE,
                dossier_complet_le=echeance - datetime.timedelta(days=61),
                echeance_recevabilite=echeance,
            )
        CandidatureFactory(
            voie=VoieAcces.EXPERIENCE,
            etat=EtatCandidature.RECEVABLE,
            dossier_complet_le=aujourd_hui - datetime.timedelta(days=70),
            echeance_recevabilite=aujourd_hui - datetime.timedelta(days=9),
            acceptation_tacite_le=aujourd_hui - datetime.timedelta(days=8),
            decision_recevabilite=DecisionRecevabilite.RECEVABLE,
        )


def _sessions_jury(n: int) -> None:
    membres = trio_rs5142()
    for _ in range(n):
        session = SessionJuryFactory()
        sieger(session, membres)
        Passage.objects.create(session=session, candidature=candidature_prete())


def _vivier(n: int) -> None:
    for _ in range(n):
        membre = MembreJuryFactory()
        membre.partenaires_formateur.add(SessionFormationFactory().partenaire)


def _planifications(n: int) -> None:
    demandeur = creer_utilisateur(f"planif{secrets.token_hex(4)}@example.org", Role.GESTIONNAIRE)
    regle = RegleJury.objects.first()
    for _ in range(n):
        DemandePlanification.objects.create(
            demandeur=demandeur,
            regle=regle,
            dates=[],
            heure=datetime.time(9),
            max_candidats=6,
            temps_max_secondes=5,
            lieu="Bordeaux",
        )


def _partenaires(n: int) -> None:
    for _ in range(n):
        SessionFormationFactory(partenaire=HabilitationFactory().partenaire)


def _parchemins(n: int) -> None:
    session = SessionJuryFactory()
    for _ in range(n):
        passage = Passage.objects.create(
            session=session, candidature=candidature_prete(), decision_proposee="VALIDATION", decision="VALIDATION"
        )
        Parchemin.objects.create(
            passage=passage,
            candidature=passage.candidature,
            numero=f"RS5142-{passage.pk:06d}",
            code_verification="".join(secrets.choice(ALPHABET_CODE) for _ in range(LONGUEUR_CODE)),
            decision="VALIDATION",
            date_decision=timezone.now(),
        )


def _journal(n: int) -> None:
    for i in range(n):
        enregistrer(action=f"test.action{i % 3}", objet=CandidatureFactory(), resume=f"entrée {i}")


def _courriels(n: int) -> None:
    for i in range(n):
        mettre_en_file([f"personne{i}@example.org"], f"Sujet {i}", "Texte", essayer=False)


LISTES: dict[str, tuple[str, dict[str, str], Callable[[int], None]]] = {
    "candidatures": ("backoffice:candidatures", {}, _candidatures),
    "candidatures (200 par page, recherche)": ("backoffice:candidatures", {"taille": "200", "q": "a"}, _candidatures),
    "échéances de recevabilité": ("backoffice:candidatures_echeances", {}, _echeances),
    "sessions de jury": ("backoffice:jurys_sessions", {}, _sessions_jury),
    "vivier des jurés": ("backoffice:jurys_vivier", {}, _vivier),
    "demandes de planification": ("backoffice:jurys_planification", {}, _planifications),
    "organismes partenaires": ("backoffice:partenaires", {}, _partenaires),
    "parchemins": ("backoffice:parchemins", {}, _parchemins),
    "journal": ("backoffice:journal", {}, _journal),
    "courriels": ("backoffice:courriels", {}, _courriels),
}


def _requetes(client: Client, url: str, parametres: dict[str, str]) -> list[str]:
    with CaptureQueriesContext(connection) as requetes:
        reponse = client.get(url, parametres)
    assert reponse.status_code == 200, url
    return [requete["sql"] for requete in requetes]


@pytest.mark.parametrize("liste", list(LISTES))
def test_a_back_office_list_costs_the_same_queries_for_2_or_8_rows(rs5142: Any, liste: str) -> None:
    nom, parametres, ajouter = LISTES[liste]
    client = connecter(Client(), creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE))
    url = reverse(nom)
    ajouter(2)
    client.get(url, parametres)  # first reading: caches filled once per process (site, roles)
    avec_peu = _requetes(client, url, parametres)
    ajouter(6)
    avec_plus = _requetes(client, url, parametres)
    assert len(avec_plus) == len(avec_peu), "\n".join(avec_plus)
