"""Candidate e-mails: one template pair per event, the text as typed, the HTML escaped, same links."""

from __future__ import annotations

import re
from typing import Any, get_args

import pytest
from django.core import mail
from django.utils.html import escape

from parchemin.candidatures import services
from parchemin.candidatures.enums import DecisionRecevabilite
from parchemin.candidatures.notifications import Evenement, notifier
from parchemin.courriels.models import Courriel
from parchemin.courriels.services import message

from .factories import CandidatureFactory

pytestmark = pytest.mark.django_db

LIEN = re.compile(r"https?://[^\s<>\"]+")
HOSTILE = "<script>alert('x')</script> & \"co\""


def _depose(**champs: Any) -> Any:
    candidature = CandidatureFactory(**champs)
    services.deposer(candidature, acteur=candidature.candidat)
    return candidature


def test_a_refusal_reason_is_kept_as_typed_in_the_text_and_escaped_in_the_html(
    rs5142: Any, gestionnaire: Any, django_capture_on_commit_callbacks: Any
) -> None:
    candidature = _depose(prenom1="Zoé", nom_naissance="D'Aubigné")
    motif = f"Pièce illisible {HOSTILE}\nSeconde ligne"

    with django_capture_on_commit_callbacks(execute=True):
        services.decider_recevabilite(
            candidature, acteur=gestionnaire, decision=DecisionRecevabilite.NON_RECEVABLE, motif=motif
        )

    courriel = Courriel.objects.get(sujet__endswith="Décision sur votre candidature")
    assert courriel.corps.startswith("Bonjour Zoé D'Aubigné,\n\n")
    assert motif in courriel.corps
    assert "<script>" not in courriel.corps_html
    assert escape(HOSTILE) in courriel.corps_html
    assert f"{escape('Pièce illisible')} {escape(HOSTILE)}<br>Seconde ligne" in courriel.corps_html
    assert escape("D'Aubigné") in courriel.corps_html
    envoye = mail.outbox[-1]
    assert envoye.body == courriel.corps
    assert envoye.alternatives == [(courriel.corps_html, "text/html")]


@pytest.mark.parametrize("evenement", get_args(Evenement))
def test_every_event_has_the_same_links_in_text_and_html_and_a_french_titled_page(
    evenement: Evenement, rs5142: Any
) -> None:
    candidature = CandidatureFactory(prenom1="Anne-Lou", nom_naissance="L'Hostis")
    notifier(
        candidature,
        evenement,
        motif="Motif",
        pieces_manquantes="Pièce",
        partenaire="Coop",
        intitule="Intitulé",
        session_formation="Session",
        lien_mot_de_passe="https://parchemin.example/comptes/password/reset/",
    )

    courriel = Courriel.objects.get()
    assert courriel.sujet.startswith(f"[{candidature.certification.code}] ")
    assert "\n" not in courriel.sujet
    assert courriel.corps.startswith("Bonjour Anne-Lou L'Hostis,")
    assert "&#x27;" not in courriel.corps and "&amp;" not in courriel.corps
    assert '<html lang="fr">' in courriel.corps_html
    assert f"<title>{escape(courriel.sujet)}</title>" in courriel.corps_html
    liens = LIEN.findall(courriel.corps)
    assert f"/candidat/candidatures/{candidature.pk}/" in liens[-1]
    assert re.findall(r'href="([^"]+)"', courriel.corps_html) == liens
    assert message(courriel).alternatives == [(courriel.corps_html, "text/html")]
