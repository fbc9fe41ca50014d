"""The jury demo: twelve members, this year's two sessions (a signed PV with a partial validation, a convened
session), the juries of earlier years taken over from history; loading twice adds nothing; the PV, journal
and statistics checks pass on it."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from parchemin.candidatures.models import Candidature
from parchemin.demo.services import charger_demo
from parchemin.jurys.enums import Decision, OrigineSession, StatutSession
from parchemin.jurys.integrite import anomalies_pv
from parchemin.jurys.models import MembreJury, Passage, ProcesVerbal, SessionJury, Siege
from parchemin.jurys.resultat import resultat_de

pytestmark = pytest.mark.django_db


def test_demo_has_a_pool_two_sessions_and_a_signed_partial_validation(rs5142: Any) -> None:
    comptes = charger_demo()

    assert MembreJury.objects.count() == 12
    # This year, on the platform: one session signed, one convened. Earlier years: history only.
    plateforme = SessionJury.objects.filter(origine=OrigineSession.PLATEFORME)
    assert sorted(plateforme.values_list("statut", flat=True)) == [StatutSession.CONVOQUEE, StatutSession.VERROUILLEE]
    assert set(SessionJury.objects.filter(origine=OrigineSession.REPRISE).values_list("statut", flat=True)) == {
        StatutSession.VERROUILLEE
    }
    partielle = Passage.objects.get(decision=Decision.VALIDATION_PARTIELLE, session__origine=OrigineSession.PLATEFORME)
    assert partielle.verrouille and partielle.unites_validees == ["1", "3"]
    pv = ProcesVerbal.objects.get()
    assert pv.verrouille_le is not None and pv.pdf_final and anomalies_pv(pv) == []
    remplacant = Siege.objects.get(session=pv.session, remplace__isnull=False)
    assert remplacant.remplace.present is False and remplacant.siege
    assert pv.signatures.filter(membre=remplacant.membre).exists()
    assert not pv.signatures.filter(membre=remplacant.remplace.membre).exists()
    lecteurs = {c.email: c for c in comptes if c.role.startswith("Candidat, validation")}
    decisions = set()
    for email in lecteurs:
        candidature = Candidature.objects.get(candidat__email=email)
        resultat = resultat_de(candidature)
        assert resultat is not None and resultat.observations
        decisions.add(resultat.decision)
    assert decisions == {Decision.VALIDATION_TOTALE, Decision.VALIDATION_PARTIELLE}
    emails_jury = {c.email for c in comptes if c.role.startswith("Membre de jury")}
    assert MembreJury.objects.filter(user__email__in=emails_jury).count() == len(emails_jury) >= 3

    avant = (MembreJury.objects.count(), SessionJury.objects.count(), Passage.objects.count())
    charger_demo()
    assert (MembreJury.objects.count(), SessionJury.objects.count(), Passage.objects.count()) == avant

    sortie = io.StringIO()
    call_command("verifier_pv", stdout=sortie)
    assert "1 PV vérifié(s)" in sortie.getvalue()
    assert "8 session(s) reprise(s) de l'historique" in sortie.getvalue()
    call_command("verifier_journal", stdout=io.StringIO())
    sortie = io.StringIO()
    call_command("verifier_statistiques", stdout=sortie)
    assert f"{Candidature.objects.count()} candidature(s) vérifiée(s)" in sortie.getvalue()
    # The outcome the statistics count is there: every file the demo's juries decided has one.
    decidees = Candidature.objects.filter(passages__verrouille=True).distinct()
    assert decidees.exists() and not decidees.filter(decision_finale="").exists()
