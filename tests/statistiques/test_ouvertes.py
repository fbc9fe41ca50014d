"""Open data: exact yearly figures for everyone, and no small group readable, even by subtraction."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from parchemin.statistiques.ouvertes import SEUIL, masquer


@given(st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=7))
def test_no_hidden_cell_can_be_recomputed(valeurs: list[int]) -> None:
    cellules, total = masquer(valeurs)
    assert [c.valeur for c in cellules] == valeurs
    assert total.valeur == sum(valeurs)
    for cellule in cellules:
        assert cellule.masquee or cellule.valeur == 0 or cellule.valeur >= SEUIL
    if total.masquee:
        return
    assert total.valeur == 0 or total.valeur >= SEUIL
    cachees = [c.valeur for c in cellules if c.masquee]
    if not cachees:
        return
    # What a reader knows: how many hidden cells, each at least 1 (zeros are shown), and their sum.
    # With two cells or more summing to more than their number, a unit can move from one to another:
    # the sum splits in several ways and no hidden cell is determined.
    somme = total.valeur - sum(c.valeur for c in cellules if not c.masquee)
    assert somme == sum(cachees)
    assert all(v >= 1 for v in cachees)
    assert len(cachees) >= 2
    assert somme > len(cachees)


def test_small_year_is_hidden_whole() -> None:
    cellules, total = masquer([1, 2, 0, 0])
    assert str(total) == "< 5"
    assert all(str(c) == "secret" for c in cellules if c.valeur)


def test_one_small_cell_hides_its_smallest_neighbour_too() -> None:
    cellules, total = masquer([12, 3, 7, 0])
    assert [str(c) for c in cellules] == ["12", "secret", "secret", "0"]
    assert str(total) == "22"


@pytest.mark.django_db
def test_public_page_shows_yearly_figures_with_secrecy(client: Client, historique: dict[str, Any]) -> None:
    reponse = client.get(reverse("public:statistiques", args=["rs5142"]))
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "Licence Ouverte" in contenu
    # 2024: 1 total, 2 partial, 0 refusal, 1 absent (4 decisions): under the threshold, hidden whole.
    assert "&lt; 5" in contenu
    for nom in ("Hortense", "@example.org"):
        assert nom not in contenu
    d = historique["dossiers"]
    for c in d.values():
        assert c.nom_naissance not in contenu


@pytest.mark.django_db
def test_public_csv_has_licence_and_hides_small_groups(client: Client, historique: dict[str, Any]) -> None:
    reponse = client.get(reverse("public:statistiques_csv", args=["rs5142"]))
    assert reponse.status_code == 200
    lignes = list(csv.reader(io.StringIO(reponse.content.decode("utf-8")[1:]), delimiter=";"))
    assert any("Licence Ouverte" in ligne[1] for ligne in lignes if len(ligne) > 1)
    decisions = lignes[lignes.index(["Décisions du jury par année de décision"]) + 2 :]
    annee_2024 = next(ligne for ligne in decisions if ligne[0] == "2024")
    assert annee_2024[5] == "< 5"
    assert set(annee_2024[1:5]) <= {"secret", "0"}


@pytest.mark.django_db
def test_public_figures_are_exact_above_the_threshold(client: Client, rs5142: Any) -> None:
    from parchemin.jurys.enums import Decision
    from parchemin.referentiel.enums import VoieAcces
    from tests.statistiques.factories import dossier, moment, passage, recevable, session_jury

    jury = session_jury(moment(2023, 6, 1))
    for decision, nombre in ((Decision.VALIDATION_TOTALE, 6), (Decision.REFUS, 5)):
        for _ in range(nombre):
            c = dossier(
                annee=2023,
                depose=moment(2023, 1, 5),
                voie=VoieAcces.CANDIDATURE_INDIVIDUELLE,
                recevabilite=recevable(moment(2023, 2, 1)),
            )
            passage(c, jury, decision)
    lignes = list(
        csv.reader(
            io.StringIO(client.get(reverse("public:statistiques_csv", args=["rs5142"])).content.decode()[1:]),
            delimiter=";",
        )
    )
    decisions = lignes[lignes.index(["Décisions du jury par année de décision"]) + 1 :]
    assert decisions[1] == ["2023", "6", "0", "5", "0", "11", "54,5"]


@pytest.mark.django_db
def test_unknown_certification_is_not_found(client: Client, rs5142: Any) -> None:
    assert client.get(reverse("public:statistiques", args=["rs0000"])).status_code == 404
