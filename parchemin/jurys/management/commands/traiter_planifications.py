"""Worker of jury planning requests: solves pending requests one at a time, outside any web request."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from parchemin.jurys.planification_demandes import marquer_abandonnees, traiter


class Command(BaseCommand):
    help = (
        "Traite les demandes de planification des jurys en attente (solveur CP-SAT). Sans option, tourne "
        "en continu ; plusieurs instances peuvent tourner en même temps sans traiter deux fois une demande."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--une-fois", action="store_true", help="Traite les demandes en attente puis s'arrête (cron, tests)."
        )
        parser.add_argument(
            "--pause", type=float, default=2.0, help="Secondes d'attente quand rien n'est en attente (défaut : 2)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        traitees = 0
        while True:
            if not connection.in_atomic_block:  # a long-lived loop drops connections the server closed
                close_old_connections()
            abandonnees = marquer_abandonnees()
            if abandonnees:
                self.stdout.write(f"{abandonnees} demande(s) bloquée(s) marquée(s) échouée(s).")
            demande = traiter()
            if demande is not None:
                traitees += 1
                self.stdout.write(f"{demande} : {demande.get_statut_display().lower()}.")
                continue
            if options["une_fois"]:
                break
            time.sleep(options["pause"])
        self.stdout.write(self.style.SUCCESS(f"{traitees} demande(s) de planification traitée(s)."))
