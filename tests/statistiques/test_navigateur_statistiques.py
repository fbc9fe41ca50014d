"""The demo's history in a real Chromium: every statistics page shows the four past years and
passes axe-core — staff tables in each grouping and axis, the files behind a figure, the charts,
the exports, the open-data page and an insertion survey of a historic holder.

The world is the demo's accounts, partners, jury pool and history (``demo.historique``); the
current year's signed PV, whose PDFs are slow to seal, is left out: the history is what is tested.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from faker import Faker
from playwright.sync_api import expect

from parchemin.comptes.enums import Role
from parchemin.demo.comptes import charger_comptes_demo
from parchemin.demo.historique import charger_historique_demo
from parchemin.demo.jurys import _vivier
from parchemin.demo.partenaires import charger_partenaires_demo
from parchemin.jurys.enums import Decision, OrigineSession
from parchemin.jurys.models import Passage
from parchemin.statistiques.enums import Vague
from parchemin.statistiques.models import Enquete
from tests.browser_helpers import resume_violations, violations_axe
from tests.comptes.outils import connecter, creer_utilisateur

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("_nettoyer")]


@pytest.fixture
def _nettoyer(effacer_les_pv_verrouilles: None) -> Iterator[None]:
    """Surveys protect the applications of the passages the locked-PV cleanup deletes: they go first."""
    yield
    Enquete.objects.all().delete()


@pytest.fixture
def annees_demo(rs5142: Any) -> list[int]:
    charger_comptes_demo(graine=5142)
    charger_partenaires_demo(graine=5142)
    faux = Faker("fr_FR")
    faux.seed_instance(5147)
    _vivier(faux, random.Random(5147))
    charger_historique_demo(graine=5142)
    annee = timezone.localdate().year
    return list(range(annee - 4, annee))


def _accessible(page: Any) -> None:
    violations = violations_axe(page)
    assert violations == [], f"{page.url}\n" + resume_violations(violations)


def _fichier(page: Any, adresse: str, type_attendu: str) -> None:
    reponse = page.request.get(adresse)
    assert reponse.status == 200, adresse
    assert reponse.headers["content-type"].startswith(type_attendu), adresse


def test_every_statistics_page_shows_the_demo_years_and_is_accessible(
    page: Any, live_server: Any, annees_demo: list[int]
) -> None:
    client = connecter(Client(), creer_utilisateur("statistiques@example.org", Role.GESTIONNAIRE))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )

    page.goto("/gestion/statistiques/")
    expect(page.locator("h1")).to_have_text("Statistiques des résultats")
    for annee in annees_demo:
        expect(page.get_by_role("rowheader", name=str(annee), exact=True).first).to_be_visible()
    expect(page.get_by_text(Vague.SIX_MOIS.label).first).to_be_visible()  # insertion answers
    _accessible(page)

    for requete, attendu in (
        ("regroupement=voie", "Par expérience"),
        ("regroupement=partenaire", "La Coopérative des Tiers-Lieux"),
        ("regroupement=session", "Bretagne Tiers-Lieux Formation"),
        ("axe=decision", str(annees_demo[0])),
    ):
        page.goto(f"/gestion/statistiques/?{requete}")
        expect(
            page.get_by_role("cell", name=attendu).or_(page.get_by_role("rowheader", name=attendu)).first
        ).to_be_visible()
        _accessible(page)

    page.goto("/gestion/statistiques/")
    page.locator(f"a[href*='indicateur=validations_partielles'][href*='annee={annees_demo[1]}']").first.click()
    expect(page.locator("h1")).to_contain_text("validations partielles")
    _accessible(page)

    page.goto("/gestion/statistiques/graphiques/")
    images = page.locator("img.graphique__image")
    expect(images).to_have_count(2)
    for rang in range(2):
        expect(images.nth(rang)).to_have_js_property("complete", True)
        assert images.nth(rang).evaluate("image => image.naturalWidth") > 0
    _accessible(page)

    _fichier(page, "/gestion/statistiques/export.csv?regroupement=voie", "text/csv")
    _fichier(page, "/gestion/statistiques/export.xlsx?regroupement=session", "application/vnd.openxmlformats")
    _fichier(page, f"/gestion/statistiques/rapport-{annees_demo[-1]}.pdf", "application/pdf")

    page.goto("/certifications/rs5142/chiffres/")
    expect(page.locator("h1")).to_have_text("Chiffres de la certification RS5142")
    for annee in annees_demo:
        expect(page.get_by_role("rowheader", name=str(annee), exact=True).first).to_be_visible()
    _accessible(page)
    _fichier(page, "/certifications/rs5142/chiffres.csv", "text/csv")

    # A holder of the last historic year, reached today by the link of the two-year survey (which
    # the demo leaves to the daily command: its date is still to come).
    titulaire = (
        Passage.objects.filter(session__origine=OrigineSession.REPRISE, decision=Decision.VALIDATION_TOTALE)
        .exclude(candidature__enquetes__vague=Vague.DEUX_ANS)
        .order_by("-session__debut")
        .first()
    )
    assert titulaire is not None
    aujourd_hui = timezone.localdate()
    enquete = Enquete.objects.create(
        candidature=titulaire.candidature,
        vague=Vague.DEUX_ANS,
        certifie_le=aujourd_hui - datetime.timedelta(days=735),
        due_le=aujourd_hui - datetime.timedelta(days=5),
        expire_le=aujourd_hui + datetime.timedelta(days=85),
    )
    page.goto(f"/enquete/{enquete.jeton}/")
    _accessible(page)
    page.get_by_label("À mon compte (indépendant, création ou reprise d'activité)").check()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_role("status")).to_contain_text("Votre réponse est enregistrée")
    _accessible(page)
