"""The back-office statistics pages: figures as the domain computes them, links to the files behind
each figure, clear French answers to bad filters."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parchemin.comptes.enums import Role
from tests.comptes.outils import connecter, creer_utilisateur

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_equipe(client: Client) -> Client:
    return connecter(client, creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE))


def test_page_shows_each_year_and_links_every_figure_to_its_files(
    client_equipe: Client, historique: dict[str, Any]
) -> None:
    reponse = client_equipe.get(reverse("backoffice:statistiques"))
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    for annee in ("2024", "2025", "2026"):
        assert f'<th scope="row">{annee}</th>' in contenu
    assert "100,0 % (4/4)" in contenu
    lien = (
        reverse("backoffice:statistiques_dossiers")
        + "?axe=candidature&amp;annee=2024&amp;indicateur=validations_partielles"
    )
    assert lien in contenu


def test_drill_down_lists_exactly_the_files_counted(client_equipe: Client, historique: dict[str, Any]) -> None:
    d = historique["dossiers"]
    reponse = client_equipe.get(
        reverse("backoffice:statistiques_dossiers"),
        {"axe": "candidature", "annee": "2024", "indicateur": "validations_partielles"},
    )
    assert reponse.status_code == 200
    contenu = reponse.content.decode()
    assert "2 dossiers" in contenu
    liens = {reverse("backoffice:candidature", args=[d[c].pk]) for c in "ABCDEFGHIJ"}
    presents = {lien for lien in liens if f'href="{lien}"' in contenu}
    assert presents == {reverse("backoffice:candidature", args=[d[c].pk]) for c in "BC"}


def test_grouped_by_partner_links_files_without_partner(client_equipe: Client, historique: dict[str, Any]) -> None:
    reponse = client_equipe.get(reverse("backoffice:statistiques"), {"annee": "2024", "regroupement": "partenaire"})
    contenu = reponse.content.decode()
    assert "Sans organisme de formation" in contenu
    assert "partenaire=0" in contenu
    d = historique["dossiers"]
    sans = client_equipe.get(
        reverse("backoffice:statistiques_dossiers"), {"annee": "2024", "partenaire": "0", "indicateur": "retraits"}
    )
    assert "sans organisme de formation" in sans.content.decode()
    assert reverse("backoffice:candidature", args=[d["F"].pk]) in sans.content.decode()


@pytest.mark.parametrize(
    "parametres",
    [
        {"annee": "deux mille"},
        {"annee": "99999999999999999999"},
        {"axe": "<script>"},
        {"voie": "INCONNUE"},
        {"partenaire": "-1"},
    ],
)
def test_bad_filters_get_a_french_message(client_equipe: Client, rs5142: Any, parametres: dict[str, str]) -> None:
    reponse = client_equipe.get(reverse("backoffice:statistiques"), parametres)
    assert reponse.status_code == 200
    assert "Ces filtres ne sont pas valides" in reponse.content.decode()


def test_drill_down_with_an_unknown_figure_says_so(client_equipe: Client, rs5142: Any) -> None:
    reponse = client_equipe.get(reverse("backoffice:statistiques_dossiers"), {"indicateur": "tout"})
    assert reponse.status_code == 200
    assert "ne désigne pas un chiffre connu" in reponse.content.decode()


def test_empty_database_says_there_is_nothing_to_count(client_equipe: Client, rs5142: Any) -> None:
    contenu = client_equipe.get(reverse("backoffice:statistiques")).content.decode()
    assert "il n'y a encore rien à compter" in contenu
    assert "Aucune session de jury" in contenu
