"""``verifier_statistiques``: the stored jury outcome is checked against the signed passages and
amendments; a row written some other way is reported, and ``--corriger`` rewrites it, journalled."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from parchemin.candidatures.models import Candidature
from parchemin.journal.models import EntreeJournal
from parchemin.jurys.enums import Decision
from parchemin.statistiques.resultats import Filtres, tableau_resultats

pytestmark = pytest.mark.django_db


def _verifier(*options: str) -> str:
    sortie = io.StringIO()
    call_command("verifier_statistiques", *options, stdout=sortie)
    return sortie.getvalue()


def test_a_consistent_history_passes(historique: dict[str, Any]) -> None:
    assert "10 candidature(s) vérifiée(s)" in _verifier()


def test_a_corrupted_row_is_reported_then_corrected_and_journalled(historique: dict[str, Any]) -> None:
    c, h = historique["dossiers"]["C"], historique["dossiers"]["H"]
    # C's refusal was amended to a partial validation; H's outcome vanished.
    Candidature.objects.filter(pk=c.pk).update(decision_finale=Decision.REFUS)
    Candidature.objects.filter(pk=h.pk).update(decision_finale="", decide_le=None, annee_decision=None)
    assert tableau_resultats(Filtres(annee=2024))[0].chiffres["refus"] == 1  # the figures are wrong

    with pytest.raises(CommandError) as erreur:
        _verifier()
    message = str(erreur.value)
    assert message.startswith("2 candidature(s)")
    assert (
        f"candidature n°{c.pk} : enregistrée Refus (jury du 10/06/2024, année 2024), "
        "attendue Validation partielle (jury du 10/06/2024, année 2024)"
    ) in message
    assert f"candidature n°{h.pk} : enregistrée sans décision, attendue Validation totale" in message
    assert not EntreeJournal.objects.filter(action="jurys.corriger_decision_en_vigueur").exists()

    sortie = _verifier("--corriger")

    assert f"Corrigée : candidature n°{c.pk}" in sortie and f"Corrigée : candidature n°{h.pk}" in sortie
    assert "10 candidature(s) vérifiée(s)" in sortie
    assert tableau_resultats(Filtres(annee=2024))[0].chiffres["refus"] == 0
    entrees = EntreeJournal.objects.filter(action="jurys.corriger_decision_en_vigueur").order_by("sequence")
    assert [(e.objet_id, e.avant["decision_finale"], e.apres["decision_finale"]) for e in entrees] == [
        (str(c.pk), Decision.REFUS, Decision.VALIDATION_PARTIELLE),
        (str(h.pk), "", Decision.VALIDATION_TOTALE),
    ]
    assert "10 candidature(s) vérifiée(s)" in _verifier()
    call_command("verifier_journal", stdout=io.StringIO())
