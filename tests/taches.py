"""The task backend of the test suite: some tasks run at once, the others are only recorded.

Jury planning runs at once (``demander`` returns the solved request: tests stay deterministic);
parchemin issuance is recorded but not run unless a test asks for it (``IMMEDIATES``), so the jury
tests that sign PVs do not render PDFs. A test that needs the real worker switches to the database
backend (tests/test_taches.py).
"""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.backends.dummy import DummyBackend
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task, TaskResult

PLANIFICATION = "parchemin.jurys.taches.traiter_demande"
EMISSION = "parchemin.parchemins.taches.emettre_parchemin"


class BackendDeTest(BaseTaskBackend):
    supports_async_task = True
    supports_priority = True

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.immediat = ImmediateBackend(alias, params)
        self.differe = DummyBackend(alias, params)

    @property
    def differees(self) -> list[TaskResult[Any]]:
        """Tasks recorded and not run, in order."""
        return self.differe.results

    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any]:
        cible = self.immediat if task.module_path in self.options.get("IMMEDIATES", ()) else self.differe
        return cible.enqueue(task, args, kwargs)


BASE_DE_DONNEES = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def travailler() -> str:
    """One pass of the real worker command: run every queued task, then exit (nothing waits)."""
    sortie = io.StringIO()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", stdout=sortie)
    return sortie.getvalue()


def reglage(*immediates: str) -> dict[str, Any]:
    return {"default": {"BACKEND": "tests.taches.BackendDeTest", "OPTIONS": {"IMMEDIATES": list(immediates)}}}
