"""Planning requests as recorded jobs: lifecycle, claiming once, abandoned jobs, the worker command,
accepting the stored proposal against today's data."""

from __future__ import annotations

import datetime
import io
from html import unescape
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from parchemin.comptes.models import User
from parchemin.erreurs import ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.jurys import planification_demandes
from parchemin.jurys.enums import StatutPlanification
from parchemin.jurys.models import DemandePlanification, Disponibilite, MembreJury, SessionJury
from parchemin.jurys.planification_demandes import Parametres, demander, marquer_abandonnees, traiter
from parchemin.referentiel.enums import ProfilJury
from tests.taches import reglage

from .factories import MembreJuryFactory, candidature_prete

pytestmark = pytest.mark.django_db

JOUR = datetime.date(2026, 10, 6)


@pytest.fixture
def en_file(settings: Any) -> None:
    """As in production: the request only records the job; a worker runs it."""
    settings.TASKS = reglage()


def _pool() -> list[MembreJury]:
    membres = [
        MembreJuryFactory(profils=[profil])
        for profil in (ProfilJury.RECHERCHE_TERRITOIRES, ProfilJury.FABLAB, ProfilJury.LIEU_HYBRIDE)
    ]
    for membre in membres:
        Disponibilite.objects.create(membre=membre, date=JOUR)
    return membres


def _demander(rs5142: Any, gestionnaire: User) -> DemandePlanification:
    return demander(
        Parametres(rs5142.regles_jury.get(), [JOUR], datetime.time(9, 30), 6, lieu="Poitiers"), acteur=gestionnaire
    )


def _actions(demande: DemandePlanification) -> list[str]:
    return list(
        EntreeJournal.objects.filter(objet_type="jurys.demandeplanification", objet_id=str(demande.pk))
        .order_by("sequence")
        .values_list("action", flat=True)
    )


def test_a_request_waits_for_the_worker_then_stores_the_proposal(
    rs5142: Any, gestionnaire: User, en_file: None
) -> None:
    membres = _pool()
    candidature = candidature_prete()
    demande = _demander(rs5142, gestionnaire)
    assert demande.statut == StatutPlanification.EN_ATTENTE and demande.resultat is None

    traitee = traiter()

    assert traitee is not None and traitee.pk == demande.pk
    assert traitee.statut == StatutPlanification.TERMINEE
    assert traitee.commencee_le is not None and traitee.terminee_le is not None
    assert traitee.resultat is not None
    [session] = traitee.resultat["sessions"]
    assert session["date"] == JOUR.isoformat()
    assert sorted(session["membres"]) == sorted(m.pk for m in membres)
    assert session["candidats"] == [candidature.pk]
    assert _actions(demande) == [
        "jurys.demander_planification",
        "jurys.planification_commencee",
        "jurys.planification_terminee",
    ]
    assert traiter() is None  # nothing left: a second run does not solve it again


def test_an_infeasible_request_keeps_the_explanation(rs5142: Any, gestionnaire: User, en_file: None) -> None:
    candidature_prete()
    demande = _demander(rs5142, gestionnaire)
    traiter(demande.pk)
    demande.refresh_from_db()
    assert demande.statut == StatutPlanification.INFAISABLE
    assert "Le vivier ne permet aucun jury conforme" in demande.explication
    assert demande.resultat is None
    assert _actions(demande)[-1] == "jurys.planification_terminee"


