"""The holder's side: PDF, JSON credential and share link in the candidate space, nobody else's."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from parchemin.parchemins import document, services
from parchemin.parchemins.verification import Issue, verifier_fichier
from tests.comptes.outils import connecter

from .conftest import Decisions


def test_the_holder_downloads_pdf_and_json_and_sees_the_share_link(decisions: Decisions, client: Client) -> None:
    parchemin = next(p for p in services.preparer_parchemins(decisions.session) if p.passage_id == decisions.totale.pk)
    services.emettre(parchemin)
    candidature = decisions.totale.candidature
    connecter(client, candidature.candidat)

    page = client.get(reverse("candidat:candidature", kwargs={"pk": candidature.pk})).content.decode()
    assert services.url_verification(parchemin.code_verification) in page
    assert "Télécharger le parchemin (PDF)" in page and "attestation numérique (JSON)" in page

    kwargs = {"pk": candidature.pk, "parchemin_pk": parchemin.pk}
    pdf = client.get(reverse("candidat:parchemin_pdf", kwargs=kwargs))
    assert pdf["Content-Type"] == "application/pdf"
    assert verifier_fichier(pdf.content).issue == Issue.VALIDE
    credential = client.get(reverse("candidat:parchemin_json", kwargs=kwargs))
    assert json.loads(credential.content) == json.loads(document.pieces_jointes(pdf.content)[0])
    assert parchemin.numero in credential["Content-Disposition"]


def test_another_candidate_gets_a_404_for_the_same_parchemin(decisions: Decisions, client: Client) -> None:
    parchemin = next(p for p in services.preparer_parchemins(decisions.session) if p.passage_id == decisions.totale.pk)
    services.emettre(parchemin)
    connecter(client, decisions.partielle.candidature.candidat)
    for nom in ("candidat:parchemin_pdf", "candidat:parchemin_json"):
        kwargs = {"pk": decisions.totale.candidature.pk, "parchemin_pk": parchemin.pk}
        assert client.get(reverse(nom, kwargs=kwargs)).status_code == 404
        kwargs = {"pk": decisions.partielle.candidature.pk, "parchemin_pk": parchemin.pk}
        assert client.get(reverse(nom, kwargs=kwargs)).status_code == 404
