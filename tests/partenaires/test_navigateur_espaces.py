"""The partner space and the staff pages on partners in a real Chromium: usable with the keyboard
labels, errors announced on the fields, and no axe violation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from parchemin.comptes.enums import Role
from tests.browser_helpers import resume_violations, violations_axe
from tests.comptes.outils import connecter, creer_utilisateur
from tests.partenaires.factories import HabilitationFactory, PartenaireFactory, SessionFormationFactory
from tests.territoires.factories import commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _accessible(page: Any) -> None:
    violations = violations_axe(page)
    assert violations == [], f"{page.url}\n" + resume_violations(violations)


def _connecter(page: Any, live_server: Any, user: Any) -> None:
    client = connecter(Client(), user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_partner_admin_creates_a_session_with_errors_then_fixed(page: Any, live_server: Any, rs5142: Any) -> None:
    organisme = PartenaireFactory(nom="Bretagne Tiers-Lieux Formation")
    HabilitationFactory(partenaire=organisme)
    SessionFormationFactory(partenaire=organisme, numero=4, saison="2025-2026", commune=commune("rennes"))
    commune("rennes")
    _connecter(page, live_server, creer_utilisateur("of@example.org", Role.ADMIN_PARTENAIRE, partenaire=organisme))

    page.goto("/partenaire/")
    expect(page.locator("h1")).to_have_text("Bretagne Tiers-Lieux Formation")
    _accessible(page)
    page.get_by_role("link", name="Nouvelle session").click()
    page.get_by_label("Certification préparée").select_option(label="RS5142 — Piloter un tiers-lieu")
    page.get_by_label("Intitulé de la formation").fill("Piloter un tiers-lieu — formation certifiante, 20 jours")
    page.get_by_label("Numéro de session").fill("5")
    page.get_by_label("Saison").fill("2026-2027")
    page.get_by_label("Modalité").select_option("PRESENTIEL")
    page.get_by_label("Commune du lieu de formation").fill("Atlantide")
    page.locator("#id_date_debut").fill("2027-01-11")
    page.locator("#id_date_fin").fill("2026-12-01")
    page.get_by_label("Durée en jours").fill("20")
    page.get_by_label("Durée en heures").fill("140")
    page.get_by_label("Prix TTC (€)").fill("-5")
    page.get_by_label("Nombre de places").fill("12")
    page.get_by_label("Inscrits à ce jour").fill("3")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#id_commune_error")).to_contain_text("Commune inconnue")
    expect(page.locator("#id_prix_error")).to_contain_text("négatif")
    expect(page.locator("#id_date_fin_error")).to_contain_text("finir avant de commencer")
    _accessible(page)

    page.get_by_label("Commune du lieu de formation").fill("35000")
    page.locator("#id_date_fin").fill("2027-05-28")
    page.get_by_label("Prix TTC (€)").fill("3900")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("button", name="Publier au catalogue").click()
    expect(page.locator(".alerte").first).to_contain_text("Session publiée au catalogue.")
    _accessible(page)


def test_staff_partner_and_habilitation_pages_are_accessible(page: Any, live_server: Any, rs5142: Any) -> None:
    habilitation = HabilitationFactory(partenaire=PartenaireFactory(nom="La Coopérative des Tiers-Lieux"))
    _connecter(page, live_server, creer_utilisateur("gestion@example.org", Role.GESTIONNAIRE))
    for url in (
        "/gestion/partenaires/",
        f"/gestion/partenaires/{habilitation.partenaire.pk}/",
        f"/gestion/partenaires/{habilitation.partenaire.pk}/habiliter/",
        f"/gestion/habilitations/{habilitation.pk}/",
    ):
        page.goto(url)
        _accessible(page)
    page.get_by_label("Changement").select_option("suspendre")
    page.get_by_label("Motif").fill("Audit qualité en cours")
    page.get_by_role("button", name="Appliquer").click()
    expect(page.locator("table")).to_contain_text("Audit qualité en cours")
    _accessible(page)
