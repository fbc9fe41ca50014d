"""A mail server that is down never breaks a recorded action: the e-mail waits in the outbox.

These tests commit for real (transactional database), so the e-mail attempt runs at the commit,
inside the request or the batch, exactly as in production.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from parchemin.candidatures import services
from parchemin.candidatures.enums import EtatCandidature, TypePiece
from parchemin.candidatures.models import Candidature
from parchemin.courriels.enums import StatutCourriel
from parchemin.courriels.models import Courriel
from parchemin.referentiel.enums import VoieAcces
from tests.comptes.outils import connecter
from tests.courriels.serveurs import EN_PANNE

from .factories import CandidatureFactory, PieceFactory

pytestmark = pytest.mark.django_db(transaction=True)

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def _courriels(candidature: Candidature) -> list[Courriel]:
    return list(Courriel.objects.filter(objet_type="candidatures.candidature", objet_id=str(candidature.pk)))


def _plus_tard() -> None:
    Courriel.objects.update(prochain_essai_le=timezone.now() - datetime.timedelta(seconds=1))


def test_a_decision_made_while_the_mail_server_is_down_is_recorded_and_mailed_later(
    settings: Any, rs5142: Any, gestionnaire: Any
) -> None:
    candidature = CandidatureFactory()
    services.deposer(candidature, acteur=candidature.candidat)
    settings.EMAIL_BACKEND = EN_PANNE
    equipe = connecter(Client(enforce_csrf_checks=True), gestionnaire)
    equipe.get(reverse("backoffice:candidatures"))

    reponse = equipe.post(
        reverse("backoffice:candidature_recevabilite", kwargs={"pk": candidature.pk}),
        {"decision": "RECEVABLE", "csrfmiddlewaretoken": equipe.cookies["csrftoken"].value},
    )

    assert reponse.status_code == 302
    candidature.refresh_from_db()
    assert candidature.etat == EtatCandidature.RECEVABLE
    decision = next(c for c in _courriels(candidature) if "recevable" in c.sujet.lower())
    assert decision.statut == StatutCourriel.EN_ECHEC
    assert "Service indisponible" in decision.derniere_erreur

    settings.EMAIL_BACKEND = LOCMEM
    mail.outbox = []
    _plus_tard()
    call_command("envoyer_courriels", stdout=io.StringIO())
    assert decision.sujet in [m.subject for m in mail.outbox]
    assert all(c.statut == StatutCourriel.ENVOYE for c in _courriels(candidature))


def test_the_daily_batch_goes_through_every_file_while_the_mail_server_is_down(settings: Any, rs5142: Any) -> None:
    dossiers = []
    for _ in range(2):
        candidature = CandidatureFactory(voie=VoieAcces.EXPERIENCE, annee=2026)
        PieceFactory(candidature=candidature, type_piece=TypePiece.DOSSIER_RECEVABILITE)
        PieceFactory(candidature=candidature, type_piece=TypePiece.JUSTIFICATIF_EXPERIENCE)
        dossiers.append(
            services.deposer(candidature, acteur=candidature.candidat, aujourd_hui=datetime.date(2026, 3, 10))
        )
    settings.EMAIL_BACKEND = EN_PANNE

    call_command("constater_recevabilites_tacites", "--date", "2026-05-11", stdout=io.StringIO())

    for candidature in dossiers:
        candidature.refresh_from_db()
        assert candidature.etat == EtatCandidature.RECEVABLE
        [tacite] = [c for c in _courriels(candidature) if "acceptation tacite" in c.sujet]
        assert tacite.statut == StatutCourriel.EN_ECHEC

    settings.EMAIL_BACKEND = LOCMEM
    mail.outbox = []
    _plus_tard()
    call_command("envoyer_courriels", stdout=io.StringIO())
    tacites = sorted(m.to[0] for m in mail.outbox if "acceptation tacite" in m.subject)
    assert tacites == sorted(c.email for c in dossiers)
