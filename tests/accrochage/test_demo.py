"""The demo shows the accrochage: identifiers set, one file taken by the CDC with one holder accepted,
one holder to fix (the CDC's message and the advice)."""

from __future__ import annotations

from typing import Any

import pytest

from parchemin.accrochage.conseils import conseil
from parchemin.accrochage.enums import EtatCDC
from parchemin.accrochage.models import ConfigurationCDC, Lot, PassageCDC
from parchemin.demo.accrochage import charger_accrochage_demo
from parchemin.demo.services import charger_demo

pytestmark = pytest.mark.django_db


def test_demo_sends_one_file_accepts_one_holder_and_leaves_one_passage_to_fix(rs5142: Any) -> None:
    charger_demo()
    charger_accrochage_demo()  # loading again adds nothing

    assert ConfigurationCDC.objects.get().id_client_certificateur == "TLDEMO01"
    lot = Lot.objects.get()
    assert lot.accuse_reception_le is not None and lot.refuse_par_cdc == ""
    assert lot.accuse_traitement_le is not None
    assert (lot.nombre_passages, lot.accuses.get(type="TRAITEMENT").acceptes) == (2, 1)
    accepte = PassageCDC.objects.get(etat=EtatCDC.ACCEPTE)
    assert accepte.parchemin.candidature.code_commune_naissance == "33063"
    a_corriger = PassageCDC.objects.get(etat=EtatCDC.REJETE)
    assert a_corriger.id_technique == "PARCHEMIN-RS5142-2026-00001"
    assert "lieu de naissance" in a_corriger.message_cdc
    assert "code INSEE de la commune de naissance" in conseil(a_corriger.message_cdc)
    assert not PassageCDC.objects.filter(etat=EtatCDC.ENVOYE).exists()
