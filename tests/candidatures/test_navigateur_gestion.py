"""Staff pages on applications in a real Chromium, with data on them: list, deadlines, import report
and file page pass axe; the import report names each error's line and column."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from parchemin.candidatures import services
from parchemin.candidatures.enums import TypePiece
from parchemin.comptes.enums import Role
from parchemin.referentiel.enums import VoieAcces
from tests.browser_helpers import resume_violations, violations_axe
from tests.comptes.outils import connecter, creer_utilisateur

from .factories import CandidatureFactory, PieceFactory, SessionFormationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _accessible(page: Any) -> None:
    violations = violations_axe(page)
    assert violations == [], f"{page.url}\n" + resume_violations(violations)


def _en_gestionnaire(page: Any, live_server: Any) -> None:
    """Reuse a session opened by the test client, TOTP step included (same as the real login leaves)."""
    client = connecter(Client(), creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_staff_pages_are_accessible_with_data(page: Any, live_server: Any, rs5142: Any) -> None:
    session = SessionFormationFactory()
    en_retard = CandidatureFactory(voie=VoieAcces.EXPERIENCE, nom_naissance="Lefèvre", prenom1="Hélène")
    PieceFactory(candidature=en_retard, type_piece=TypePiece.DOSSIER_RECEVABILITE)
    PieceFactory(candidature=en_retard, type_piece=TypePiece.JUSTIFICATIF_EXPERIENCE)
    services.deposer(en_retard, acteur=en_retard.candidat, aujourd_hui=datetime.date.today() - datetime.timedelta(90))
    CandidatureFactory(voie=VoieAcces.FORMATION_CONTINUE, partenaire=session.partenaire, session_formation=session)
    _en_gestionnaire(page, live_server)

    page.goto("/gestion/candidatures/")
    expect(page.locator("h1")).to_have_text("Candidatures")
    _accessible(page)
    page.get_by_label("Recevabilité en retard uniquement").check()
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("link", name="Hélène Lefèvre")).to_be_visible()
    expect(page.locator("tbody tr")).to_have_count(1)

    page.get_by_role("link", name="Échéances de recevabilité").click()
    expect(page.get_by_text("Délai dépassé (1)")).to_be_visible()
    _accessible(page)

    page.get_by_role("link", name="Hélène Lefèvre").click()
    expect(page.get_by_text("réputée acceptée")).to_be_visible()
    _accessible(page)
    page.get_by_role("button", name="Enregistrer la recevabilité tacite").click()
    expect(page.locator("dl.faits")).to_contain_text("recevable par acceptation tacite le")
    expect(page.get_by_role("button", name="Marquer prête pour le jury")).to_be_visible()
    page.get_by_role("link", name="Candidatures", exact=True).first.click()
    page.get_by_role("link", name="Échéances de recevabilité").click()
    expect(page.get_by_text("Délai dépassé (0)")).to_be_visible()
    expect(page.get_by_role("table", name="Dossiers recevables par acceptation tacite")).to_contain_text("Lefèvre")
    _accessible(page)

    page.goto("/gestion/candidatures/import/")
    page.get_by_label("Session de formation des stagiaires").select_option(str(session.pk))
    contenu = (
        "nom_naissance;prenoms;sexe;date_naissance;code_commune_naissance;email\n"
        "Roux;Léa;F;12/04/1985;33063;lea@example.org\n"
        "Petit;Noé;X;31/02/1990;33063;noe@example.org\n"
    ).encode("cp1252")
    page.get_by_label("Liste des stagiaires (CSV ou XLSX)").set_input_files(
        {"name": "stagiaires.csv", "mimeType": "text/csv", "buffer": contenu}
    )
    page.get_by_role("button", name="Vérifier le fichier").click()
    erreurs = page.get_by_role("table", name="Erreurs par ligne et par colonne")
    expect(erreurs.get_by_role("row")).to_have_count(3)
    expect(erreurs).to_contain_text("n'existe pas dans le calendrier")
    _accessible(page)
    page.get_by_role("button", name="Importer seulement les 1 lignes valides").click()
    expect(page.get_by_role("status")).to_contain_text("1 candidature(s) créée(s)")
