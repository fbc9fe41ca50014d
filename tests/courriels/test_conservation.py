"""Retention of outgoing e-mails: sent (or abandoned) copies go after CONSERVATION_COURRIELS_MOIS,
pending ones stay, the journal records a count and no content."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from parchemin.courriels import conservation
from parchemin.courriels.enums import StatutCourriel
from parchemin.courriels.models import Courriel, PieceJointe
from parchemin.courriels.services import TENTATIVES_MAX
from parchemin.journal.models import EntreeJournal

pytestmark = pytest.mark.django_db

AUJOURD_HUI = datetime.date(2026, 11, 28)


def _courriel(statut: str, jour: datetime.date, **champs: Any) -> Courriel:
    moment = timezone.make_aware(datetime.datetime.combine(jour, datetime.time(12)))
    courriel = Courriel.objects.create(
        destinataires=["lea.roux@example.org"],
        sujet="Votre candidature est recevable",
        corps="Bonjour Léa Roux, …",
        statut=statut,
        prochain_essai_le=moment,
        dernier_essai_le=moment,
        envoye_le=moment if statut == StatutCourriel.ENVOYE else None,
        **champs,
    )
    PieceJointe.objects.create(courriel=courriel, nom="convocation.ics", type_mime="text/calendar", contenu=b"X")
    return courriel


def test_sent_and_abandoned_emails_go_after_the_retention_pending_ones_stay(settings: Any) -> None:
    settings.CONSERVATION_COURRIELS_MOIS = 3
    limite = datetime.date(2026, 8, 28)
    assert conservation.limite(AUJOURD_HUI) == limite
    vieux_envoye = _courriel(StatutCourriel.ENVOYE, limite - datetime.timedelta(days=1))
    envoye_le_jour_limite = _courriel(StatutCourriel.ENVOYE, limite)
    abandonne = _courriel(StatutCourriel.EN_ECHEC, limite - datetime.timedelta(days=30), tentatives=TENTATIVES_MAX)
    encore_retente = _courriel(StatutCourriel.EN_ECHEC, limite - datetime.timedelta(days=30), tentatives=2)
    en_attente = _courriel(StatutCourriel.A_ENVOYER, limite - datetime.timedelta(days=30))

    assert conservation.purger(AUJOURD_HUI) == 2

    restants = set(Courriel.objects.values_list("pk", flat=True))
    assert restants == {envoye_le_jour_limite.pk, encore_retente.pk, en_attente.pk}
    assert not {vieux_envoye.pk, abandonne.pk} & restants
    assert PieceJointe.objects.filter(courriel_id__in=[vieux_envoye.pk, abandonne.pk]).count() == 0
    entree = EntreeJournal.objects.get(action="courriels.purge_conservation")
    assert "Roux" not in entree.resume and "example.org" not in str(entree.apres)
    assert conservation.purger(AUJOURD_HUI) == 0
    assert EntreeJournal.objects.filter(action="courriels.purge_conservation").count() == 1


def test_the_daily_purge_command_includes_emails_and_its_simulation_deletes_nothing(settings: Any) -> None:
    settings.CONSERVATION_COURRIELS_MOIS = 3
    _courriel(StatutCourriel.ENVOYE, datetime.date(2026, 1, 5))

    sortie = io.StringIO()
    call_command("purger_donnees_personnelles", "--date", "2026-11-28", "--simulation", stdout=sortie)
    assert "1 courriel(s) envoyé(s) à purger" in sortie.getvalue()
    assert Courriel.objects.count() == 1

    sortie = io.StringIO()
    call_command("purger_donnees_personnelles", "--date", "2026-11-28", stdout=sortie)
    assert "1 courriel(s) envoyé(s) supprimé(s)" in sortie.getvalue()
    assert Courriel.objects.count() == 0
