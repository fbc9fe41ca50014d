"""End to end in Chromium, on the demo: verify a real code, reject a tampered JSON, download the
holder's PDF from the candidate space and verify the credential embedded in it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from parchemin.demo.jurys import candidat_jury_email
from parchemin.parchemins.models import Parchemin
from tests.browser_helpers import resume_violations, violations_axe
from tests.comptes.outils import partager_session

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("effacer_les_pv_verrouilles"),
]


def _verdict(page: Any) -> Any:
    return page.locator("[data-verdict]")


def test_verify_a_demo_code_a_tampered_json_and_the_holders_pdf(page: Any, demo_chargee: Any, live_server: Any) -> None:
    # The holder with a demo login (the other full validation has none).
    parchemin = (
        Parchemin.objects.filter(decision="VALIDATION_TOTALE", candidature__candidat__email=candidat_jury_email(1))
        .select_related("candidature")
        .get()
    )
    attestation = parchemin.attestation_en_vigueur
    assert attestation is not None

    page.goto("/verifier/")
    page.get_by_label("Code imprimé sur le parchemin (8 caractères)").fill(parchemin.code_verification.lower())
    page.get_by_role("button", name="Vérifier").click()
    expect(_verdict(page)).to_have_attribute("data-verdict", "valide")
    expect(_verdict(page)).to_contain_text(parchemin.candidature.nom_complet)
    expect(_verdict(page)).to_contain_text("Piloter un tiers-lieu")
    violations = violations_axe(page)
    assert violations == [], resume_violations(violations)

    falsifie = json.loads(attestation.credential)
    falsifie["credentialSubject"]["result"] = falsifie["credentialSubject"]["result"][:1]
    page.get_by_label("Parchemin PDF ou attestation numérique JSON (5 Mo au plus)").set_input_files(
        {"name": "attestation.json", "mimeType": "application/json", "buffer": json.dumps(falsifie).encode()}
    )
    page.get_by_role("button", name="Vérifier").click()
    expect(_verdict(page)).to_have_attribute("data-verdict", "falsifie")
    expect(_verdict(page)).to_contain_text("Attestation falsifiée")

    # The holder, signed in, downloads the PDF from the candidate space.
    client = Client()
    client.force_login(parchemin.candidature.candidat)
    partager_session(page.context, client, live_server.url)
    page.goto(f"/candidat/candidatures/{parchemin.candidature.pk}/")
    with page.expect_download() as telechargement:
        page.get_by_role("link", name="Télécharger le parchemin (PDF)").click()
    pdf = telechargement.value.path().read_bytes()
    assert pdf.startswith(b"%PDF-")

    page.goto("/verifier/")
    page.get_by_label("Parchemin PDF ou attestation numérique JSON (5 Mo au plus)").set_input_files(
        {"name": "parchemin.pdf", "mimeType": "application/pdf", "buffer": pdf}
    )
    page.get_by_role("button", name="Vérifier").click()
    expect(_verdict(page)).to_have_attribute("data-verdict", "valide")
    expect(_verdict(page)).to_contain_text(parchemin.numero)
