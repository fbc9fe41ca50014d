"""End to end in Chromium: find a training near Bordeaux, open it, follow its registration link."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser_helpers import resume_violations, violations_axe
from tests.partenaires.factories import PartenaireFactory, SessionFormationFactory
from tests.territoires.factories import commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

INSCRIPTION = "https://example.org/inscriptions/cooperative/session-13"


def test_search_near_bordeaux_open_a_session_and_follow_its_registration_link(page: Any, rs5142: Any) -> None:
    cooperative = PartenaireFactory(nom="La Coopérative des Tiers-Lieux")
    SessionFormationFactory(
        partenaire=cooperative,
        numero=13,
        commune=commune("merignac"),
        lien_inscription=INSCRIPTION,
        date_debut=timezone.localdate() + datetime.timedelta(days=45),
    )
    SessionFormationFactory(intitule="Piloter un tiers-lieu en Bretagne", numero=5, commune=commune("rennes"))
    SessionFormationFactory(intitule="Animer un fablab", description="fabrication numérique", numero=6)
    commune("bordeaux")
    # No network here: the partner's registration site is answered by a stand-in page.
    page.route(
        "https://example.org/**",
        lambda route: route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            body="<!DOCTYPE html><html lang='fr'><title>Inscription</title><h1>Inscription à la session</h1></html>",
        ),
    )
    erreurs_csp: list[str] = []
    page.on("console", lambda m: erreurs_csp.append(m.text) if "Content Security Policy" in m.text else None)

    page.goto("/certifications/rs5142/")
    page.get_by_role("link", name="Trouver une session de formation").click()
    page.wait_for_url("**/ou-suivre/")
    page.get_by_label("Je cherche à faire…").fill("tiers lieu")
    page.get_by_label("Commune ou code postal").fill("Bordeaux")
    page.get_by_label("Dans un rayon de").select_option("50")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/ou-suivre/?*")

    expect(page.locator("#titre-resultats")).to_have_text("1 session trouvée")
    resultat = page.locator(".resultat").first
    expect(resultat).to_contain_text("La Coopérative des Tiers-Lieux")
    expect(resultat).to_contain_text("Mérignac (33)")
    violations = violations_axe(page)
    assert violations == [], resume_violations(violations)

    resultat.locator("h3 a").click()
    page.wait_for_url("**/ou-suivre/*/")
    expect(page.locator("h1")).to_contain_text("Session #13 // 2026-2027")
    violations = violations_axe(page)
    assert violations == [], resume_violations(violations)

    lien = page.get_by_role("link", name="S'inscrire auprès de La Coopérative des Tiers-Lieux")
    assert lien.get_attribute("href") == INSCRIPTION
    lien.click()
    page.wait_for_url(INSCRIPTION)
    expect(page.locator("h1")).to_have_text("Inscription à la session")
    assert erreurs_csp == []


def test_unknown_commune_message_is_announced_and_accessible(page: Any, rs5142: Any) -> None:
    page.goto("/certifications/rs5142/ou-suivre/?commune=Atlantide")
    champ = page.get_by_label("Commune ou code postal")
    assert champ.get_attribute("aria-invalid") == "true"
    expect(page.locator("#id_commune_error")).to_contain_text("Commune inconnue")
    violations = violations_axe(page)
    assert violations == [], resume_violations(violations)
