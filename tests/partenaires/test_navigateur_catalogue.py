"""End to end in Chromium: find a training near Bordeaux, open it, follow its registration link."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from parchemin.partenaires.enums import Modalite
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


LARGEUR_TELEPHONE = 360


def test_catalogue_and_certification_page_fit_a_360_px_screen(browser: Any, live_server: Any, rs5142: Any) -> None:
    """No horizontal scroll at 360 px on the certification page, the catalogue (results, an empty
    answer with its widening hints, a shared commune name) and a session page; each passes axe."""
    SessionFormationFactory(
        partenaire=PartenaireFactory(nom="Association régionale des tiers-lieux et fabriques de territoire"),
        intitule="Piloter un tiers-lieu nourricier — parcours certifiant long avec immersion",
        commune=commune("saint_denis_93"),
        lien_inscription=INSCRIPTION,
    )
    a_distance = SessionFormationFactory(commune=None, modalite=Modalite.DISTANCE)
    commune("saint_denis_974")
    commune("bordeaux")
    contexte = browser.new_context(
        base_url=live_server.url, locale="fr-FR", viewport={"width": LARGEUR_TELEPHONE, "height": 740}
    )
    page = contexte.new_page()
    pages = [
        ("/certifications/rs5142/", "h1"),
        ("/certifications/rs5142/ou-suivre/?commune=Saint-Denis+%2893%29&rayon=25", "#titre-resultats"),
        ("/certifications/rs5142/ou-suivre/?commune=Bordeaux&rayon=10", ".pistes"),
        ("/certifications/rs5142/ou-suivre/?commune=Saint-Denis&rayon=10", "#titre-homonymes"),
        (a_distance.get_absolute_url(), "h1"),
    ]
    defauts = []
    for adresse, repere in pages:
        page.goto(adresse)
        expect(page.locator(repere)).to_be_visible()
        largeur = page.evaluate("document.documentElement.scrollWidth")
        if largeur > LARGEUR_TELEPHONE:
            defauts.append(f"{adresse} : {largeur} px de large")
        violations = violations_axe(page)
        if violations:
            defauts.append(f"{adresse} : {resume_violations(violations)}")
    assert defauts == [], "\n".join(defauts)

    # The other Saint-Denis is one plain link away, and the empty answer's hint finds the remote session.
    page.goto("/certifications/rs5142/ou-suivre/?commune=Saint-Denis&rayon=10")
    page.get_by_role("link", name="Saint-Denis (93)").click()
    expect(page.locator("#titre-resultats")).to_have_text("1 session trouvée")
    page.goto("/certifications/rs5142/ou-suivre/?commune=Bordeaux&rayon=10")
    page.get_by_role("link", name="Voir les sessions à distance").click()
    expect(page.locator("#titre-resultats")).to_have_text("1 session trouvée")
    expect(page.locator(".resultat h3 a")).to_have_attribute("href", a_distance.get_absolute_url())
    contexte.close()
