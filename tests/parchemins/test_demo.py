"""The demo shows issued parchemins and one revoked credential; loading it twice adds nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from parchemin.demo.services import charger_demo
from parchemin.jurys.enums import Decision, OrigineSession
from parchemin.jurys.models import Passage
from parchemin.parchemins.models import Attestation, Parchemin
from parchemin.parchemins.verification import Issue, verifier_code, verifier_credential

pytestmark = pytest.mark.django_db


def test_demo_issues_the_signed_pv_validations_and_revokes_one_credential(rs5142: Any) -> None:
    charger_demo()
    charger_demo()

    # The validations of this year's signed PV are issued; the holders of juries taken over from
    # history received their certificate before the platform and get none.
    parchemins = list(Parchemin.objects.order_by("pk"))
    assert sorted(p.decision for p in parchemins) == ["VALIDATION_PARTIELLE", "VALIDATION_TOTALE", "VALIDATION_TOTALE"]
    assert {p.passage.session.origine for p in parchemins} == {OrigineSession.PLATEFORME}
    assert (
        Passage.objects.filter(
            session__origine=OrigineSession.REPRISE,
            decision__in=(Decision.VALIDATION_TOTALE, Decision.VALIDATION_PARTIELLE),
        ).count()
        > 50
    )
    for parchemin in parchemins:
        assert verifier_code(parchemin.code_verification).issue == Issue.VALIDE
    revoquee = Attestation.objects.get(revoquee_le__isnull=False)
    assert verifier_credential(json.loads(revoquee.credential)).issue == Issue.REVOQUE
    assert Attestation.objects.count() == 4
