"""A decision amended after signature: the parchemin follows (reissued, revoked or newly numbered)."""

from __future__ import annotations

import json
from typing import Any

from parchemin.comptes.models import User
from parchemin.jurys import services as services_jurys
from parchemin.jurys.enums import Decision
from parchemin.parchemins import services
from parchemin.parchemins.enums import StatutParchemin
from parchemin.parchemins.models import Parchemin
from parchemin.parchemins.verification import Issue, verifier_code, verifier_credential
from tests.taches import EMISSION, PLANIFICATION, reglage

from .conftest import Decisions


def _amender(decisions: Decisions, passage: Any, decision: str, unites: list[str], acteur: User, capture: Any) -> None:
    with capture(execute=True):
        services_jurys.amender_apres_signature(
            decisions.session,
            passage.candidature,
            acteur=acteur,
            decision=decision,
            unites=unites,
            motif="Erreur matérielle relevée après la séance.",
        )


def test_amended_units_reissue_and_a_withdrawn_validation_revokes(
    decisions: Decisions, gestionnaire_parchemins: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.TASKS = reglage(PLANIFICATION, EMISSION)
    partiel = next(p for p in services.preparer_parchemins(decisions.session) if p.passage_id == decisions.partielle.pk)
    ancienne = services.emettre(partiel)

    _amender(
        decisions,
        decisions.partielle,
        Decision.VALIDATION_PARTIELLE,
        ["2", "3"],
        gestionnaire_parchemins,
        django_capture_on_commit_callbacks,
    )
    partiel.refresh_from_db()
    verdict = verifier_code(partiel.code_verification)
    assert verdict.issue == Issue.VALIDE
    assert [u.split(" — ")[0] for u in verdict.unites] == ["Unité 2", "Unité 3"]
    assert verifier_credential(json.loads(ancienne.credential)).issue == Issue.REVOQUE

    _amender(
        decisions, decisions.partielle, Decision.REFUS, [], gestionnaire_parchemins, django_capture_on_commit_callbacks
    )
    partiel.refresh_from_db()
    assert partiel.statut == StatutParchemin.REVOQUE
    assert verifier_code(partiel.code_verification).issue == Issue.REVOQUE


def test_a_refusal_amended_into_a_validation_gets_a_parchemin(
    decisions: Decisions, gestionnaire_parchemins: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.TASKS = reglage(PLANIFICATION, EMISSION)
    services.preparer_parchemins(decisions.session)
    assert not Parchemin.objects.filter(passage=decisions.refus).exists()

    _amender(
        decisions,
        decisions.refus,
        Decision.VALIDATION_PARTIELLE,
        ["1"],
        gestionnaire_parchemins,
        django_capture_on_commit_callbacks,
    )

    nouveau = Parchemin.objects.get(passage=decisions.refus)
    assert nouveau.statut == StatutParchemin.EMIS
    assert verifier_code(nouveau.code_verification).issue == Issue.VALIDE
