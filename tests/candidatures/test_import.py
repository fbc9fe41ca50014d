"""Import of a partner's trainees: every row checked first, errors per line and column, nothing half-written."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from parchemin.candidatures import services
from parchemin.candidatures.importation import lire_fichier
from parchemin.candidatures.models import Candidature
from parchemin.comptes.models import User
from parchemin.erreurs import ErreurMetier
from parchemin.journal.models import EntreeJournal
from tests.comptes.outils import connecter

from .factories import SessionFormationFactory

pytestmark = pytest.mark.django_db

ENTETE = (
    "nom_naissance;nom_usage;prenoms;sexe;date_naissance;code_commune_naissance;code_pays_naissance;email;"
    "niveau_diplome;annees_experience;employeur;siret_employeur"
)
VALIDE_1 = "Lefèvre;;Hélène, Marie;F;12/04/1985;33063;;helene@example.org;bac+5;4;Coop Tiers-Lieux;73282932000074"
VALIDE_2 = "Nguyen;;Bao;M;1979-11-02;;109;bao@example.org;6;12;;"
INVALIDE = "Durand;;Éloi;X;31/02/1990;20004;;pas-un-mail;;douze;;123"


def _csv(*lignes: str, encodage: str = "utf-8") -> bytes:
    return "\n".join([ENTETE, *lignes]).encode(encodage)


@pytest.mark.parametrize("encodage", ["utf-8", "utf-8-sig", "cp1252"])
def test_reads_csv_in_every_encoding_spreadsheets_write(encodage: str) -> None:
    rapport = lire_fichier("stagiaires.csv", _csv(VALIDE_1, VALIDE_2, encodage=encodage))
    assert rapport.entierement_valide, rapport.erreurs
    assert rapport.lignes[0].valeurs["nom_naissance"] == "Lefèvre"
    assert rapport.lignes[0].valeurs["prenom2"] == "Marie"
    assert rapport.lignes[0].valeurs["niveau_diplome"] == "7"
    assert rapport.lignes[1].valeurs["code_pays_naissance"] == "109"


def test_reports_every_error_by_line_and_column() -> None:
    rapport = lire_fichier("stagiaires.csv", _csv(VALIDE_1, INVALIDE))
    erreurs = {(e.ligne, e.colonne): e.message for e in rapport.erreurs}
    assert set(erreurs) == {
        (3, "Sexe"),
        (3, "Date de naissance"),
        (3, "Code commune de naissance"),
        (3, "E-mail"),
        (3, "Années d'expérience"),
        (3, "SIRET employeur"),
    }
    assert "n'existe pas dans le calendrier" in erreurs[(3, "Date de naissance")]
    assert str(rapport.erreurs[0]).startswith("Ligne 3, colonne « Sexe » :")
    assert [ligne.numero for ligne in rapport.valides] == [2]


def test_wrong_columns_are_named() -> None:
    rapport = lire_fichier("stagiaires.csv", b"nom;prenom;naissance\nA;B;C\n")
    assert any("Colonnes inconnues : « naissance »" in e for e in rapport.erreurs_fichier)
    assert any("Sexe" in e and "absentes" in e for e in rapport.erreurs_fichier)


def test_undecodable_bytes_are_reported_not_guessed() -> None:
    rapport = lire_fichier("stagiaires.csv", ENTETE.encode() + b"\n\x81\x8d\x8f;x\n")
    assert rapport.erreurs_fichier == [
        "Encodage du fichier non reconnu : enregistrez-le en CSV UTF-8 depuis votre tableur."
    ]


def test_reads_xlsx_with_real_dates() -> None:
    import datetime

    classeur = Workbook()
    feuille = classeur.active
    feuille.append(ENTETE.split(";"))
    feuille.append(["Roux", "", "Léa", "F", datetime.datetime(1990, 6, 1), "2B033", "", "lea@example.org", 7, 3])
    tampon = io.BytesIO()
    classeur.save(tampon)
    rapport = lire_fichier("stagiaires.xlsx", tampon.getvalue())
    assert rapport.format == "XLSX"
    assert rapport.entierement_valide, rapport.erreurs
    assert rapport.lignes[0].valeurs["date_naissance"] == datetime.date(1990, 6, 1)


def test_one_bad_row_and_nothing_is_written(rs5142: Any, gestionnaire: Any) -> None:
    session = SessionFormationFactory()
    with pytest.raises(ErreurMetier, match="rien n'a été importé"):
        services.importer_stagiaires(
            nom_fichier="s.csv", contenu=_csv(VALIDE_1, INVALIDE), session=session, acteur=gestionnaire
        )
    assert not Candidature.objects.exists()
    assert not User.objects.filter(email="helene@example.org").exists()


def test_only_valid_rows_when_explicitly_asked(rs5142: Any, gestionnaire: Any) -> None:
    session = SessionFormationFactory()
    creees = services.importer_stagiaires(
        nom_fichier="s.csv",
        contenu=_csv(VALIDE_1, INVALIDE, VALIDE_2),
        session=session,
        acteur=gestionnaire,
        seulement_valides=True,
    ).creees
    assert sorted(c.email for c in creees) == ["bao@example.org", "helene@example.org"]
    assert all(c.session_formation == session and c.partenaire == session.partenaire for c in creees)
    assert EntreeJournal.objects.filter(action="candidatures.importer").count() == 2
    with pytest.raises(ErreurMetier, match="rien n'a été importé"):
        services.importer_stagiaires(nom_fichier="s.csv", contenu=_csv(VALIDE_1), session=session, acteur=gestionnaire)


def test_preview_then_confirmation_through_the_pages(client: Client, rs5142: Any, gestionnaire: Any) -> None:
    session = SessionFormationFactory()
    connecter(client, gestionnaire)
    url = reverse("backoffice:candidatures_import")
    client.get(url)
    jeton_csrf = client.cookies["csrftoken"].value
    apercu = client.post(
        url,
        {
            "session": session.pk,
            "fichier": SimpleUploadedFile("s.csv", _csv(VALIDE_1, INVALIDE, encodage="cp1252")),
            "csrfmiddlewaretoken": jeton_csrf,
        },
    )
    page = apercu.content.decode()
    assert "Windows-1252" in page
    assert "Importer seulement les 1 lignes valides" in page
    assert not Candidature.objects.exists()
    reponse = client.post(
        reverse("backoffice:candidatures_import_confirmer"),
        {"jeton": apercu.context["jeton"], "seulement_valides": "oui", "csrfmiddlewaretoken": jeton_csrf},
    )
    assert reponse.status_code == 302
    assert list(Candidature.objects.values_list("email", flat=True)) == ["helene@example.org"]
    rejoue = client.post(
        reverse("backoffice:candidatures_import_confirmer"),
        {"jeton": apercu.context["jeton"], "seulement_valides": "oui", "csrfmiddlewaretoken": jeton_csrf},
    )
    assert rejoue.status_code == 302
    assert Candidature.objects.count() == 1


@pytest.mark.parametrize("disparu", ["session", "fichier"])
def test_confirming_after_the_session_or_the_file_vanished_is_refused_in_french(
    client: Client, rs5142: Any, gestionnaire: Any, disparu: str
) -> None:
    from django.core.files.storage import default_storage

    session = SessionFormationFactory()
    connecter(client, gestionnaire)
    url = reverse("backoffice:candidatures_import")
    client.get(url)
    jeton_csrf = client.cookies["csrftoken"].value
    apercu = client.post(
        url,
        {
            "session": session.pk,
            "fichier": SimpleUploadedFile("s.csv", _csv(VALIDE_1)),
            "csrfmiddlewaretoken": jeton_csrf,
        },
    )
    if disparu == "session":
        session.delete()
    else:
        default_storage.delete(client.session["candidatures_import"]["chemin"])
    journal = EntreeJournal.objects.count()
    reponse = client.post(
        reverse("backoffice:candidatures_import_confirmer"),
        {"jeton": apercu.context["jeton"], "csrfmiddlewaretoken": jeton_csrf},
        follow=True,
    )
    assert reponse.status_code == 200
    assert "Cet import n&#x27;est plus en attente : envoyez le fichier à nouveau." in reponse.content.decode()
    assert not Candidature.objects.exists()
    assert EntreeJournal.objects.count() == journal


def test_each_imported_trainee_is_told_in_french_how_to_complete_their_file(
    rs5142: Any, gestionnaire: Any, django_capture_on_commit_callbacks: Any
) -> None:
    session = SessionFormationFactory()
    with django_capture_on_commit_callbacks(execute=True):
        creees = services.importer_stagiaires(
            nom_fichier="s.csv", contenu=_csv(VALIDE_1, VALIDE_2), session=session, acteur=gestionnaire
        ).creees
    assert sorted(m.to[0] for m in mail.outbox) == ["bao@example.org", "helene@example.org"]
    message = next(m for m in mail.outbox if m.to == ["helene@example.org"])
    helene = next(c for c in creees if c.email == "helene@example.org")
    assert message.subject == "[RS5142] Votre candidature est ouverte : complétez votre dossier"
    assert f"{session.partenaire.nom} a inscrit votre candidature à RS5142" in message.body
    assert "/comptes/password/reset/" in message.body
    assert f"/candidat/candidatures/{helene.pk}/" in message.body


def test_a_refused_import_sends_nothing(
    rs5142: Any, gestionnaire: Any, django_capture_on_commit_callbacks: Any
) -> None:
    session = SessionFormationFactory()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ErreurMetier):
        services.importer_stagiaires(
            nom_fichier="s.csv", contenu=_csv(VALIDE_1, INVALIDE), session=session, acteur=gestionnaire
        )
    assert mail.outbox == []
