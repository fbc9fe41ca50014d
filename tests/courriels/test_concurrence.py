"""Two senders running at once (two cron runs overlapping) send each e-mail exactly once."""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from parchemin.courriels.enums import StatutCourriel
from parchemin.courriels.models import Courriel
from parchemin.courriels.services import Bilan, envoyer, mettre_en_file

pytestmark = [
    pytest.mark.django_db(transaction=True),
    # SQLite's in-memory test database refuses a second writer instead of waiting; PostgreSQL (and
    # production SQLite, file + busy timeout) serialise them. CI runs this on PostgreSQL.
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="deux envois simultanés : exécuté sur PostgreSQL (base de test SQLite en mémoire)",
    ),
]


def test_two_workers_at_once_send_every_email_exactly_once() -> None:
    for i in range(30):
        mettre_en_file([f"c{i}@example.org"], f"Sujet {i}", "Texte", essayer=False)
    depart = threading.Barrier(2)
    bilans: list[Bilan] = []
    erreurs: list[BaseException] = []

    def travailler() -> None:
        depart.wait()
        try:
            bilans.append(envoyer())
        except BaseException as erreur:
            erreurs.append(erreur)
        finally:
            connection.close()

    fils = [threading.Thread(target=travailler) for _ in range(2)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=60)

    assert erreurs == []
    assert sum(b.envoyes for b in bilans) == 30
    assert sorted(m.to[0] for m in mail.outbox) == sorted(f"c{i}@example.org" for i in range(30))
    assert set(Courriel.objects.values_list("statut", "tentatives")) == {(StatutCourriel.ENVOYE, 1)}
