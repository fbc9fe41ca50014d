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

from .factories import MembreJuryFactory, candidature_prete

pytestmark = pytest.mark.django_db

JOUR = datetime.date(2026, 10, 6)


@pytest.fixture
def en_file(settings: Any) -> None:
    """As in production: the request only records the job; a worker runs it."""
    settings.PLANIFICATION_EXECUTION = "worker"


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


def test_the_worker_command_processes_every_pending_request_once(
    rs5142: Any, gestionnaire: User, en_file: None
) -> None:
    _pool()
    candidature_prete()
    demandes = [_demander(rs5142, gestionnaire) for _ in range(2)]
    sortie = io.StringIO()

    call_command("traiter_planifications", "--une-fois", stdout=sortie)
    call_command("traiter_planifications", "--une-fois", stdout=sortie)

    assert "2 demande(s) de planification traitée(s)" in sortie.getvalue()
    assert "0 demande(s) de planification traitée(s)" in sortie.getvalue()
    assert {d.statut for d in DemandePlanification.objects.filter(pk__in=[d.pk for d in demandes])} == {
        StatutPlanification.TERMINEE
    }


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


def test_in_thread_mode_the_job_starts_only_after_the_commit(
    rs5142: Any, gestionnaire: User, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.PLANIFICATION_EXECUTION = "thread"
    with django_capture_on_commit_callbacks(execute=False) as rappels:
        demande = _demander(rs5142, gestionnaire)
    assert len(rappels) == 1
    assert DemandePlanification.objects.get(pk=demande.pk).statut == StatutPlanification.EN_ATTENTE


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
