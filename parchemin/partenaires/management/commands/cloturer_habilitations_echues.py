"""End the habilitations whose validity period ran out (daily cron, see docs/operations.md)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from parchemin.commandes import date_iso
from parchemin.partenaires.models import Habilitation
from parchemin.partenaires.services import cloturer_habilitations_echues


class Command(BaseCommand):
    help = (
        "Termine les habilitations dont la période de validité est finie : changement inscrit dans "
        "l'historique transmis à France compétences et au journal, sessions futures retirées du catalogue. "
        "Relançable sans risque."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", type=date_iso, default=None, help="jour de référence AAAA-MM-JJ")
        parser.add_argument(
            "--simulation", "--dry-run", action="store_true", dest="simulation", help="affiche sans rien écrire"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        aujourd_hui: datetime.date = options["date"] or timezone.localdate()
        if options["simulation"]:
            echues = list(Habilitation.objects.echues(aujourd_hui).select_related("partenaire", "certification"))
            for habilitation in echues:
                self.stdout.write(
                    f"{habilitation.partenaire} — {habilitation.certification.code} : "
                    f"échue le {habilitation.date_fin:%d/%m/%Y} (simulation)"
                )
            self.stdout.write(f"Simulation : {len(echues)} habilitation(s) à terminer, rien n'est écrit.")
            return
        cloturees = cloturer_habilitations_echues(aujourd_hui)
        for habilitation in cloturees:
            self.stdout.write(f"{habilitation.partenaire} — {habilitation.certification.code} : terminée")
        self.stdout.write(f"{len(cloturees)} habilitation(s) terminée(s) au {aujourd_hui:%d/%m/%Y}.")
