"""Deadlines: 3 months from delivery to send, 3 months from a rejection to correct; overdue ones
are said in words on the page and counted on the dashboard."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from parchemin.accrochage import echeances, services
from parchemin.accrochage.enums import EtatCDC
from parchemin.accrochage.models import PassageCDC
from tests.comptes.outils import connecter

from .conftest import delivrer

pytestmark = pytest.mark.django_db


def _il_y_a(jours: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=jours)


def test_passages_by_age_since_delivery(rs5142: Any) -> None:
    ancien = delivrer(livre_le=_il_y_a(100), nom_naissance="Ancien")
    delivrer(livre_le=_il_y_a(10), nom_naissance="Recent")
    services.recenser()
    aujourd_hui = timezone.localdate()

    lignes = echeances.envois(aujourd_hui)

    assert lignes[0].passage.parchemin_id == ancien.pk
    assert [e.en_retard for e in lignes] == [True, False]
    assert echeances.nombre_en_retard(aujourd_hui) == (1, 0)


def test_corrections_are_due_three_months_after_the_rejection(rs5142: Any) -> None:
    delivrer(livre_le=_il_y_a(200))
    services.recenser()
    PassageCDC.objects.update(
        etat=EtatCDC.REJETE, rejete_le=timezone.localdate() - datetime.timedelta(days=95), message_cdc="Sexe"
    )
    aujourd_hui = timezone.localdate()
    assert [e.en_retard for e in echeances.corrections(aujourd_hui)] == [True]
    assert echeances.nombre_en_retard(aujourd_hui) == (0, 1)


def test_the_pages_say_overdue_in_words_and_the_dashboard_counts(client: Any, rs5142: Any, gestionnaire: Any) -> None:
    delivrer(livre_le=_il_y_a(100), nom_naissance="Ancien", prenom1="Paul")
    connecter(client, gestionnaire)
    page = client.get(reverse("backoffice:accrochage_echeances")).content.decode()
    assert "En retard de" in page and "Paul Ancien" in page
    tableau = client.get(reverse("backoffice:tableau_de_bord")).content.decode()
    assert "titulaires pas encore acceptés par la CDC" in tableau
    assert "En retard (plus de 3 mois) : 1 envoi(s), 0 correction(s)." in tableau
