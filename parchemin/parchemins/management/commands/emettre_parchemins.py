"""Worker that issues parchemins (credential + PDF) for final jury decisions."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from parchemin.parchemins.services import emettre_en_attente, preparer_sessions_oubliees


class Command(BaseCommand):
    help = (
        "Émet les parchemins des PV signés (numéro, PDF, attestation numérique signée) et réessaie ceux en "
        "échec. Sans option, tourne en continu ; plusieurs instances peuvent tourner en même temps."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--une-fois", action="store_true", help="Émet ce qui attend puis s'arrête (cron, tests).")
        parser.add_argument("--pause", type=float, default=5.0, help="Secondes d'attente quand rien n'attend.")

    def handle(self, *args: Any, **options: Any) -> None:
        total = 0
        while True:
            if not connection.in_atomic_block:
                close_old_connections()
            preparer_sessions_oubliees()
            emis = emettre_en_attente()
            total += emis
            if options["une_fois"]:
                break
            if not emis:
                time.sleep(options["pause"])
        self.stdout.write(self.style.SUCCESS(f"{total} parchemin(s) émis."))
