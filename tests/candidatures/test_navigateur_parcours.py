"""End to end in a real Chromium: a person applies, fills in their file, uploads the written project
presentation and deposits; a staff member signs in with TOTP and declares the file admissible; the
candidate sees the new state. Every page on the way passes axe."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from playwright.sync_api import expect

from parchemin.candidatures.enums import EtatCandidature
from parchemin.candidatures.models import Candidature
from parchemin.comptes.double_facteur import code_totp
from parchemin.comptes.enums import Role
from parchemin.comptes.services import attribuer_role
from tests.browser_helpers import resume_violations, violations_axe
from tests.comptes.factories import MOT_DE_PASSE, UserFactory

from .fichiers import PDF

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _accessible(page: Any) -> None:
    violations = violations_axe(page)
    assert violations == [], f"{page.url}\n" + resume_violations(violations)


def _se_connecter(page: Any, email: str) -> None:
    page.get_by_label("Courriel").fill(email)
    page.get_by_label("Mot de passe", exact=True).fill(MOT_DE_PASSE)
    page.get_by_role("button", name="Connexion").click()


def test_apply_upload_admissible_and_the_candidate_sees_it(
    page: Any, browser: Any, live_server: Any, rs5142: Any
) -> None:
    UserFactory(email="elise@example.org")

    # The candidate applies on an allowed route.
    page.goto("/candidat/")
    page.wait_for_url("**/comptes/login/**")
    _se_connecter(page, "elise@example.org")
    page.wait_for_url("**/candidat/")
    _accessible(page)
    page.get_by_role("link", name="Candidater à RS5142").click()
    expect(page.get_by_label("En contrat d'apprentissage")).to_have_count(0)
    _accessible(page)
    page.get_by_label("Par candidature individuelle").check()
    page.get_by_role("button", name="Créer ma candidature").click()

    # Civil status as the CDC needs it; a wrong INSEE code is reported next to its field.
    page.wait_for_url("**/dossier/")
    page.get_by_label("Nom de naissance").fill("Durand")
    page.get_by_label("Premier prénom").fill("Élise")
    page.get_by_label("Féminin").check()
    page.get_by_label("Date de naissance").fill("1984-02-28")
    page.get_by_label("Code INSEE de la commune de naissance").fill("99123")
    page.get_by_label(re.compile(r"^Commune de naissance")).fill("Ajaccio")
    page.get_by_label("Diplôme le plus élevé").select_option("7")
    page.get_by_label("Années d'expérience").fill("6")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("indiquez plutôt le code du pays")).to_be_visible()
    _accessible(page)
    page.get_by_label("Code INSEE de la commune de naissance").fill("2A004")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url("**/candidatures/*/")

    # The written project presentation (competency 1.7).
    page.get_by_role("link", name="Mes pièces").click()
    page.get_by_label("Pièce").select_option("PRESENTATION_PROJET")
    page.get_by_label("Fichier").set_input_files(
        {"name": "presentation.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Envoyer la pièce").click()
    expect(page.get_by_role("link", name="presentation.pdf")).to_be_visible()
    _accessible(page)

    page.get_by_role("link", name="Retour à ma candidature").click()
    page.get_by_role("link", name="Déposer mon dossier").click()
    page.get_by_role("button", name="Je dépose mon dossier").click()
    expect(page.locator("#etat-candidature")).to_have_text("Déposée")
    _accessible(page)
    url_candidat = page.url
    candidature = Candidature.objects.get(candidat__email="elise@example.org")

    # A staff member signs in with TOTP and declares the file admissible.
    gestionnaire = UserFactory(email="gestion@example.org")
    attribuer_role(acteur=None, user=gestionnaire, role=Role.GESTIONNAIRE)
    secret = generate_totp_secret()
    TOTP.activate(gestionnaire, secret)
    contexte = browser.new_context(base_url=live_server.url, locale="fr-FR")
    equipe = contexte.new_page()
    try:
        equipe.goto("/gestion/candidatures/")
        _se_connecter(equipe, "gestion@example.org")
        equipe.wait_for_url("**/comptes/2fa/authenticate/**")
        equipe.get_by_label("Code").fill(code_totp(secret))
        equipe.get_by_role("button", name="Connexion").click()
        equipe.wait_for_url("**/gestion/candidatures/")
        _accessible(equipe)
        equipe.get_by_label("Rechercher un nom ou un e-mail").fill("elise durand")
        equipe.get_by_role("button", name="Filtrer").click()
        equipe.get_by_role("link", name="Élise Durand").click()
        equipe.wait_for_url(f"**/gestion/candidatures/{candidature.pk}/")
        _accessible(equipe)
        equipe.get_by_label("Recevable", exact=True).check()
        equipe.get_by_role("button", name="Enregistrer la décision").click()
        expect(equipe.get_by_text("Décision enregistrée")).to_be_visible()
    finally:
        contexte.close()

    # The candidate sees the new state.
    page.goto(url_candidat)
    expect(page.locator("#etat-candidature")).to_have_text("Recevable")
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.RECEVABLE
