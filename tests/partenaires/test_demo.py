"""The demo's partners and sessions: realistic, in the training's regions, loaded twice without duplicates."""

from __future__ import annotations

from typing import Any

import pytest

from parchemin.demo.partenaires import charger_partenaires_demo
from parchemin.partenaires.models import Habilitation, Partenaire, SessionFormation
from parchemin.territoires.enums import Region

pytestmark = pytest.mark.django_db


def test_demo_loads_partners_and_sessions_once(rs5142: Any) -> None:
    charger_partenaires_demo(graine=5142)
    compte = (Partenaire.objects.count(), Habilitation.objects.count(), SessionFormation.objects.count())
    charger_partenaires_demo(graine=5142)
    assert (Partenaire.objects.count(), Habilitation.objects.count(), SessionFormation.objects.count()) == compte
    assert Partenaire.objects.filter(est_certificateur=True, nom="La Coopérative des Tiers-Lieux").exists()
    regions = set(SessionFormation.objects.values_list("region", flat=True))
    assert {
        Region.NOUVELLE_AQUITAINE,
        Region.BRETAGNE,
        Region.HAUTS_DE_FRANCE,
        Region.ILE_DE_FRANCE,
        Region.OCCITANIE,
        Region.PAYS_DE_LA_LOIRE,
        Region.PROVENCE_ALPES_COTE_D_AZUR,
    } <= regions
    bretagne = SessionFormation.objects.get(numero=4, saison="2025-2026")
    assert bretagne.libelle_numero == "Session #4 // 2025-2026" and bretagne.commune is not None
    assert bretagne.lien_inscription.startswith("https://example.org/")
    assert SessionFormation.objects.get(numero=12, saison="2025").region == Region.NOUVELLE_AQUITAINE
    assert all(s.texte_recherche and s.prix > 0 for s in SessionFormation.objects.all())
