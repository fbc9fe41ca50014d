"""End to end in a real Chromium: the certification page is readable, keyboard-usable, accessible."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser_helpers import resume_violations, violations_axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_certification_page_is_accessible_and_keyboard_navigable(page: Any, rs5142: Any) -> None:
    page.goto("/certifications/rs5142/")
    expect(page.locator("h1")).to_have_text("Piloter un tiers-lieu")
    expect(page.locator(".competences li")).to_have_count(18)
    # The page is the certificateur's, not the software's: its name heads and closes the page.
    expect(page.locator(".entete__marque")).to_have_accessible_name("La Coopérative des Tiers-Lieux")
    expect(page.locator(".pied")).to_contain_text("La Coopérative des Tiers-Lieux")
    # No decision date is published in the seed: the page links to the official fiche instead.
    lien_fiche = page.get_by_role("link", name="fiche RS5142 sur francecompetences.fr")
    expect(lien_fiche).to_have_attribute("href", "https://www.francecompetences.fr/recherche/rs/5142/")
    expect(page.locator(".bandeau")).not_to_contain_text("non renseignée")
    jury = page.locator("#voies tbody tr", has_text="Par expérience")
    expect(jury).to_contain_text(
        "Trois membres représentatifs du secteur des tiers-lieux (salariés et/ou administrateurs)"
    )

    # The first Tab reaches the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Aller au contenu"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenu"

    # Every link of the page can be reached with Tab alone.
    liens = page.locator("a[href]").count()
    atteints = set()
    for _ in range(liens + 5):
        page.keyboard.press("Tab")
        atteints.add(page.evaluate("document.activeElement.getAttribute('href')"))
    assert "#competences" in atteints and "/mentions-legales/" in atteints

    violations = violations_axe(page)
    assert violations == [], resume_violations(violations)


def test_home_page_presents_the_certificateur_and_its_certification(page: Any, rs5142: Any) -> None:
    page.goto("/")
    expect(page.locator("h1")).to_have_text("La Coopérative des Tiers-Lieux")
    carte = page.locator(".carte", has_text="Piloter un tiers-lieu")
    expect(carte).to_contain_text("3 unités, 18 compétences")
    expect(carte.locator(".carte__faits li")).to_have_text(
        ["Après un parcours de formation continue", "Par candidature individuelle", "Par expérience"]
    )
    expect(page.locator(".etapes > li")).to_have_count(3)
    carte.get_by_role("link", name="Où se former à la certification Piloter un tiers-lieu").click()
    page.wait_for_url("**/certifications/rs5142/ou-suivre/")


def test_home_page_has_no_accessibility_violation(page: Any, rs5142: Any) -> None:
    page.goto("/")
    page.get_by_role("link", name="Piloter un tiers-lieu", exact=True).click()
    page.wait_for_url("**/certifications/rs5142/")
    page.goto("/")
    violations = violations_axe(page)
    assert violations == [], resume_violations(violations)
