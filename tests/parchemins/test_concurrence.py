"""Several workers issuing the same decisions at once: one number, one credential per decision."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

from parchemin.parchemins import services
from parchemin.parchemins.models import Attestation, Compteur, Parchemin

from .conftest import Decisions

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("effacer_les_pv_verrouilles"),
    # SQLite's in-memory test database refuses a second writer instead of waiting; CI runs the
    # suite on PostgreSQL too, where this test runs.
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="écritures simultanées : exécuté sur PostgreSQL (base de test SQLite en mémoire)",
    ),
]


def _en_parallele(action: Any, fois: int) -> list[BaseException | None]:
    depart = threading.Barrier(fois)
    resultats: list[BaseException | None] = [None] * fois

    def lancer(i: int) -> None:
        depart.wait()
        try:
            action()
        except BaseException as erreur:
            resultats[i] = erreur
        finally:
            connection.close()

    fils = [threading.Thread(target=lancer, args=(i,)) for i in range(fois)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=120)
    return resultats


def test_four_workers_numbering_and_issuing_the_same_session_make_one_parchemin_per_decision(
    decisions: Decisions,
) -> None:
    def travailler() -> None:
        for parchemin in services.preparer_parchemins(decisions.session):
            services.emettre(parchemin)

    assert _en_parallele(travailler, 4) == [None] * 4

    assert Parchemin.objects.count() == 2
    assert Attestation.objects.count() == 2
    assert sorted(Parchemin.objects.values_list("numero", flat=True))[-1].endswith("-00002")
    assert sorted(Attestation.objects.values_list("index_statut", flat=True)) == [0, 1]
    assert Compteur.objects.get(nom=services.COMPTEUR_STATUT).valeur == 2
