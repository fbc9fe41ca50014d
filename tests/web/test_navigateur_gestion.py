"""Back-office pages in Chromium at 1280 px on the demo: no table wider than the screen; the
dashboard, the journal (list and entry), the outbox and the jury pool pages pass axe; a member is
added to the pool from its page."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from parchemin.comptes.models import User
from parchemin.journal.models import EntreeJournal
from parchemin.jurys.models import MembreJury
from tests.browser_helpers import resume_violations, violations_axe
from tests.comptes.outils import connecter, partager_session

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LARGEUR = 1280
LISTES = (
    "/gestion/",
    "/gestion/journal/",
    "/gestion/courriels/?statut=TOUS",
    "/gestion/candidatures/",
    "/gestion/candidatures/echeances/",
    "/gestion/partenaires/",
    "/gestion/jurys/",
    "/gestion/jurys/vivier/",
    "/gestion/jurys/vivier/nouveau/",
)
AUDITEES = {
    "/gestion/",
    "/gestion/journal/",
    "/gestion/courriels/?statut=TOUS",
    "/gestion/jurys/vivier/",
    "/gestion/jurys/vivier/nouveau/",
}
TABLES_TROP_LARGES = """(largeur) => Array.from(document.querySelectorAll('table'))
    .filter((t) => t.getBoundingClientRect().right > largeur || t.scrollWidth > t.clientWidth + 1)
    .map((t) => (t.querySelector('caption') || {textContent: 'tableau sans légende'}).textContent.trim())"""


def test_back_office_lists_fit_1280_px_and_new_pages_are_accessible(
    browser: Any, live_server: Any, demo_chargee: Any
) -> None:
    gestionnaire = User.objects.get(email=f"gestionnaire@{settings.DEMO_EMAIL_DOMAINE}")
    client = connecter(Client(), gestionnaire)
    contexte = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport={"width": LARGEUR, "height": 900})
    partager_session(contexte, client, live_server.url)
    page = contexte.new_page()
    entree = EntreeJournal.objects.exclude(avant=None).order_by("-sequence").first()
    assert entree is not None
    defauts = []
    membre = MembreJury.objects.order_by("pk").first()
    assert membre is not None
    fiche = f"/gestion/jurys/vivier/{membre.pk}/"
    for adresse in (*LISTES, f"/gestion/journal/{entree.sequence}/", fiche):
        reponse = page.goto(adresse)
        assert reponse is not None and reponse.status == 200, adresse
        expect(page.locator("h1")).to_be_visible()
        if page.evaluate("document.documentElement.scrollWidth") > LARGEUR:
            defauts.append(f"{adresse} : la page défile horizontalement")
        defauts += [
            f"{adresse} : tableau « {t} » plus large que l'écran" for t in page.evaluate(TABLES_TROP_LARGES, LARGEUR)
        ]
        if adresse in AUDITEES or adresse.startswith("/gestion/journal/") or adresse == fiche:
            violations = violations_axe(page)
            if violations:
                defauts.append(f"{adresse} : {resume_violations(violations)}")
    assert defauts == [], "\n".join(defauts)

    # The journal's before/after opens on a table of field labels.
    page.goto("/gestion/journal/")
    page.locator("details.journal-details summary").first.click()
    expect(page.locator("details.journal-details table").first).to_be_visible()

    # A new member of the pool, typed in the page and saved.
    page.goto("/gestion/jurys/vivier/nouveau/")
    for champ, valeur in (("prenom", "Awa"), ("nom", "Diallo"), ("email", "awa.diallo@example.org")):
        page.locator(f"#id_{champ}").fill(valeur)
    page.locator("#id_organisation").fill("La Ruche")
    page.get_by_label("Économie sociale et solidaire").check()
    page.get_by_label("Disponibilités").fill("12/03/2027")
    page.get_by_role("button", name="Ajouter au vivier").click()
    expect(page.get_by_role("link", name="Awa Diallo : modifier la fiche")).to_be_visible()
    assert MembreJury.objects.filter(email="awa.diallo@example.org", disponibilites__date="2027-03-12").exists()
    contexte.close()
