"""Catch-up of jury planning (cron): the requests are solved by ``manage.py db_worker`` (Django Tasks),
like every background task of Parchemin; this command only repairs what a stopped worker left."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parchemin.jurys.planification_demandes import rattraper


class Command(BaseCommand):
    help = (
        "Rattrapage : marque échouées les demandes de planification restées « en cours » (processus "
        "arrêté) et remet en file celles en attente sans tâche vivante. Le calcul lui-même est fait par "
        "`manage.py db_worker`. Sans risque à relancer (cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        abandonnees, relancees = rattraper()
        self.stdout.write(
            self.style.SUCCESS(
                f"{abandonnees} demande(s) bloquée(s) marquée(s) échouée(s), {relancees} remise(s) en file."
            )
        )
