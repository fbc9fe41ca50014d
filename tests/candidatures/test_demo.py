"""The demo shows every allowed route and every state, and loading it twice creates nothing new."""

from __future__ import annotations

from typing import Any

import pytest

from parchemin.candidatures.enums import EtatCandidature
from parchemin.candidatures.models import Candidature, Piece
from parchemin.demo.services import charger_demo
from parchemin.referentiel.enums import VoieAcces

pytestmark = pytest.mark.django_db


def test_demo_covers_every_allowed_route_and_state_and_is_idempotent(rs5142: Any) -> None:
    charger_demo()
    assert set(Candidature.objects.values_list("voie", flat=True)) == {
        VoieAcces.FORMATION_CONTINUE,
        VoieAcces.CANDIDATURE_INDIVIDUELLE,
        VoieAcces.EXPERIENCE,
    }
    assert set(Candidature.objects.values_list("etat", flat=True)) == set(EtatCandidature.values)
    assert Candidature.objects.filter(candidat__email__startswith="candidat@").exists()
    assert Candidature.objects.filter(etat=EtatCandidature.DEPOSEE, echeance_recevabilite__isnull=False).count() == 2
    assert Candidature.objects.filter(etat=EtatCandidature.RECEVABLE, acceptation_tacite_le__isnull=False).count() == 1
    avant = (Candidature.objects.count(), Piece.objects.count())
    charger_demo()
    assert (Candidature.objects.count(), Piece.objects.count()) == avant
