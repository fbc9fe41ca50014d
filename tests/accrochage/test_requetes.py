"""The accrochage lists cost the same number of queries for 3 or 9 passages (no query per row)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from parchemin.accrochage import services
from parchemin.accrochage.enums import EtatCDC
from parchemin.accrochage.models import PassageCDC
from parchemin.parchemins.enums import StatutParchemin
from parchemin.parchemins.models import Parchemin
from tests.comptes.outils import connecter

from .conftest import delivrer

pytestmark = pytest.mark.django_db


def _ajouter(n: int, gestionnaire: Any) -> None:
    for i in range(n):
        # One held back (no sex), one rejected, the others sent in a new lot each time.
        delivrer(sexe="" if i == 0 else "F", livre_le=timezone.now() - datetime.timedelta(days=100))
    services.exporter(acteur=gestionnaire)
    premier = PassageCDC.objects.filter(etat=EtatCDC.ENVOYE).order_by("pk").first()
    assert premier is not None
    PassageCDC.objects.filter(pk=premier.pk).update(
        etat=EtatCDC.REJETE, rejete_le=timezone.localdate(), message_cdc="Prénom incohérent"
    )
    # And one accepted whose parchemin was revoked since: listed for withdrawal.
    a_retirer = PassageCDC.objects.filter(etat=EtatCDC.ENVOYE).order_by("pk").first()
    assert a_retirer is not None
    PassageCDC.objects.filter(pk=a_retirer.pk).update(etat=EtatCDC.ACCEPTE)
    Parchemin.objects.filter(pk=a_retirer.parchemin_id).update(statut=StatutParchemin.REVOQUE)


def _requetes(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as requetes:
        assert client.get(url).status_code == 200
    return len(requetes)


@pytest.mark.parametrize(
    "nom",
    [
        "backoffice:accrochage",
        "backoffice:accrochage_a_corriger",
        "backoffice:accrochage_echeances",
        "backoffice:tableau_de_bord",
    ],
)
def test_an_accrochage_list_costs_the_same_queries_for_few_or_more_rows(
    rs5142: Any, config_cdc: Any, gestionnaire: Any, nom: str
) -> None:
    client = connecter(Client(), gestionnaire)
    url = reverse(nom)
    _ajouter(3, gestionnaire)
    client.get(url)
    avec_peu = _requetes(client, url)
    _ajouter(6, gestionnaire)
    client.get(url)  # the census of new parchemins happens on this first reading
    assert _requetes(client, url) == avec_peu


def test_the_export_costs_the_same_queries_for_few_or_more_passages(
    rs5142: Any, config_cdc: Any, gestionnaire: Any
) -> None:
    """The export reads only the columns a record needs: a deferred one read per row would show here."""

    def exporter(n: int) -> int:
        for _ in range(n):
            delivrer()
        services.recenser()
        with CaptureQueriesContext(connection) as requetes:
            # Sent without an answer yet: the first ones go again with the new ones.
            assert services.exporter(acteur=gestionnaire).lots[0].nombre_passages == PassageCDC.objects.count()
        return len(requetes)

    assert exporter(2) == exporter(7)
