"""The trainee import pages offer a CSV and an XLSX template: the columns the import reads and one
example row, which the import reads back as one valid trainee."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from parchemin.candidatures.importation import COLONNES, lire_fichier
from parchemin.candidatures.models import Candidature
from parchemin.candidatures.services import importer_stagiaires
from parchemin.comptes.enums import Role
from tests.comptes.outils import connecter, creer_utilisateur
from tests.partenaires.factories import SessionFormationFactory

pytestmark = pytest.mark.django_db

MODELES = {
    "gestion": "/gestion/candidatures/import/modele.{}",
    "partenaire": "/partenaire/stagiaires/modele.{}",
}


@pytest.fixture
def session(rs5142: Any) -> Any:
    return SessionFormationFactory()


def _client(espace: str, session: Any) -> Client:
    if espace == "gestion":
        utilisateur = creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE)
    else:
        utilisateur = creer_utilisateur(
            "admin@organisme.example.org", Role.ADMIN_PARTENAIRE, partenaire=session.partenaire
        )
    return connecter(Client(enforce_csrf_checks=True), utilisateur)


def _cellules_csv(contenu: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))


def _cellules_xlsx(contenu: bytes) -> list[list[str]]:
    feuille = load_workbook(io.BytesIO(contenu), read_only=True).worksheets[0]
    return [["" if v is None else str(v) for v in ligne] for ligne in feuille.iter_rows(values_only=True)]


@pytest.mark.parametrize("espace", sorted(MODELES))
@pytest.mark.parametrize("format_fichier", ["csv", "xlsx"])
def test_the_template_has_the_expected_columns_one_example_and_imports_cleanly(
    espace: str, format_fichier: str, session: Any
) -> None:
    client = _client(espace, session)
    reponse = client.get(MODELES[espace].format(format_fichier))
    assert reponse.status_code == 200
    assert reponse["Content-Disposition"] == f'attachment; filename="modele-import-stagiaires.{format_fichier}"'
    contenu = reponse.content
    cellules = (_cellules_csv if format_fichier == "csv" else _cellules_xlsx)(contenu)
    assert cellules[0] == [c.cle for c in COLONNES]
    assert len(cellules) == 2
    exemple = dict(zip(cellules[0], cellules[1], strict=True))
    assert all(exemple[c.cle] for c in COLONNES if c.obligatoire)

    rapport = lire_fichier(f"modele.{format_fichier}", contenu)
    assert rapport.erreurs_fichier == [] and rapport.erreurs == []
    assert len(rapport.valides) == 1
    acteur = creer_utilisateur("acteur@example.org", Role.GESTIONNAIRE)
    bilan = importer_stagiaires(nom_fichier=f"modele.{format_fichier}", contenu=contenu, session=session, acteur=acteur)
    assert len(bilan.creees) == 1 and bilan.retenues == []
    candidature = Candidature.objects.get(candidat__email=exemple["email"])
    assert candidature.nom_naissance == exemple["nom_naissance"]
    assert candidature.session_formation == session


@pytest.mark.parametrize("espace", sorted(MODELES))
def test_the_import_page_links_to_both_templates_and_no_other_format_is_served(espace: str, session: Any) -> None:
    client = _client(espace, session)
    page = (
        "/gestion/candidatures/import/"
        if espace == "gestion"
        else f"/partenaire/sessions/{session.pk}/stagiaires/import/"
    )
    contenu = client.get(page).content.decode()
    for format_fichier in ("csv", "xlsx"):
        assert f'href="{MODELES[espace].format(format_fichier)}"' in contenu
    assert client.get(MODELES[espace].format("ods")).status_code == 404
