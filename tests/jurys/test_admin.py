"""Planning requests in the Django admin: visible to administrators, never changed there."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from parchemin.comptes.enums import Role
from parchemin.jurys.enums import StatutPlanification
from parchemin.jurys.models import DemandePlanification
from tests.comptes.outils import connecter, creer_utilisateur

pytestmark = pytest.mark.django_db


def test_planning_requests_are_read_only_in_the_admin(client: Client, rs5142: Any, gestionnaire: Any) -> None:
    demande = DemandePlanification.objects.create(
        demandeur=gestionnaire,
        regle=rs5142.regles_jury.get(),
        dates=["2026-10-06"],
        heure=datetime.time(9, 30),
        max_candidats=4,
        lieu="Poitiers",
        temps_max_secondes=10,
        statut=StatutPlanification.INFAISABLE,
        explication="Aucun candidat prêt pour le jury : rien à planifier.",
    )
    connecter(client, creer_utilisateur("admin@example.org", Role.ADMINISTRATEUR))

    liste = client.get(reverse("admin:jurys_demandeplanification_changelist"))
    fiche = client.get(reverse("admin:jurys_demandeplanification_change", args=[demande.pk]))

    assert liste.status_code == 200 and str(demande) in liste.content.decode()
    assert fiche.status_code == 200 and "Aucun candidat prêt pour le jury" in fiche.content.decode()
    assert 'name="_save"' not in fiche.content.decode()
    assert client.get(reverse("admin:jurys_demandeplanification_add")).status_code == 403
    assert client.post(reverse("admin:jurys_demandeplanification_delete", args=[demande.pk])).status_code == 403
    assert DemandePlanification.objects.filter(pk=demande.pk).exists()
