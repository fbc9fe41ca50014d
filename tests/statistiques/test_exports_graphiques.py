"""Exports and charts of the statistics: the same figures as the page, safe in a spreadsheet, SVG
without script."""

from __future__ import annotations

import csv
import io
import re
import zlib
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from parchemin.comptes.enums import Role
from parchemin.partenaires.models import Partenaire
from parchemin.tableurs import en_csv, en_xlsx
from tests.comptes.outils import connecter, creer_utilisateur

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_equipe(client: Client) -> Client:
    return connecter(client, creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE))


def _csv(contenu: bytes) -> list[list[str]]:
    texte = contenu.decode("utf-8")
    assert texte.startswith("\ufeff")
    return list(csv.reader(io.StringIO(texte[1:]), delimiter=";"))


def test_csv_export_holds_the_figures_of_the_page(client_equipe: Client, historique: dict[str, Any]) -> None:
    reponse = client_equipe.get(reverse("backoffice:statistiques_export", args=["csv"]))
    assert reponse.status_code == 200
    assert reponse["Content-Type"].startswith("text/csv")
    lignes = _csv(reponse.content)
    entete = lignes[1]
    annee_2024 = next(ligne for ligne in lignes if ligne[:1] == ["2024"])
    valeurs = dict(zip(entete, annee_2024, strict=True))
    assert valeurs["Candidatures déposées"] == "8"
    assert valeurs["Validations partielles"] == "2"
    assert valeurs["Taux de réussite (%)"] == "100"
    assert valeurs["Délai dépôt → jury : médiane (jours)"] == "152"
    assert ["Activité des jurys"] in lignes


def test_xlsx_export_keeps_numbers_as_numbers(client_equipe: Client, historique: dict[str, Any]) -> None:
    reponse = client_equipe.get(reverse("backoffice:statistiques_export", args=["xlsx"]), {"regroupement": "voie"})
    assert reponse.status_code == 200
    classeur = load_workbook(io.BytesIO(reponse.content))
    feuille = classeur.worksheets[0]
    entete = [c.value for c in feuille[1]]
    assert entete[:3] == ["Année", "Détail", "Candidatures déposées"]
    lignes = [[c.value for c in ligne] for ligne in feuille.iter_rows(min_row=2)]
    experience_2026 = next(ligne for ligne in lignes if ligne[0] == 2026 and ligne[1] == "Par expérience")
    assert experience_2026[2] == 1
    assert classeur.worksheets[1].title == "Activité des jurys"


def test_an_organisation_name_cannot_become_a_formula(client_equipe: Client, historique: dict[str, Any]) -> None:
    Partenaire.objects.filter(pk=historique["p1"].pk).update(nom='=HYPERLINK("http://example.com")')
    parametres = {"regroupement": "partenaire"}
    lignes = _csv(client_equipe.get(reverse("backoffice:statistiques_export", args=["csv"]), parametres).content)
    assert any(ligne[1] == '\'=HYPERLINK("http://example.com")' for ligne in lignes if len(ligne) > 1)
    classeur = load_workbook(
        io.BytesIO(client_equipe.get(reverse("backoffice:statistiques_export", args=["xlsx"]), parametres).content)
    )
    noms = [ligne[1].value for ligne in classeur.worksheets[0].iter_rows(min_row=2)]
    assert '\'=HYPERLINK("http://example.com")' in noms


def test_export_with_bad_filters_is_refused_in_french(client_equipe: Client, rs5142: Any) -> None:
    reponse = client_equipe.get(reverse("backoffice:statistiques_export", args=["csv"]), {"annee": "hier"})
    assert reponse.status_code == 400
    assert "rien n'a été exporté" in reponse.content.decode()
    assert client_equipe.get(reverse("backoffice:statistiques_export", args=["pdf"])).status_code == 404


def test_spreadsheet_helpers_neutralise_text_only() -> None:
    tableau = [("T", ["a", "b"], [["-2", -2], ["@x", 1.5]])]
    assert _csv(en_csv(tableau))[2:] == [["'-2", "-2"], ["'@x", "1,5"]]
    feuille = load_workbook(io.BytesIO(en_xlsx(tableau))).worksheets[0]
    assert [[c.value for c in ligne] for ligne in feuille.iter_rows(min_row=2)] == [["'-2", -2], ["'@x", 1.5]]


@pytest.mark.parametrize("nom", ["decisions", "taux"])
def test_chart_is_an_svg_without_script(client_equipe: Client, historique: dict[str, Any], nom: str) -> None:
    reponse = client_equipe.get(reverse("backoffice:statistiques_graphique", args=[nom]), {"axe": "decision"})
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "image/svg+xml"
    svg = reponse.content.decode()
    assert svg.startswith("<svg")
    assert "<script" not in svg
    assert "2025" in svg
    politique = reponse["Content-Security-Policy"]
    assert "script-src 'self'" in politique
    assert "'unsafe-inline'" in politique.split("style-src")[1].split(";")[0]


def test_unknown_chart_is_not_found(client_equipe: Client, rs5142: Any) -> None:
    assert client_equipe.get(reverse("backoffice:statistiques_graphique", args=["camembert"])).status_code == 404


def test_charts_page_shows_each_chart_with_its_data_table(client_equipe: Client, historique: dict[str, Any]) -> None:
    reponse = client_equipe.get(reverse("backoffice:statistiques_graphiques"), {"axe": "decision"})
    contenu = reponse.content.decode()
    assert reponse.status_code == 200
    assert contenu.count("<img ") == 2
    assert reverse("backoffice:statistiques_graphique", args=["taux"]) + "?axe=decision" in contenu
    assert contenu.count("<table") == 2
    assert "'unsafe-inline'" not in reponse["Content-Security-Policy"]


def test_yearly_report_holds_the_year_figures_and_is_a_pdf_a(historique: dict[str, Any]) -> None:
    from parchemin.statistiques.rapport import html_rapport, rendre_rapport

    html = html_rapport(2024)
    assert "Rapport annuel 2024" in html
    # Decided in 2024 on the training route: A total, B and C partial (C by amendment).
    assert "<td>Après un parcours de formation continue</td><td>3</td>" in html
    assert "100,0 % (3/3)" in html
    pdf = rendre_rapport(2024)
    assert pdf.startswith(b"%PDF-")
    flux = []
    for brut in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            flux.append(zlib.decompress(brut))
        except zlib.error:
            flux.append(brut)
    assert b'pdfaid:part="3"' in b"".join(flux)


def test_yearly_report_of_an_empty_year_says_so(client_equipe: Client, rs5142: Any) -> None:
    reponse = client_equipe.get(reverse("backoffice:statistiques_rapport", args=[2019]))
    assert reponse.status_code == 200
    assert reponse["Content-Type"] == "application/pdf"
    from parchemin.statistiques.rapport import html_rapport

    assert "Aucune session de jury en 2019" in html_rapport(2019)
