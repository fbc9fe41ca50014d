"""Several workers issuing the same decisions at once: one number, one credential per decision, and each
queued task run by one worker only."""

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


def test_two_database_workers_started_at_once_run_each_issuance_task_once(decisions: Decisions, settings: Any) -> None:
    from django_tasks import TaskResultStatus
    from django_tasks_db.management.commands.db_worker import Worker
    from django_tasks_db.models import DBTaskResult

    from tests.taches import BASE_DE_DONNEES

    settings.TASKS = BASE_DE_DONNEES
    for parchemin in services.preparer_parchemins(decisions.session):
        services.mettre_en_file(parchemin)
        services.mettre_en_file(parchemin)  # enqueued twice (a catch-up, a retry): still one credential
    numeros = iter(range(2))

    def travailler() -> None:
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id=f"worker-{next(numeros)}",
            excluded_queue_names=[],
        ).run()

    assert _en_parallele(travailler, 2) == [None] * 2

    resultats = list(DBTaskResult.objects.all())
    assert len(resultats) == 4
    assert {r.status for r in resultats} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(r.worker_ids) == 1 for r in resultats)  # each task claimed by one worker only
    assert Attestation.objects.count() == 2
    assert Parchemin.objects.filter(statut="EMIS").count() == 2
