"""Every statistics page in a real Chromium on the hand-built history: figures shown, a figure opened
on its files, charts loaded as images under the strict CSP, and no axe violation."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from parchemin.comptes.enums import Role
from parchemin.jurys.models import AmendementDecision
from parchemin.statistiques.enums import Vague
from parchemin.statistiques.models import Enquete
from tests.browser_helpers import resume_violations, violations_axe
from tests.comptes.outils import connecter, creer_utilisateur

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("_nettoyer")]


@pytest.fixture
def _nettoyer(effacer_les_pv_verrouilles: None) -> Iterator[None]:
    """Surveys and amendments protect the rows the locked-PV cleanup deletes: they go first."""
    yield
    Enquete.objects.all().delete()
    AmendementDecision.objects.all().delete()


def _accessible(page: Any) -> None:
    violations = violations_axe(page)
    assert violations == [], f"{page.url}\n" + resume_violations(violations)


def _connecter(page: Any, live_server: Any) -> None:
    client = connecter(Client(), creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_staff_reads_the_figures_opens_one_and_sees_the_charts(
    page: Any, live_server: Any, historique: dict[str, Any]
) -> None:
    _connecter(page, live_server)
    page.goto("/gestion/statistiques/")
    expect(page.locator("h1")).to_have_text("Statistiques des résultats")
    expect(page.get_by_role("rowheader", name="2025", exact=True).first).to_be_visible()
    _accessible(page)

    page.get_by_label("Détailler par").select_option("voie")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("cell", name="Par expérience").first).to_be_visible()
    _accessible(page)

    page.goto("/gestion/statistiques/")
    page.get_by_role("link", name="2 — Validations partielles, 2024 : voir les dossiers").click()
    expect(page.locator("h1")).to_contain_text("validations partielles")
    expect(page.get_by_text("2 dossiers")).to_be_visible()
    _accessible(page)

    page.get_by_role("link", name="Graphiques").click()
    images = page.locator("img.graphique__image")
    expect(images).to_have_count(2)
    for rang in range(2):
        expect(images.nth(rang)).to_have_js_property("complete", True)
        assert images.nth(rang).evaluate("image => image.naturalWidth") > 0
    _accessible(page)


def test_open_data_page_and_survey_questionnaire_are_accessible(
    page: Any, live_server: Any, historique: dict[str, Any]
) -> None:
    page.goto("/certifications/rs5142/chiffres/")
    expect(page.locator("h1")).to_have_text("Chiffres de la certification RS5142")
    expect(page.get_by_text("Licence Ouverte").first).to_be_visible()
    _accessible(page)

    aujourd_hui = datetime.date.today()
    enquete = Enquete.objects.create(
        candidature=historique["dossiers"]["A"],
        vague=Vague.SIX_MOIS,
        certifie_le=aujourd_hui - datetime.timedelta(days=190),
        due_le=aujourd_hui - datetime.timedelta(days=5),
        expire_le=aujourd_hui + datetime.timedelta(days=85),
    )
    page.goto(f"/enquete/{enquete.jeton}/")
    _accessible(page)
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez au moins votre situation")
    _accessible(page)
    page.get_by_label("En emploi salarié").check()
    page.get_by_label("Quel emploi ou quelle activité exercez-vous ? (facultatif)").fill("Coordinatrice")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_role("status")).to_contain_text("Votre réponse est enregistrée")
    page.goto(f"/enquete/{enquete.jeton}/")
    expect(page.get_by_role("alert")).to_contain_text("déjà répondu")
    _accessible(page)
