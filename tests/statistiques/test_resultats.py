"""Outcome figures on a hand-built history whose every number is counted by hand below."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from parchemin.candidatures.enums import EtatCandidature
from parchemin.candidatures.models import Candidature
from parchemin.jurys.enums import Decision
from parchemin.referentiel.enums import VoieAcces
from parchemin.statistiques.resultats import (
    AXE_CANDIDATURE,
    AXE_DECISION,
    Filtres,
    activite_jurys,
    dossiers,
    tableau_resultats,
)
from tests.candidatures.factories import PartenaireFactory
from tests.statistiques.factories import dossier, moment, passage, recevable, session_jury

pytestmark = pytest.mark.django_db

FC = VoieAcces.FORMATION_CONTINUE
INDIV = VoieAcces.CANDIDATURE_INDIVIDUELLE
EXP = VoieAcces.EXPERIENCE


def _par_annee(lignes: list[Any]) -> dict[int, Any]:
    return {ligne.annee: ligne for ligne in lignes}


def test_counts_by_year_of_application_match_the_hand_count(historique: dict[str, Any]) -> None:
    lignes = _par_annee(tableau_resultats(Filtres(axe=AXE_CANDIDATURE)))
    assert sorted(lignes) == [2024, 2025, 2026]
    assert lignes[2024].chiffres == {
        "candidatures": 8,
        "recevables": 6,
        "non_recevables": 1,
        "evalues": 4,
        "validations_totales": 2,
        "validations_partielles": 2,
        "refus": 0,
        "absents": 1,
        "retraits": 1,
    }
    assert (lignes[2024].taux_reussite.numerateur, lignes[2024].taux_reussite.denominateur) == (4, 4)
    assert lignes[2024].taux_validation_totale.pourcentage == 50.0
    assert lignes[2024].taux_recevabilite.pourcentage == round(100 * 6 / 7, 1)


def test_an_empty_year_between_two_years_is_listed_with_zeros(historique: dict[str, Any]) -> None:
    ligne = _par_annee(tableau_resultats(Filtres()))[2025]
    assert set(ligne.chiffres.values()) == {0}
    assert ligne.taux_reussite.pourcentage is None
    assert ligne.delai_jury.mediane is None


def test_a_year_with_a_single_candidate(historique: dict[str, Any]) -> None:
    ligne = _par_annee(tableau_resultats(Filtres(annee=2026)))[2026]
    assert ligne.chiffres["candidatures"] == 1
    assert ligne.chiffres["validations_totales"] == 1
    assert ligne.taux_reussite.pourcentage == 100.0
    assert (ligne.delai_recevabilite.nombre, ligne.delai_recevabilite.mediane, ligne.delai_recevabilite.p90) == (
        1,
        10.0,
        10.0,
    )


def test_delays_median_and_90th_percentile(historique: dict[str, Any]) -> None:
    ligne = _par_annee(tableau_resultats(Filtres()))[2024]
    # Recevabilité: 5, 10, 10, 15, 20, 30, 40 days (F withdrew undecided, I is counted).
    assert (ligne.delai_recevabilite.nombre, ligne.delai_recevabilite.mediane, ligne.delai_recevabilite.p90) == (
        7,
        15.0,
        40.0,
    )
    # Jury: J 130 days, A B C 152 days, E 365 days (its final, 2025 passage); I's PV is unsigned.
    assert (ligne.delai_jury.nombre, ligne.delai_jury.mediane, ligne.delai_jury.p90) == (5, 152.0, 365.0)


def test_delays_of_an_even_group_average_the_two_middle_values(historique: dict[str, Any]) -> None:
    """The database ranks the delays (window functions): with 5, 10, 20 and 30 days, the median is
    the mean of 10 and 20, the 90th percentile the 4th value (nearest rank)."""
    lignes = tableau_resultats(Filtres(annee=2024, voie=FC), "voie")
    formation = next(ligne for ligne in lignes if ligne.filtres.voie == FC)
    delai = formation.delai_recevabilite
    assert (delai.nombre, delai.mediane, delai.p90) == (4, 15.0, 30.0)


def test_year_of_decision_follows_the_last_signed_passage(historique: dict[str, Any]) -> None:
    lignes = _par_annee(tableau_resultats(Filtres(axe=AXE_DECISION)))
    assert sorted(lignes) == [2024, 2025, 2026]
    assert lignes[2024].chiffres["candidatures"] == 4  # A, B, C, J
    assert lignes[2024].chiffres["absents"] == 1
    assert lignes[2024].chiffres["validations_partielles"] == 2
    assert lignes[2025].chiffres["validations_totales"] == 1  # E, after an absence in 2024
    assert lignes[2025].chiffres["absents"] == 0


def test_grouped_by_route_lists_open_routes_even_without_files(historique: dict[str, Any]) -> None:
    lignes = tableau_resultats(Filtres(annee=2026), regroupement="voie")
    par_voie = {ligne.filtres.voie: ligne.chiffres["candidatures"] for ligne in lignes}
    assert par_voie == {FC: 0, INDIV: 0, EXP: 1}
    en_2024 = {ligne.filtres.voie: ligne.chiffres for ligne in tableau_resultats(Filtres(annee=2024), "voie")}
    assert en_2024[FC]["candidatures"] == 4
    assert en_2024[FC]["validations_partielles"] == 2
    assert en_2024[INDIV]["candidatures"] == 3
    assert en_2024[INDIV]["retraits"] == 1
    assert en_2024[EXP]["validations_totales"] == 1


def test_grouped_by_partner_and_session(historique: dict[str, Any]) -> None:
    p1, s1 = historique["p1"], historique["s1"]
    par_partenaire = {
        ligne.filtres.partenaire: ligne for ligne in tableau_resultats(Filtres(annee=2024), regroupement="partenaire")
    }
    assert par_partenaire[p1.pk].chiffres["candidatures"] == 4
    assert par_partenaire[p1.pk].libelle == "Coopérative des Tiers-Lieux"
    assert par_partenaire[0].chiffres["candidatures"] == 4
    assert par_partenaire[0].libelle == "Sans organisme de formation"
    par_session = {ligne.filtres.session: ligne for ligne in tableau_resultats(Filtres(annee=2024), "session")}
    assert par_session[s1.pk].chiffres["evalues"] == 3
    assert "Piloter un tiers-lieu #12" in par_session[s1.pk].libelle


def test_every_figure_opens_on_the_files_it_counts(historique: dict[str, Any]) -> None:
    d = historique["dossiers"]
    for ligne in tableau_resultats(Filtres(), regroupement="voie"):
        for code, nombre in ligne.chiffres.items():
            assert dossiers(ligne.filtres, code).count() == nombre, (ligne.annee, ligne.libelle, code)
    partielles = dossiers(Filtres(annee=2024), "validations_partielles")
    assert set(partielles.values_list("pk", flat=True)) == {d["B"].pk, d["C"].pk}


def test_a_candidate_absent_then_withdrawn_counts_once_as_a_withdrawal(rs5142: Any) -> None:
    """The categories of a row are disjoint: the jury recorded an absence, then the candidate
    withdrew; the file is a withdrawal, not also an absence (docs/statistiques.md)."""
    juin = session_jury(moment(2024, 6, 10))
    absent_puis_retire = dossier(annee=2024, depose=moment(2024, 1, 10), recevabilite=recevable(moment(2024, 2, 1)))
    passage(absent_puis_retire, juin, Decision.ABSENT)
    Candidature.objects.filter(pk=absent_puis_retire.pk).update(etat=EtatCandidature.ABANDONNEE)
    toujours_absent = dossier(annee=2024, depose=moment(2024, 1, 10), recevabilite=recevable(moment(2024, 2, 1)))
    passage(toujours_absent, juin, Decision.EXCUSE)
    for axe in (AXE_CANDIDATURE, AXE_DECISION):
        (ligne,) = tableau_resultats(Filtres(axe=axe))
        assert (ligne.chiffres["absents"], ligne.chiffres["retraits"]) == (1, 1), axe
        assert list(dossiers(ligne.filtres, "absents").values_list("pk", flat=True)) == [toujours_absent.pk]
        assert list(dossiers(ligne.filtres, "retraits").values_list("pk", flat=True)) == [absent_puis_retire.pk]


def test_no_data_at_all_gives_an_empty_table(rs5142: Any) -> None:
    assert tableau_resultats(Filtres()) == []
    assert tableau_resultats(Filtres(), regroupement="voie") == []
    assert activite_jurys() == []


def test_jury_activity_per_year(historique: dict[str, Any]) -> None:
    activite = {a.annee: a for a in activite_jurys()}
    # 2024: the signed June session (A, B, C, J, E) and a convened one where I sits.
    assert (activite[2024].sessions, activite[2024].pv_signes, activite[2024].membres) == (2, 1, 3)
    assert activite[2024].passages == 6
    assert activite[2024].candidats_par_session == 3.0
    assert (activite[2025].sessions, activite[2025].membres, activite[2025].passages) == (1, 3, 1)


@pytest.mark.parametrize("regroupement", ["aucun", "voie", "partenaire", "session"])
def test_query_count_does_not_grow_with_the_data(historique: dict[str, Any], regroupement: str) -> None:
    def compter() -> int:
        with CaptureQueriesContext(connection) as requetes:
            tableau_resultats(Filtres(), regroupement)
            activite_jurys()
        return len(requetes)

    avant = compter()
    p2 = PartenaireFactory(nom="Autre organisme", siret="35600000000048")
    for annee in (2019, 2020):
        for _ in range(3):
            c = dossier(
                annee=annee,
                depose=moment(annee, 2, 1),
                recevabilite=recevable(moment(annee, 3, 1)),
                voie=FC,
                partenaire=p2,
            )
            passage(c, session_jury(moment(annee, 6, 1)), Decision.REFUS)
    assert compter() == avant
