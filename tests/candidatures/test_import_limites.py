"""An import can be neither turned against people who already have an account nor made to swell.

A row whose e-mail belongs to an existing account writes nothing into that account: the person is
invited to apply themselves, and a staff account is never a target. Whatever the file holds (one
enormous cell, a header of a million cells, a sheet that lies about its size), the answer is a
French message naming the limit, and the report page stays small.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from parchemin.candidatures import importation, services
from parchemin.candidatures.importation import lire_fichier
from parchemin.candidatures.models import Candidature
from parchemin.comptes.enums import Role
from parchemin.comptes.models import User
from parchemin.courriels.models import Courriel
from parchemin.journal.models import EntreeJournal
from tests.comptes.factories import UserFactory
from tests.comptes.outils import connecter, creer_utilisateur

from .factories import CandidatureFactory, PartenaireFactory, SessionFormationFactory
from .test_import import ENTETE, VALIDE_1, VALIDE_2, _csv

pytestmark = pytest.mark.django_db


def _csrf(client: Client) -> str:
    return client.cookies["csrftoken"].value


# --- Existing accounts -------------------------------------------------------------------------------


def test_an_existing_account_is_invited_and_nothing_is_written_into_it(
    rs5142: Any, gestionnaire: Any, django_capture_on_commit_callbacks: Any
) -> None:
    helene = UserFactory(email="Helene@Example.org")
    session = SessionFormationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        bilan = services.importer_stagiaires(
            nom_fichier="s.csv", contenu=_csv(VALIDE_1, VALIDE_2), session=session, acteur=gestionnaire
        )
    assert [c.email for c in bilan.creees] == ["bao@example.org"]
    assert bilan.invitees == [2]
    assert not Candidature.objects.filter(candidat=helene).exists()
    invitation = next(m for m in mail.outbox if m.to == ["helene@example.org"])
    assert invitation.subject == f"[RS5142] Invitation à candidater : {session.partenaire.nom}"
    assert "aucune candidature n'y a été créée à votre place" in invitation.body
    assert "/candidat/candidater/RS5142/" in invitation.body
    assert Courriel.objects.filter(destinataires=["helene@example.org"]).count() == 1
    entree = EntreeJournal.objects.get(action="candidatures.inviter_stagiaire")
    assert entree.apres == {"ligne": 2, "email": "helene@example.org"}


def test_a_second_address_of_an_account_counts_as_that_account(rs5142: Any, gestionnaire: Any) -> None:
    personne = UserFactory(email="autre@example.org")
    EmailAddress.objects.create(user=personne, email="bao@example.org", verified=True, primary=False)
    session = SessionFormationFactory()
    bilan = services.importer_stagiaires(
        nom_fichier="s.csv", contenu=_csv(VALIDE_2), session=session, acteur=gestionnaire
    )
    assert bilan.creees == [] and bilan.invitees == [2]
    assert not Candidature.objects.exists()
    assert not User.objects.filter(email="bao@example.org").exists()


@pytest.mark.parametrize("role", [Role.GESTIONNAIRE, Role.ADMINISTRATEUR, None])
def test_a_staff_account_is_never_a_target(
    rs5142: Any, gestionnaire: Any, django_capture_on_commit_callbacks: Any, role: Role | None
) -> None:
    if role is None:
        User.objects.create_superuser(email="helene@example.org", password="x" * 16)
    else:
        creer_utilisateur("helene@example.org", role)
    session = SessionFormationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        bilan = services.importer_stagiaires(
            nom_fichier="s.csv", contenu=_csv(VALIDE_1), session=session, acteur=gestionnaire
        )
    assert bilan.creees == [] and bilan.invitees == []
    assert bilan.retenues == [(2, services.MOTIF_COMPTE_EQUIPE)]
    assert not Candidature.objects.exists()
    assert mail.outbox == []
    assert EntreeJournal.objects.filter(action="candidatures.import_ligne_retenue").count() == 1


def test_the_partner_page_says_who_was_invited_without_naming_anyone(rs5142: Any, client: Client) -> None:
    partenaire = PartenaireFactory()
    admin = creer_utilisateur("admin@organisme.example.org", Role.ADMIN_PARTENAIRE, partenaire=partenaire)
    session = SessionFormationFactory(partenaire=partenaire)
    candidate = UserFactory(email="helene@example.org", first_name="Hélène", last_name="Lefèvre")
    CandidatureFactory(candidat=candidate)
    connecter(client, admin)
    url = reverse("partenaire:stagiaires_import", kwargs={"pk": session.pk})
    client.get(url)
    apercu = client.post(
        url, {"fichier": SimpleUploadedFile("s.csv", _csv(VALIDE_1, VALIDE_2)), "csrfmiddlewaretoken": _csrf(client)}
    )
    assert apercu.status_code == 200
    reponse = client.post(
        reverse("partenaire:stagiaires_import_confirmer", kwargs={"pk": session.pk}),
        {"jeton": apercu.context["jeton"], "csrfmiddlewaretoken": _csrf(client)},
        follow=True,
    )
    page = reponse.content.decode()
    assert "1 candidature(s) créée(s)" in page
    assert "1 personne(s) avaient déjà un compte (ligne(s) 2)" in page
    assert Candidature.objects.filter(candidat=candidate).count() == 1
    assert "Lefèvre" not in "".join(c.value for c in client.cookies.values())


# --- Limits ------------------------------------------------------------------------------------------


def _xlsx_avec_feuille(feuille_xml: bytes, *, dimension: str | None = None) -> bytes:
    """A genuine workbook written by openpyxl whose first sheet is replaced by ``feuille_xml``."""
    classeur = Workbook()
    classeur.active.append(ENTETE.split(";"))
    tampon = io.BytesIO()
    classeur.save(tampon)
    sortie = io.BytesIO()
    with zipfile.ZipFile(tampon) as source, zipfile.ZipFile(sortie, "w", zipfile.ZIP_DEFLATED) as cible:
        for info in source.infolist():
            donnees = feuille_xml if info.filename == "xl/worksheets/sheet1.xml" else source.read(info)
            cible.writestr(info.filename, donnees)
    return sortie.getvalue()


def _feuille(lignes: str, dimension: str = "A1:A1") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<worksheet xmlns="{importation.XLSX_NS}"><dimension ref="{dimension}"/>'
        f"<sheetData>{lignes}</sheetData></worksheet>"
    ).encode()


def test_a_csv_cell_beyond_the_csv_module_limit_is_a_french_message() -> None:
    contenu = _csv(VALIDE_1) + b'\n"' + b"x" * 140_000 + b'";a\n'
    rapport = lire_fichier("s.csv", contenu)
    assert rapport.lignes == []
    assert len(rapport.erreurs_fichier) == 1
    assert "caractères" in rapport.erreurs_fichier[0]


def test_a_long_cell_is_refused_naming_the_line() -> None:
    rapport = lire_fichier("s.csv", _csv(VALIDE_1, "Nguyen;;" + "B" * 600 + ";M;1979-11-02;;109;b@example.org;6;1;;"))
    assert rapport.erreurs_fichier == [
        f"Ligne 3 : une cellule dépasse {importation.CARACTERES_MAX_CELLULE} caractères. "
        "Vérifiez le fichier (colonnes décalées ?) et envoyez-le à nouveau."
    ]


def test_too_many_columns_or_cells_stop_the_reading() -> None:
    large = lire_fichier("s.csv", _csv(VALIDE_1 + ";x" * 60))
    assert large.erreurs_fichier == [f"Ligne 2 : plus de {importation.COLONNES_MAX} colonnes."]
    vides_en_fin = lire_fichier("s.csv", _csv(VALIDE_1 + ";" * 60))
    assert vides_en_fin.entierement_valide, vides_en_fin.erreurs_fichier
    beaucoup = lire_fichier("s.csv", ENTETE.encode() + b"\n" + (b";" * 49 + b"x\n") * 1300)
    assert beaucoup.erreurs_fichier == [
        f"Le fichier compte plus de {importation.CELLULES_MAX} cellules : gardez seulement la liste des stagiaires."
    ]


def test_an_xlsx_header_of_a_million_cells_is_refused_without_building_it() -> None:
    # 14 MB of XML once inflated: under the archive limit, so the streaming count is what stops it.
    contenu = _xlsx_avec_feuille(_feuille('<row r="1">' + "<c><v>1</v></c>" * 1_000_000 + "</row>"))
    assert len(contenu) < importation.TAILLE_MAX_IMPORT
    rapport = lire_fichier("s.xlsx", contenu)
    assert rapport.lignes == []
    assert rapport.erreurs_fichier == [f"Une ligne de la feuille compte plus de {importation.COLONNES_MAX} colonnes."]


def test_an_xlsx_with_a_fifty_one_cell_row_names_the_column_limit() -> None:
    cellules = "".join(f'<c r="A{i}" t="inlineStr"><is><t>x</t></is></c>' for i in range(1, 52))
    rapport = lire_fichier("s.xlsx", _xlsx_avec_feuille(_feuille(f'<row r="1">{cellules}</row>')))
    assert rapport.erreurs_fichier == [f"Une ligne de la feuille compte plus de {importation.COLONNES_MAX} colonnes."]


def test_an_xlsx_lying_about_its_dimension_is_not_padded_to_it() -> None:
    entete = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{nom}</t></is></c>' for i, nom in enumerate(ENTETE.split(";"))
    )
    valeurs = VALIDE_1.split(";")
    ligne = "".join(f'<c r="{chr(65 + i)}2" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(valeurs) if v)
    feuille = _feuille(f'<row r="1">{entete}</row><row r="2">{ligne}</row>', dimension="A1:XFD1048576")
    rapport = lire_fichier("s.xlsx", _xlsx_avec_feuille(feuille))
    assert rapport.entierement_valide, (rapport.erreurs_fichier, rapport.erreurs)
    assert len(rapport.lignes) == 1


def test_an_xlsx_declaring_a_far_away_row_stops_at_the_cell_limit() -> None:
    entete = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{nom}</t></is></c>' for i, nom in enumerate(ENTETE.split(";"))
    )
    feuille = _feuille(f'<row r="1">{entete}</row><row r="1048576"><c r="A1048576"><v>1</v></c></row>')
    rapport = lire_fichier("s.xlsx", _xlsx_avec_feuille(feuille))
    assert rapport.erreurs_fichier == [
        f"Le fichier compte plus de {importation.CELLULES_MAX} cellules : gardez seulement la liste des stagiaires."
    ]


def test_a_workbook_that_inflates_too_much_is_refused_before_parsing() -> None:
    remplissage = "<!--" + "x" * (importation.DECOMPRESSE_MAX + 10) + "-->"
    rapport = lire_fichier("s.xlsx", _xlsx_avec_feuille(_feuille(remplissage)))
    assert rapport.erreurs_fichier == [
        f"Le classeur décompressé dépasse {importation.DECOMPRESSE_MAX // (1024 * 1024)} Mo : "
        "gardez seulement la liste des stagiaires, sur la première feuille."
    ]


def test_the_report_page_stays_small_whatever_the_errors(client: Client, rs5142: Any, gestionnaire: Any) -> None:
    session = SessionFormationFactory()
    mauvaise = ";".join(["N" * 60, "", "P" * 60, "X" * 100, "Y" * 100, "Z" * 100, "", "W" * 100] + ["V" * 100] * 4)
    contenu = _csv(*[mauvaise] * 1500, VALIDE_1)
    assert len(contenu) < importation.TAILLE_MAX_IMPORT
    connecter(client, gestionnaire)
    url = reverse("backoffice:candidatures_import")
    client.get(url)
    reponse = client.post(
        url,
        {"session": session.pk, "fichier": SimpleUploadedFile("s.csv", contenu), "csrfmiddlewaretoken": _csrf(client)},
    )
    assert reponse.status_code == 200
    rapport = reponse.context["rapport"]
    assert len(rapport.erreurs) > 5000
    page = reponse.content.decode()
    assert f"… et {rapport.erreurs_masquees} autres erreurs" in page
    assert len(page) < 200_000