def test_an_unexpected_solver_error_fails_the_request_in_french(
    rs5142: Any, gestionnaire: User, en_file: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _pool()
    candidature_prete()
    demande = _demander(rs5142, gestionnaire)

    def panne(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(planification_demandes, "planifier", panne)
    traiter()
    demande.refresh_from_db()
    assert demande.statut == StatutPlanification.ECHOUEE
    assert demande.explication.startswith("Le calcul a échoué")
    assert "solver crashed" not in demande.explication


def test_a_request_is_claimed_by_one_worker_only(rs5142: Any, gestionnaire: User, en_file: None) -> None:
    _pool()
    candidature_prete()
    demande = _demander(rs5142, gestionnaire)

    premier = planification_demandes._reclamer(None)
    second = planification_demandes._reclamer(None)
    cible = planification_demandes._reclamer(demande.pk)

    assert premier is not None and premier.pk == demande.pk
    assert second is None and cible is None
    assert _actions(demande).count("jurys.planification_commencee") == 1


def test_a_request_running_for_too_long_is_marked_failed_and_a_late_result_is_dropped(
    rs5142: Any, gestionnaire: User, en_file: None, settings: Any
) -> None:
    settings.PLANIFICATION_ABANDON_SECONDES = 60
    _pool()
    candidature_prete()
    demande = _demander(rs5142, gestionnaire)
    reclamee = planification_demandes._reclamer(demande.pk)
    assert reclamee is not None

    assert marquer_abandonnees(timezone.now() + datetime.timedelta(seconds=30)) == 0
    assert marquer_abandonnees(timezone.now() + datetime.timedelta(seconds=61)) == 1

    demande.refresh_from_db()
    assert demande.statut == StatutPlanification.ECHOUEE
    assert "Calcul interrompu" in demande.explication
    planification_demandes._terminer(reclamee, StatutPlanification.TERMINEE, resultat={"sessions": []})
    demande.refresh_from_db()
    assert demande.statut == StatutPlanification.ECHOUEE
    assert _actions(demande)[-1] == "jurys.planification_abandonnee"


def test_the_catch_up_command_enqueues_again_a_request_left_without_a_live_task(
    rs5142: Any, gestionnaire: User, en_file: None, settings: Any
) -> None:
    from django_tasks import default_task_backend

    demande = _demander(rs5142, gestionnaire)
    assert demande.tache and len(default_task_backend.differees) == 1
    sortie = io.StringIO()

    call_command("traiter_planifications", stdout=sortie)

    # The test backend keeps no results: every waiting request looks orphaned and is enqueued again;
    # with the database backend a queued task is left alone (tests/test_taches.py).
    assert "0 demande(s) bloquée(s) marquée(s) échouée(s), 1 remise(s) en file" in sortie.getvalue()
    assert [r.args for r in default_task_backend.differees] == [[demande.pk], [demande.pk]]
    traiter(demande.pk)
    assert traiter(demande.pk) is None  # the second task finds the request claimed: nothing solved twice


def test_the_database_worker_solves_a_request_and_staff_see_the_task(
    rs5142: Any, gestionnaire: User, taches_en_base: None, client: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from tests.comptes.outils import connecter
    from tests.taches import travailler

    _pool()
    candidature_prete()
    demande = _demander(rs5142, gestionnaire)
    assert demande.statut == StatutPlanification.EN_ATTENTE
    etat = planification_demandes.etat_calcul(demande)
    assert etat is not None and etat.libelle == "en file d'attente"
    call_command("traiter_planifications", stdout=io.StringIO())  # a queued task is left alone
    assert DBTaskResult.objects.count() == 1

    travailler()

    demande.refresh_from_db()
    assert demande.statut == StatutPlanification.TERMINEE
    connecter(client, gestionnaire)
    page = unescape(client.get(f"/gestion/jurys/planification/{demande.pk}/").content.decode())
    assert "Tâche de calcul" in page and "Terminée" in page
    assert DBTaskResult.objects.get().return_value == StatutPlanification.TERMINEE


def test_accepting_checks_the_stored_proposal_against_todays_pool(rs5142: Any, gestionnaire: User) -> None:
    membres = _pool()
    candidature_prete()
    demande = _demander(rs5142, gestionnaire)
    assert demande.statut == StatutPlanification.TERMINEE
    membres[0].interne = True
    membres[0].save()

    with pytest.raises(ErreurMetier, match=f"n.est pas conforme : Session n° 1 du 06/10/2026 :.*{membres[0]}"):
        planification_demandes.accepter(demande, acteur=gestionnaire)

    assert not SessionJury.objects.exists()
    demande.refresh_from_db()
    assert demande.acceptee_le is None


def test_only_a_finished_request_can_be_accepted(rs5142: Any, gestionnaire: User, en_file: None) -> None:
    _pool()
    candidature_prete()
    demande = _demander(rs5142, gestionnaire)
    with pytest.raises(ErreurMetier, match="pas de proposition à accepter"):
        planification_demandes.accepter(demande, acteur=gestionnaire)


def test_the_request_enqueues_its_task_and_keeps_its_id(rs5142: Any, gestionnaire: User, en_file: None) -> None:
    from django_tasks import default_task_backend

    demande = _demander(rs5142, gestionnaire)
    assert DemandePlanification.objects.get(pk=demande.pk).statut == StatutPlanification.EN_ATTENTE
    assert default_task_backend.differees[-1].args == [demande.pk]
    assert demande.tache == default_task_backend.differees[-1].id


def test_the_status_page_follows_a_pending_request_without_reloading(
    rs5142: Any, gestionnaire: User, en_file: None, client: Any
) -> None:
    from tests.comptes.outils import connecter

    _pool()
    candidature_prete()
    demande = _demander(rs5142, gestionnaire)
    connecter(client, gestionnaire)
    adresse = f"/gestion/jurys/planification/{demande.pk}/"

    page = client.get(adresse)
    html = unescape(page.content.decode())
    assert 'http-equiv="refresh"' not in html
    assert "js/suivi-planification.js" in html
    assert "Calcul en attente d'un processus de calcul." in html
    assert client.get(adresse, HTTP_ACCEPT="application/json").json() == {
        "statut": "EN_ATTENTE",
        "en_cours": True,
        "message": "Calcul en attente d'un processus de calcul.",
    }

    traiter(demande.pk)
    etat = client.get(adresse, HTTP_ACCEPT="application/json").json()
    assert etat["en_cours"] is False and etat["statut"] == "TERMINEE"
    assert "js/suivi-planification.js" not in client.get(adresse).content.decode()


# --- Editing the proposal before accepting --------------------------------------------------------

LENDEMAIN = JOUR + datetime.timedelta(days=1)


def _proposition_a_deux_sessions(
    rs5142: Any, gestionnaire: User
) -> tuple[DemandePlanification, list[MembreJury], list[Any]]:
    """A finished request as the solver would leave it: the pool on both days, one candidate each."""
    membres = _pool()
    candidatures = [candidature_prete(), candidature_prete()]
    demande = DemandePlanification.objects.create(
        demandeur=gestionnaire,
        regle=rs5142.regles_jury.get(),
        dates=[JOUR.isoformat(), LENDEMAIN.isoformat()],
        heure=datetime.time(9, 30),
        max_candidats=2,
        lieu="Poitiers",
        temps_max_secondes=10,
        statut=StatutPlanification.TERMINEE,
        resultat={
            "sessions": [
                {"date": jour.isoformat(), "membres": [m.pk for m in membres], "candidats": [c.pk]}
                for jour, c in zip((JOUR, LENDEMAIN), candidatures, strict=True)
            ],
            "charges": {str(m.pk): 2 for m in membres},
            "optimale": True,
            "duree_secondes": 0.2,
        },
    )
    return demande, membres, candidatures


def test_staff_swap_a_member_and_move_a_candidate_in_a_copy_then_accept_it(rs5142: Any, gestionnaire: User) -> None:
    demande, membres, (premiere, seconde) = _proposition_a_deux_sessions(rs5142, gestionnaire)
    origine = demande.resultat
    remplacante = MembreJuryFactory(profils=[ProfilJury.LIEU_HYBRIDE])
    Disponibilite.objects.create(membre=remplacante, date=JOUR)

    planification_demandes.modifier_session(
        demande,
        1,
        date=JOUR,
        membres=[membres[0].pk, membres[1].pk, remplacante.pk],
        affectations={premiere.pk: 2},
        acteur=gestionnaire,
    )

    demande.refresh_from_db()
    assert demande.resultat == origine
    assert demande.proposition_modifiee is not None
    une, deux = demande.proposition_modifiee["sessions"]
    assert une == {"date": JOUR.isoformat(), "membres": [membres[0].pk, membres[1].pk, remplacante.pk], "candidats": []}
    assert deux["candidats"] == [seconde.pk, premiere.pk]
    entree = EntreeJournal.objects.filter(action="jurys.modifier_proposition").get()
    assert entree.acteur_id == gestionnaire.pk
    assert str(membres[2]) in entree.avant["membres"] and str(remplacante) in entree.apres["membres"]
    assert entree.apres["deplacements"] == {premiere.nom_complet: "session n° 2"}
    verifiees = planification_demandes.verifier_proposition(demande)
    assert [v.a_creer for v in verifiees] == [False, True]
    assert not any(v.bloquante for v in verifiees)

    [session] = planification_demandes.accepter(demande, acteur=gestionnaire)

    assert set(session.passages.values_list("candidature_id", flat=True)) == {premiere.pk, seconde.pk}
    assert set(session.membres.values_list("pk", flat=True)) == {m.pk for m in membres}
    assert timezone.localtime(session.debut).date() == LENDEMAIN
    assert EntreeJournal.objects.filter(action="jurys.accepter_planification").get().apres["modifiee"] is True


def test_an_edit_breaking_a_rule_is_kept_shown_with_the_members_named_and_refused_on_acceptance(
    rs5142: Any, gestionnaire: User
) -> None:
    demande, membres, _ = _proposition_a_deux_sessions(rs5142, gestionnaire)

    planification_demandes.modifier_session(
        demande, 2, date=LENDEMAIN, membres=[membres[0].pk, membres[1].pk], affectations={}, acteur=gestionnaire
    )

    demande.refresh_from_db()
    premiere, deuxieme = planification_demandes.verifier_proposition(demande)
    assert not premiere.bloquante and deuxieme.bloquante
    [quota] = [v for v in deuxieme.violations if v.code == "QUOTA_PROFIL"]
    assert quota.membres and set(quota.membres) <= {str(membres[0]), str(membres[1])}
    assert all(nom in quota.message for nom in quota.membres)
    with pytest.raises(ErreurMetier, match=f"Session n° 2 du {LENDEMAIN:%d/%m/%Y} : .*Profil « "):
        planification_demandes.accepter(demande, acteur=gestionnaire)
    assert not SessionJury.objects.exists()
    assert DemandePlanification.objects.get(pk=demande.pk).acceptee_le is None


def test_a_member_sitting_twice_the_same_day_is_a_blocking_problem(rs5142: Any, gestionnaire: User) -> None:
    demande, membres, _ = _proposition_a_deux_sessions(rs5142, gestionnaire)
    planification_demandes.modifier_session(
        demande, 2, date=JOUR, membres=[m.pk for m in membres], affectations={}, acteur=gestionnaire
    )
    demande.refresh_from_db()
    premiere, _ = planification_demandes.verifier_proposition(demande)
    assert premiere.bloquante
    assert f"{membres[0]} siège aussi dans la session n° 2 du même jour, à la même heure." in premiere.problemes


def test_a_dropped_candidate_can_be_put_back_and_the_solvers_proposal_restored(rs5142: Any, gestionnaire: User) -> None:
    demande, membres, (premiere, seconde) = _proposition_a_deux_sessions(rs5142, gestionnaire)
    tous = [m.pk for m in membres]

    planification_demandes.modifier_session(
        demande, 1, date=JOUR, membres=tous, affectations={premiere.pk: None}, acteur=gestionnaire
    )
    demande.refresh_from_db()
    assert planification_demandes.candidats_non_planifies(demande) == [premiere.pk]

    planification_demandes.modifier_session(
        demande, 2, date=LENDEMAIN, membres=tous, affectations={premiere.pk: 2}, acteur=gestionnaire
    )
    demande.refresh_from_db()
    assert planification_demandes.candidats_non_planifies(demande) == []
    assert demande.proposition_modifiee is not None
    assert demande.proposition_modifiee["sessions"][1]["candidats"] == [seconde.pk, premiere.pk]

    planification_demandes.retablir_proposition(demande, acteur=gestionnaire)
    demande.refresh_from_db()
    assert demande.proposition_modifiee is None
    assert _actions(demande)[-3:] == [
        "jurys.modifier_proposition",
        "jurys.modifier_proposition",
        "jurys.retablir_proposition",
    ]


def test_edits_outside_the_request_or_after_acceptance_are_refused_in_french(rs5142: Any, gestionnaire: User) -> None:
    demande, membres, (premiere, seconde) = _proposition_a_deux_sessions(rs5142, gestionnaire)
    tous = [m.pk for m in membres]
    retire = MembreJuryFactory(profils=[ProfilJury.FABLAB], actif=False)

    def modifier(**champs: Any) -> None:
        parametres: dict[str, Any] = {"date": JOUR, "membres": tous, "affectations": {}, **champs}
        planification_demandes.modifier_session(demande, champs.pop("numero", 1), acteur=gestionnaire, **parametres)

    with pytest.raises(ErreurMetier, match="parmi celles de la demande"):
        modifier(date=JOUR + datetime.timedelta(days=30))
    with pytest.raises(ErreurMetier, match="parmi ceux du vivier"):
        modifier(membres=[*tous, retire.pk])
    with pytest.raises(ErreurMetier, match="Seuls les candidats de cette session"):
        modifier(affectations={seconde.pk: 1})
    with pytest.raises(ErreurMetier, match="Choisissez une session"):
        modifier(affectations={premiere.pk: 3})
    assert DemandePlanification.objects.get(pk=demande.pk).proposition_modifiee is None

    planification_demandes.accepter(demande, acteur=gestionnaire)
    with pytest.raises(ErreurMetier, match="déjà été acceptée"):
        modifier()
