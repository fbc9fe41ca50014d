"""Catch-up of delivery (cron): enqueue the issuance tasks that were missed. The worker that issues
is ``manage.py db_worker`` (Django Tasks), like every background task of Parchemin."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from parchemin.parchemins.services import rattraper


class Command(BaseCommand):
    help = (
        "Rattrapage : numérote les validations des PV signés que le signal a manquées et remet en file "
        "l'émission des parchemins en attente sans tâche vivante. L'émission elle-même est faite par "
        "`manage.py db_worker`. Sans risque à relancer (cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        relances = rattraper()
        self.stdout.write(self.style.SUCCESS(f"{relances} émission(s) de parchemin remise(s) en file."))
