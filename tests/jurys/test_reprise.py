"""A jury held before the platform, taken over from history: recorded as decided, locked, without
an electronic PV or a parchemin, accepted by verifier_pv by its explicit rule, counted in the figures."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from parchemin.candidatures.enums import EtatCandidature
from parchemin.candidatures.models import Candidature
from parchemin.comptes.enums import Role
from parchemin.comptes.models import User
from parchemin.courriels.models import Courriel
from parchemin.erreurs import AccesRefuse, ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.jurys.en_vigueur import liste_ecarts
from parchemin.jurys.enums import Decision, OrigineSession, StatutSession
from parchemin.jurys.models import MembreJury, Passage, ProcesVerbal, SessionJury
from parchemin.jurys.queries import get_passage_siege
from parchemin.jurys.reprise import DecisionReprise, reprendre_session
from parchemin.jurys.services import amender_apres_signature
from parchemin.parchemins.models import Parchemin
from parchemin.parchemins.services import preparer_parchemins, preparer_sessions_oubliees
from parchemin.referentiel.models import RegleJury
from parchemin.statistiques.resultats import Filtres, tableau_resultats
from tests.comptes.outils import creer_utilisateur

from .factories import SessionJuryFactory, candidature_prete, trio_rs5142

pytestmark = pytest.mark.django_db

IL_Y_A_UN_AN = datetime.datetime(2025, 6, 16, 9, 0, tzinfo=datetime.UTC)


def _prete(depose: datetime.datetime = IL_Y_A_UN_AN - datetime.timedelta(days=120)) -> Candidature:
    candidature = candidature_prete(annee=depose.year)
    Candidature.objects.filter(pk=candidature.pk).update(deposee_le=depose)
    candidature.refresh_from_db()
    return candidature


def _reprendre(gestionnaire: User, membres: list[MembreJury], decisions: list[DecisionReprise], **champs: Any) -> Any:
    return reprendre_session(
        acteur=gestionnaire,
        regle=RegleJury.objects.get(certification__code="RS5142"),
        intitule=champs.pop("intitule", "Jury de juin 2025 (reprise d'historique)"),
        debut=champs.pop("debut", IL_Y_A_UN_AN),
        lieu="Bordeaux",
        membres=membres,
        decisions=decisions,
    )


def test_takes_over_a_past_jury_as_decided_without_pv_parchemin_or_email(rs5142: Any, gestionnaire: User) -> None:
    totale, partielle, refus, absent = (_prete() for _ in range(4))
    session = _reprendre(
        gestionnaire,
        trio_rs5142(),
        [
            DecisionReprise(totale, Decision.VALIDATION_TOTALE, ("1", "2", "3")),
            DecisionReprise(partielle, Decision.VALIDATION_PARTIELLE, ("1", "3"), "Unité 2 à consolider."),
            DecisionReprise(refus, Decision.REFUS),
            DecisionReprise(absent, Decision.ABSENT),
        ],
    )

    assert (session.origine, session.statut, session.reprise) == (
        OrigineSession.REPRISE,
        StatutSession.VERROUILLEE,
        True,
    )
    assert not ProcesVerbal.objects.filter(session=session).exists()
    passages = {p.candidature_id: p for p in Passage.objects.filter(session=session)}
    assert all(p.verrouille for p in passages.values())
    assert passages[partielle.pk].unites_validees == ["1", "3"]
    assert passages[absent.pk].presence == "ABSENT"
    etats = dict(Candidature.objects.filter(pk__in=passages).values_list("pk", "etat"))
    assert etats == {
        totale.pk: EtatCandidature.DECIDEE,
        partielle.pk: EtatCandidature.DECIDEE,
        refus.pk: EtatCandidature.DECIDEE,
        absent.pk: EtatCandidature.PRETE_POUR_JURY,  # may sit again, as after a live jury
    }
    entree = EntreeJournal.objects.get(action="jurys.reprendre_session")
    assert entree.apres["decisions"][str(partielle.pk)] == Decision.VALIDATION_PARTIELLE
    assert EntreeJournal.objects.filter(action="candidatures.decision_jury").count() == 3
    assert not Courriel.objects.exists()  # the decisions were announced years ago
    assert preparer_parchemins(session) == [] and preparer_sessions_oubliees() == 0
    assert not Parchemin.objects.exists()

    with pytest.raises(ErreurMetier, match="repris de l'historique : son PV papier fait foi"):
        amender_apres_signature(
            session, refus, acteur=gestionnaire, decision=Decision.VALIDATION_TOTALE, unites=["1", "2", "3"], motif="x"
        )

    ligne = tableau_resultats(Filtres(annee=2025))[0]
    assert (ligne.chiffres["validations_totales"], ligne.chiffres["validations_partielles"]) == (1, 1)
    assert (ligne.chiffres["refus"], ligne.chiffres["absents"]) == (1, 1)


def test_the_outcome_the_statistics_count_is_stored_by_the_take_over_and_follows_a_later_jury(
    rs5142: Any, gestionnaire: User
) -> None:
    absent, refus = _prete(), _prete()
    membres = trio_rs5142()
    juin = _reprendre(
        gestionnaire, membres, [DecisionReprise(absent, Decision.ABSENT), DecisionReprise(refus, Decision.REFUS)]
    )
    novembre = IL_Y_A_UN_AN + datetime.timedelta(days=150)
    _reprendre(
        gestionnaire,
        membres,
        [DecisionReprise(absent, Decision.VALIDATION_TOTALE, ("1", "2", "3"))],
        intitule="Jury de novembre 2025 (reprise d'historique)",
        debut=novembre,
    )

    stockes = {
        c.pk: (c.decision_finale, c.decide_le, c.annee_decision)
        for c in Candidature.objects.filter(pk__in=[absent.pk, refus.pk])
    }
    assert stockes == {
        absent.pk: (Decision.VALIDATION_TOTALE, novembre, 2025),
        refus.pk: (Decision.REFUS, juin.debut, 2025),
    }
    assert liste_ecarts() == []


@pytest.mark.parametrize(
    ("decision", "unites", "message"),
    [
        (Decision.VALIDATION_PARTIELLE, ("1", "2", "3"), "une validation partielle sur une partie"),
        (Decision.VALIDATION_TOTALE, ("1",), "une validation totale porte sur toutes les unités"),
        (Decision.REFUS, ("1",), "un refus ou une absence sur aucune"),
        (Decision.VALIDATION_PARTIELLE, ("9",), r"unité\(s\) inconnue\(s\) du référentiel : 9"),
        ("ADMIS", (), "décision inconnue"),
    ],
)
def test_refuses_decisions_a_jury_could_not_take(
    rs5142: Any, gestionnaire: User, decision: str, unites: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ErreurMetier, match=message):
        _reprendre(gestionnaire, trio_rs5142(), [DecisionReprise(_prete(), decision, unites)])
    assert not SessionJury.objects.exists() and not EntreeJournal.objects.filter(action__startswith="jurys.").exists()


def test_refuses_a_date_to_come_a_file_not_ready_or_deposited_later_and_a_jury_against_the_rule(
    rs5142: Any, gestionnaire: User
) -> None:
    demain = timezone.now() + datetime.timedelta(days=1)
    with pytest.raises(ErreurMetier, match="Seul un jury déjà tenu"):
        _reprendre(gestionnaire, trio_rs5142(), [DecisionReprise(_prete(), Decision.REFUS)], debut=demain)
    brouillon = _prete()
    Candidature.objects.filter(pk=brouillon.pk).update(etat=EtatCandidature.RECEVABLE)
    with pytest.raises(ErreurMetier, match="n'est pas prête pour le jury"):
        _reprendre(gestionnaire, trio_rs5142(), [DecisionReprise(brouillon, Decision.REFUS)])
    tardive = _prete(depose=IL_Y_A_UN_AN + datetime.timedelta(days=3))
    with pytest.raises(ErreurMetier, match="déposée avant la date du jury"):
        _reprendre(gestionnaire, trio_rs5142(), [DecisionReprise(tardive, Decision.REFUS)])
    deux_membres = trio_rs5142()[:2]
    with pytest.raises(ErreurMetier, match="Composition du jury contraire à la règle"):
        _reprendre(gestionnaire, deux_membres, [DecisionReprise(_prete(), Decision.REFUS)])
    assert not SessionJury.objects.exists()


def test_a_jury_from_history_stays_out_of_its_members_jury_space(rs5142: Any, gestionnaire: User) -> None:
    membres = trio_rs5142()
    compte = creer_utilisateur("ancien-jury@example.org", Role.MEMBRE_JURY)
    MembreJury.objects.filter(pk=membres[0].pk).update(user=compte)
    session = _reprendre(gestionnaire, membres, [DecisionReprise(_prete(), Decision.REFUS)])
    passage = Passage.objects.get(session=session)

    assert not SessionJury.objects.siegees_par(compte).exists()
    assert not SessionJury.objects.visible_to(compte).exists()
    assert SessionJury.objects.visible_to(gestionnaire).get() == session
    with pytest.raises(Http404):
        get_passage_siege(compte, session.pk, passage.pk)


def test_only_staff_may_take_over_history(rs5142: Any) -> None:
    candidat = creer_utilisateur("candidat@example.org")
    with pytest.raises(AccesRefuse):
        _reprendre(candidat, trio_rs5142(), [DecisionReprise(_prete(), Decision.REFUS)])


def test_verifier_pv_accepts_history_by_its_rule_and_refuses_a_locked_session_without_pv(
    rs5142: Any, gestionnaire: User
) -> None:
    reprise = _reprendre(gestionnaire, trio_rs5142(), [DecisionReprise(_prete(), Decision.REFUS)])
    sortie = io.StringIO()
    call_command("verifier_pv", stdout=sortie)
    assert "1 session(s) reprise(s) de l'historique" in sortie.getvalue()

    # A session held on the platform, locked without its signed PV: not history, an anomaly.
    SessionJuryFactory(intitule="Jury verrouillé sans PV", statut=StatutSession.VERROUILLEE)
    with pytest.raises(CommandError, match=r"Jury verrouillé sans PV .*verrouillée sans PV signé et scellé"):
        call_command("verifier_pv", stdout=io.StringIO())

    # A session cannot be both history and open (database constraint).
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionJury.objects.filter(pk=reprise.pk).update(statut=StatutSession.CONVOQUEE)
