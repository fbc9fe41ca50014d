"""Invariants the database and the state machine hold whatever the code path."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django_fsm import TransitionNotAllowed
from hypothesis import given
from hypothesis import strategies as st

from parchemin.candidatures.enums import EtatCandidature
from parchemin.candidatures.etat_civil import valider_code_commune
from parchemin.candidatures.models import REGEX_CODE_COMMUNE, Candidature, normaliser_recherche
from parchemin.comptes.enums import Role
from parchemin.referentiel.enums import VoieAcces
from tests.comptes.outils import creer_utilisateur

from .factories import CandidatureFactory, SessionFormationFactory

pytestmark = pytest.mark.django_db


def test_state_cannot_be_assigned_directly(rs5142: Any) -> None:
    candidature = CandidatureFactory()
    with pytest.raises(AttributeError):
        candidature.etat = EtatCandidature.RECEVABLE


def test_illegal_transition_is_impossible(rs5142: Any) -> None:
    candidature = CandidatureFactory()
    with pytest.raises(TransitionNotAllowed):
        candidature.marquer_prete_pour_jury()


def test_one_experience_application_per_certification_and_year(rs5142: Any) -> None:
    premiere = CandidatureFactory(voie=VoieAcces.EXPERIENCE)
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidatureFactory(voie=VoieAcces.EXPERIENCE, candidat=premiere.candidat)
    # Another year is possible once the first application is no longer in progress.
    Candidature.objects.filter(pk=premiere.pk).update(etat=EtatCandidature.DECIDEE)
    CandidatureFactory(voie=VoieAcces.EXPERIENCE, candidat=premiere.candidat, annee=2027)
    CandidatureFactory(voie=VoieAcces.CANDIDATURE_INDIVIDUELLE, candidat=premiere.candidat)


@pytest.mark.parametrize("etat_premiere", [EtatCandidature.BROUILLON, EtatCandidature.PRETE_POUR_JURY])
def test_one_application_in_progress_per_person_certification_and_route(rs5142: Any, etat_premiere: str) -> None:
    premiere = CandidatureFactory(voie=VoieAcces.CANDIDATURE_INDIVIDUELLE, etat=etat_premiere)
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidatureFactory(voie=VoieAcces.CANDIDATURE_INDIVIDUELLE, candidat=premiere.candidat, annee=2027)
    # Another route, or once the first is withdrawn or decided, is allowed.
    CandidatureFactory(voie=VoieAcces.FORMATION_CONTINUE, candidat=premiere.candidat)
    for etat in (EtatCandidature.ABANDONNEE, EtatCandidature.DECIDEE, EtatCandidature.NON_RECEVABLE):
        Candidature.objects.filter(candidat=premiere.candidat, voie=VoieAcces.CANDIDATURE_INDIVIDUELLE).update(
            etat=etat
        )
        CandidatureFactory(voie=VoieAcces.CANDIDATURE_INDIVIDUELLE, candidat=premiere.candidat)


@pytest.mark.parametrize("code", ["3306", "ABCDE", "2C004", "330633"])
def test_database_refuses_malformed_insee_codes(rs5142: Any, code: str) -> None:
    # A check constraint refuses the format; PostgreSQL also refuses a 6th character by column length.
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        CandidatureFactory(code_commune_naissance=code)


def test_database_refuses_both_birth_commune_and_country(rs5142: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        CandidatureFactory(code_commune_naissance="33063", code_pays_naissance="109")


def test_corsican_and_foreign_codes_are_accepted(rs5142: Any) -> None:
    CandidatureFactory(code_commune_naissance="2A004")
    CandidatureFactory(code_commune_naissance="", code_pays_naissance="109")
    assert Candidature.objects.count() == 2


def test_search_text_ignores_accents_and_case(rs5142: Any) -> None:
    candidature = CandidatureFactory(nom_naissance="Lefèvre", prenom1="Hélène")
    assert Candidature.objects.recherche("HELENE lefevre").get() == candidature
    assert normaliser_recherche("Élodie") == "elodie"


@given(st.from_regex(r"\A[0-9AB]{5}\Z"))
def test_every_commune_code_the_validator_accepts_satisfies_the_database_rule(code: str) -> None:
    try:
        valider_code_commune(code)
    except ValidationError:
        return
    assert re.fullmatch(REGEX_CODE_COMMUNE, code)
    assert not code.startswith(("99", "20", "00"))


def test_partner_staff_see_only_their_trainees_files(rs5142: Any) -> None:
    session = SessionFormationFactory()
    du_partenaire = CandidatureFactory(partenaire=session.partenaire, session_formation=session)
    CandidatureFactory()
    evaluateur = creer_utilisateur("eval@example.org", Role.EVALUATEUR_PARTENAIRE, partenaire=session.partenaire)
    assert list(Candidature.objects.visible_to(evaluateur)) == [du_partenaire]
    assert Candidature.objects.visible_to(du_partenaire.candidat).get() == du_partenaire
    assert Candidature.objects.visible_to(creer_utilisateur("g@example.org", Role.GESTIONNAIRE)).count() == 2
