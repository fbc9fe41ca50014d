"""Where a background task stands, in French, for staff (no project import: any app may use it).

Background work goes through Django's Tasks API (the ``django-tasks`` backport): a domain app defines
its tasks with ``@task`` in its ``taches.py``, enqueues them and keeps the returned id on the object
the task works for; ``manage.py db_worker`` runs them. ``etats`` reads what the backend knows of those
ids (queued, running, failed with its error, done) for the back-office. A backend that keeps no
results (the immediate and dummy backends of tests) answers nothing: the domain status says enough.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django_tasks import TaskResult, TaskResultStatus, task_backends
from django_tasks.exceptions import TaskResultDoesNotExist
from django_tasks_db import DatabaseBackend

LIBELLES = {
    TaskResultStatus.READY: "en file d'attente",
    TaskResultStatus.RUNNING: "en cours",
    TaskResultStatus.FAILED: "échouée",
    TaskResultStatus.SUCCESSFUL: "terminée",
}
# A task running this long lost its worker (stopped mid-task): a catch-up may enqueue it again.
DUREE_ABANDON = datetime.timedelta(minutes=15)


@dataclass(frozen=True)
class EtatTache:
    identifiant: str
    statut: str  # READY, RUNNING, FAILED, SUCCESSFUL
    enfilee_le: datetime.datetime | None
    commencee_le: datetime.datetime | None
    terminee_le: datetime.datetime | None
    tentatives: int
    erreur: str  # the exception's last line, for a failed task

    @property
    def libelle(self) -> str:
        return LIBELLES.get(TaskResultStatus(self.statut), self.statut)

    @property
    def echouee(self) -> bool:
        return self.statut == TaskResultStatus.FAILED

    def vivante(self, maintenant: datetime.datetime) -> bool:
        """Waiting for a worker, or running and not abandoned."""
        if self.statut == TaskResultStatus.READY:
            return True
        return (
            self.statut == TaskResultStatus.RUNNING
            and self.commencee_le is not None
            and maintenant - self.commencee_le < DUREE_ABANDON
        )


def _derniere_ligne(trace: str) -> str:
    lignes = [ligne.strip() for ligne in trace.strip().splitlines() if ligne.strip()]
    return lignes[-1][:500] if lignes else ""


def etat(identifiant: str) -> EtatTache | None:
    """What the backend knows of one task, or None (no id, a backend without results, purged)."""
    return etats([identifiant]).get(identifiant)


def etats(identifiants: Iterable[str]) -> dict[str, EtatTache]:
    """What the backend knows of these tasks, by id (ids it does not know are left out)."""
    backend = task_backends["default"]
    voulus = {i for i in identifiants if i}
    connus: dict[str, EtatTache] = {}
    if not voulus or not backend.supports_get_result:
        return connus
    if isinstance(backend, DatabaseBackend):  # one query for a whole page
        from django_tasks_db.models import DBTaskResult

        resultats: list[TaskResult[Any]] = [r.task_result for r in DBTaskResult.objects.filter(id__in=voulus)]
    else:
        resultats = []
        for identifiant in voulus:
            try:
                resultats.append(backend.get_result(identifiant))
            except TaskResultDoesNotExist:
                continue
    for resultat in resultats:
        identifiant = str(resultat.id)
        connus[identifiant] = EtatTache(
            identifiant=identifiant,
            statut=str(resultat.status),
            enfilee_le=resultat.enqueued_at,
            commencee_le=resultat.started_at,
            terminee_le=resultat.finished_at,
            tentatives=resultat.attempts,
            erreur=_derniere_ligne(resultat.errors[-1].traceback) if resultat.errors else "",
        )
    return connus
