"""On the demo itself, in Chromium, as the demo administrator: export the holders the CDC has not
accepted (the accepted one stays out), upload a processing report rejecting one of them, fix that
holder's identity from the "to fix" list, and re-export: the new file carries only that passage,
with its idTechnique. Every page passes axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from parchemin.accrochage.enums import EtatCDC
from parchemin.accrochage.models import Lot, PassageCDC
from parchemin.candidatures.models import Candidature
from parchemin.comptes.models import User
from tests.browser_helpers import resume_violations, violations_axe
from tests.comptes.outils import connecter, partager_session

from .conftest import ids_du_lot, valide_par_xmllint

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MESSAGE = "Aucun titulaire ne correspond : nom de naissance inconnu"


def _accessible(page: Any) -> None:
    violations = violations_axe(page)
    assert violations == [], f"{page.url} : {resume_violations(violations)}"


def _traitement(lot: Lot, rejete: str) -> bytes:
    """A processing report in the shape Parchemin reads (docs/accrochage.md), from the file's own ids."""
    lignes = "".join(
        f"<passage><idTechnique>{i}</idTechnique>"
        + (f"<statut>KO</statut><message>{MESSAGE}</message>" if i == rejete else "<statut>OK</statut>")
        + "</passage>"
        for i in ids_du_lot(lot)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><accuseTraitement><idFlux>{lot.id_flux}</idFlux>'
        f"<idClient>{lot.id_client_certificateur}</idClient>{lignes}</accuseTraitement>"
    ).encode()


def _deposer(page: Any, nom: str, contenu: bytes) -> None:
    page.get_by_label("Accusé de la CDC (réception ou traitement, XML)").set_input_files(
        {"name": nom, "mimeType": "application/xml", "buffer": contenu}
    )
    page.get_by_role("button", name="Déposer l'accusé").click()


def test_demo_export_rejection_fix_and_resend_of_only_that_passage(
    browser: Any, live_server: Any, demo_chargee: Any
) -> None:
    administrateur = User.objects.get(email=f"administrateur@{settings.DEMO_EMAIL_DOMAINE}")
    deja_envoyes = set(Lot.objects.values_list("pk", flat=True))
    acceptes = set(PassageCDC.objects.filter(etat=EtatCDC.ACCEPTE).values_list("id_technique", flat=True))
    assert acceptes, "la démo doit montrer un titulaire accepté par la CDC"
    client = connecter(Client(), administrateur)
    contexte = browser.new_context(base_url=live_server.url, locale="fr-FR")
    partager_session(contexte, client, live_server.url)
    page = contexte.new_page()

    page.goto("/gestion/accrochage/")
    expect(page.get_by_text("Le retrait (action SUPPRESSION) n'existe qu'en version")).to_be_visible()
    # The demo's passage rejected by the CDC waits for its identity to be checked: saved unchanged
    # from "À corriger", it goes back to the passages to send.
    expect(page.get_by_text("1 passage en attente de correction")).to_be_visible()
    _accessible(page)
    en_attente = PassageCDC.objects.get(etat=EtatCDC.REJETE)
    page.goto("/gestion/accrochage/a-corriger/")
    verifiee = Candidature.objects.get(parchemins__passage_cdc=en_attente)
    page.get_by_role("link", name=f"Corriger l'identité de {verifiee.nom_complet}").click()
    page.get_by_role("button", name="Enregistrer l'identité").click()
    expect(page.get_by_text("Identité vérifiée, inchangée")).to_be_visible()
    assert PassageCDC.objects.get(pk=en_attente.pk).etat == EtatCDC.A_ENVOYER
    page.goto("/gestion/accrochage/")
    page.get_by_role("button", name="Générer le fichier d'accrochage").click()
    expect(page.locator("h1")).to_contain_text("Lot PARCHEMIN-")
    _accessible(page)
    lot = Lot.objects.exclude(pk__in=deja_envoyes).get()
    envoyes = ids_du_lot(lot)
    assert envoyes and not set(envoyes) & acceptes
    rejete = envoyes[0]

    reception = (
        f"<accuseReception><idFlux>{lot.id_flux}</idFlux><idClient>{lot.id_client_certificateur}</idClient>"
        "<statut>OK</statut></accuseReception>"
    ).encode()
    _deposer(page, "accuse-reception.xml", reception)
    expect(page.get_by_text(f"Accusé de réception enregistré pour le lot {lot.id_flux}")).to_be_visible()
    _deposer(page, "accuse-traitement.xml", _traitement(lot, rejete))
    expect(page.get_by_text(f"{len(envoyes) - 1} accepté(s), 1 rejeté(s)").first).to_be_visible()

    page.goto("/gestion/accrochage/a-corriger/")
    expect(page.get_by_role("cell", name=MESSAGE)).to_be_visible()
    expect(page.get_by_text("nom de naissance, pas le nom d'usage").first).to_be_visible()
    _accessible(page)
    candidature = Candidature.objects.get(parchemins__passage_cdc__id_technique=rejete)
    page.get_by_role("link", name=f"Corriger l'identité de {candidature.nom_complet}").click()
    # The link starts a navigation: axe must run on the form, not on the page being left.
    expect(page.get_by_role("button", name="Enregistrer l'identité")).to_be_visible()
    _accessible(page)
    page.get_by_label("Nom de naissance", exact=True).fill(f"{candidature.nom_naissance}-Durand")
    page.get_by_role("button", name="Enregistrer l'identité").click()
    expect(page.get_by_text("Identité du titulaire corrigée")).to_be_visible()

    page.goto("/gestion/accrochage/")
    page.get_by_role("button", name="Générer le fichier d'accrochage").click()
    expect(page.locator("h1")).to_contain_text("Lot PARCHEMIN-")
    nouveau = Lot.objects.exclude(pk__in={*deja_envoyes, lot.pk}).get()
    assert ids_du_lot(nouveau) == [rejete]
    assert valide_par_xmllint(Path(nouveau.fichier.path), nouveau.version_flux)
    assert PassageCDC.objects.get(id_technique=rejete).etat == EtatCDC.ENVOYE
    assert Candidature.objects.get(pk=candidature.pk).nom_naissance == f"{candidature.nom_naissance}-Durand"
    assert set(PassageCDC.objects.filter(etat=EtatCDC.ACCEPTE).values_list("id_technique", flat=True)) >= acceptes
    contexte.close()
