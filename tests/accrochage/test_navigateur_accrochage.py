"""End to end in Chromium: export the holders, upload an acknowledgement rejecting one, fix that
holder's identity from the "to fix" list, and re-export: only that passage leaves, with its
idTechnique. Every page passes axe."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from parchemin.accrochage.enums import EtatCDC
from parchemin.accrochage.models import Lot, PassageCDC
from parchemin.demo.accrochage import accuse_demo
from tests.browser_helpers import resume_violations, violations_axe
from tests.comptes.outils import connecter, partager_session

from .conftest import delivrer, ids_du_lot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _accessible(page: Any) -> None:
    violations = violations_axe(page)
    assert violations == [], f"{page.url} : {resume_violations(violations)}"


def test_export_acknowledge_fix_and_resend_only_the_rejected_passage(
    browser: Any, live_server: Any, rs5142: Any, config_cdc: Any, gestionnaire: Any
) -> None:
    delivrer(prenom1="Camille", nom_naissance="Martin")
    rejete = delivrer(prenom1="Alix", nom_naissance="Petit", code_commune_naissance="33063")
    client = connecter(Client(), gestionnaire)
    contexte = browser.new_context(base_url=live_server.url, locale="fr-FR")
    partager_session(contexte, client, live_server.url)
    page = contexte.new_page()

    page.goto("/gestion/accrochage/")
    _accessible(page)
    page.get_by_role("button", name="Générer le fichier d'accrochage").click()
    expect(page.locator("h1")).to_contain_text("Lot PARCHEMIN-")
    _accessible(page)
    lot = Lot.objects.get()
    assert lot.nombre_passages == 2

    id_rejete = PassageCDC.objects.get(parchemin=rejete).id_technique
    _, traitement = accuse_demo(lot, {id_rejete}, "Aucun titulaire ne correspond : lieu de naissance discordant")
    page.get_by_label("Accusé de la CDC (réception ou traitement, XML)").set_input_files(
        {"name": "accuse-traitement.xml", "mimeType": "application/xml", "buffer": traitement}
    )
    page.get_by_role("button", name="Déposer l'accusé").click()
    expect(page.get_by_text("1 accepté(s), 1 rejeté(s)").first).to_be_visible()

    page.goto("/gestion/accrochage/a-corriger/")
    expect(
        page.get_by_role("cell", name="Aucun titulaire ne correspond : lieu de naissance discordant")
    ).to_be_visible()
    expect(page.get_by_text("code INSEE de la commune de naissance (pas le code postal)")).to_be_visible()
    _accessible(page)
    page.get_by_role("link", name="Corriger l'identité de Alix Petit").click()
    # The link starts a navigation: axe must run on the form, not on the page being left.
    expect(page.get_by_role("button", name="Enregistrer l'identité")).to_be_visible()
    _accessible(page)
    page.get_by_label("Code INSEE de la commune de naissance", exact=True).fill("2A004")
    page.get_by_label("Commune de naissance", exact=True).fill("Ajaccio")
    page.get_by_role("button", name="Enregistrer l'identité").click()
    expect(page.get_by_text("Identité du titulaire corrigée")).to_be_visible()

    page.goto("/gestion/accrochage/echeances/")
    _accessible(page)
    page.goto("/gestion/accrochage/")
    page.get_by_role("button", name="Générer le fichier d'accrochage").click()
    expect(page.locator("h1")).to_contain_text("Lot PARCHEMIN-")
    nouveau = Lot.objects.exclude(pk=lot.pk).get()
    assert ids_du_lot(nouveau) == [id_rejete]
    assert PassageCDC.objects.get(id_technique=id_rejete).etat == EtatCDC.ENVOYE
    assert rejete.candidature.__class__.objects.get(pk=rejete.candidature_id).code_commune_naissance == "2A004"
    contexte.close()
