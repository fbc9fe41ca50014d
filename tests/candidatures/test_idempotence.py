"""An action posted twice (double click, second tab, retry) does its work once: the second time it is
either a no-op or refused in French, and the journal holds one entry.

The sequential cases run everywhere; the same actions fired from many threads at once run on
PostgreSQL (the in-memory SQLite test database refuses a second writer instead of waiting)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from parchemin.candidatures import services
from parchemin.candidatures.enums import DecisionRecevabilite, EtatCandidature, NiveauDiplome, TypePiece
from parchemin.candidatures.models import Candidature
from parchemin.erreurs import ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.referentiel.enums import VoieAcces
from tests.comptes.outils import connecter

from .factories import CandidatureFactory, PieceFactory, SessionFormationFactory, UtilisateurFactory
from .test_import import VALIDE_1, VALIDE_2, _csv

MOTIF = "Neuf ans et demi de direction de fablab."


def _a_deroger() -> Candidature:
    candidature = CandidatureFactory(
        voie=VoieAcces.EXPERIENCE, annee=2026, niveau_diplome=NiveauDiplome.NIVEAU_6, annees_experience=9
    )
    PieceFactory(candidature=candidature, type_piece=TypePiece.DOSSIER_RECEVABILITE)
    PieceFactory(candidature=candidature, type_piece=TypePiece.JUSTIFICATIF_EXPERIENCE)
    return candidature


def _entrees(action: str) -> int:
    return EntreeJournal.objects.filter(action=action).count()


# --- Sequential: the second request -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_second_application_on_the_same_route_is_refused_with_the_reason(rs5142: Any) -> None:
    candidat = UtilisateurFactory()
    premiere = services.creer_candidature(
        candidat=candidat, certification=rs5142, voie=VoieAcces.CANDIDATURE_INDIVIDUELLE
    )
    with pytest.raises(ErreurMetier) as refus:
        services.creer_candidature(candidat=candidat, certification=rs5142, voie=VoieAcces.CANDIDATURE_INDIVIDUELLE)
    assert refus.value.message == (
        f"Vous avez déjà une candidature en cours à RS5142 (par candidature individuelle, n°{premiere.pk}, "
        "état « Brouillon ») : poursuivez-la, ou retirez-la avant d'en ouvrir une autre."
    )
    assert Candidature.objects.filter(candidat=candidat).count() == 1
    assert _entrees("candidatures.creer") == 1
    services.retirer(premiere, acteur=candidat)
    services.creer_candidature(candidat=candidat, certification=rs5142, voie=VoieAcces.CANDIDATURE_INDIVIDUELLE)
    assert Candidature.objects.filter(candidat=candidat, etat=EtatCandidature.BROUILLON).count() == 1


@pytest.mark.django_db
def test_the_candidate_page_shows_the_refusal_of_a_second_application(rs5142: Any, client: Client) -> None:
    candidat = UtilisateurFactory()
    connecter(client, candidat)
    url = reverse("candidat:nouvelle", kwargs={"code": "rs5142"})
    client.get(url)
    jeton = client.cookies["csrftoken"].value
    assert client.post(url, {"voie": "CANDIDATURE_INDIVIDUELLE", "csrfmiddlewaretoken": jeton}).status_code == 302
    reponse = client.post(url, {"voie": "CANDIDATURE_INDIVIDUELLE", "csrfmiddlewaretoken": jeton})
    assert reponse.status_code == 200
    assert "déjà une candidature en cours à RS5142" in reponse.content.decode()
    assert Candidature.objects.filter(candidat=candidat).count() == 1


@pytest.mark.django_db
def test_the_same_exception_twice_is_recorded_once_and_another_reason_is_refused(
    rs5142: Any, gestionnaire: Any
) -> None:
    candidature = _a_deroger()
    services.accorder_derogation(candidature, acteur=gestionnaire, motif=MOTIF)
    services.accorder_derogation(candidature, acteur=gestionnaire, motif=f"  {MOTIF} ")
    with pytest.raises(ErreurMetier, match="Une dérogation est déjà accordée pour ce dossier"):
        services.accorder_derogation(candidature, acteur=gestionnaire, motif="Un autre motif.")
    candidature.refresh_from_db()
    assert candidature.derogation_motif == MOTIF
    assert _entrees("candidatures.deroger_prerequis") == 1


@pytest.mark.django_db
def test_a_second_admissibility_decision_is_refused_in_french(rs5142: Any, gestionnaire: Any) -> None:
    candidature = _a_deroger()
    services.accorder_derogation(candidature, acteur=gestionnaire, motif=MOTIF)
    services.deposer(candidature, acteur=candidature.candidat)
    services.decider_recevabilite(candidature, acteur=gestionnaire, decision=DecisionRecevabilite.RECEVABLE)
    with pytest.raises(ErreurMetier, match="est à l'état « Recevable »"):
        services.decider_recevabilite(candidature, acteur=gestionnaire, decision=DecisionRecevabilite.RECEVABLE)
    assert _entrees("candidatures.decider_recevabilite") == 1


@pytest.mark.django_db
def test_the_same_import_twice_is_refused_the_second_time(rs5142: Any, gestionnaire: Any) -> None:
    session = SessionFormationFactory()
    services.importer_stagiaires(
        nom_fichier="s.csv", contenu=_csv(VALIDE_1, VALIDE_2), session=session, acteur=gestionnaire
    )
    with pytest.raises(ErreurMetier, match="déjà une candidature pour cette session"):
        services.importer_stagiaires(
            nom_fichier="s.csv", contenu=_csv(VALIDE_1, VALIDE_2), session=session, acteur=gestionnaire
        )
    assert Candidature.objects.count() == 2
    assert _entrees("candidatures.importer") == 2


# --- Concurrent: many requests at the same instant ---------------------------------------------------

SQLITE = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
RAISON = "écritures simultanées : exécuté sur PostgreSQL (base de test SQLite en mémoire)"
FILS = 12


def _en_meme_temps(action: Callable[[], Any], fois: int = FILS) -> list[BaseException | None]:
    depart = threading.Barrier(fois)
    resultats: list[BaseException | None] = [None] * fois

    def lancer(i: int) -> None:
        depart.wait()
        try:
            action()
        except BaseException as erreur:
            resultats[i] = erreur
        finally:
            connection.close()

    fils = [threading.Thread(target=lancer, args=(i,)) for i in range(fois)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=120)
    return resultats


def _une_reussite_et_des_refus(resultats: list[BaseException | None], motif: str) -> None:
    reussites = [r for r in resultats if r is None]
    refus = [r for r in resultats if r is not None]
    assert len(reussites) == 1, resultats
    assert all(isinstance(r, ErreurMetier) and motif in r.message for r in refus), resultats


@pytest.mark.parametrize("voie", [VoieAcces.CANDIDATURE_INDIVIDUELLE, VoieAcces.EXPERIENCE])
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(SQLITE, reason=RAISON)
def test_many_simultaneous_applications_create_one_draft(rs5142: Any, voie: str) -> None:
    candidat = UtilisateurFactory()
    resultats = _en_meme_temps(lambda: services.creer_candidature(candidat=candidat, certification=rs5142, voie=voie))
    _une_reussite_et_des_refus(resultats, "déjà une candidature")
    assert Candidature.objects.filter(candidat=candidat).count() == 1
    assert _entrees("candidatures.creer") == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(SQLITE, reason=RAISON)
def test_many_simultaneous_identical_exceptions_write_one_entry(rs5142: Any, gestionnaire: Any) -> None:
    candidature = _a_deroger()
    resultats = _en_meme_temps(lambda: services.accorder_derogation(candidature, acteur=gestionnaire, motif=MOTIF))
    assert resultats == [None] * FILS
    assert _entrees("candidatures.deroger_prerequis") == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(SQLITE, reason=RAISON)
def test_many_simultaneous_decisions_record_one(rs5142: Any, gestionnaire: Any) -> None:
    candidature = _a_deroger()
    services.accorder_derogation(candidature, acteur=gestionnaire, motif=MOTIF)
    services.deposer(candidature, acteur=candidature.candidat)
    resultats = _en_meme_temps(
        lambda: services.decider_recevabilite(candidature, acteur=gestionnaire, decision=DecisionRecevabilite.RECEVABLE)
    )
    _une_reussite_et_des_refus(resultats, "Impossible de")
    assert _entrees("candidatures.decider_recevabilite") == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(SQLITE, reason=RAISON)
def test_the_same_import_posted_at_once_imports_once(rs5142: Any, gestionnaire: Any) -> None:
    session = SessionFormationFactory()
    resultats = _en_meme_temps(
        lambda: services.importer_stagiaires(
            nom_fichier="s.csv", contenu=_csv(VALIDE_1, VALIDE_2), session=session, acteur=gestionnaire
        ),
        fois=4,
    )
    _une_reussite_et_des_refus(resultats, "déjà une candidature pour cette session")
    assert Candidature.objects.count() == 2
    assert _entrees("candidatures.importer") == 2
