"""Create the insertion surveys that are due and send invitations and reminders: run daily by cron."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from parchemin.commandes import date_iso
from parchemin.statistiques.enquetes import creer_enquetes_dues, envoyer_enquetes


class Command(BaseCommand):
    help = (
        "Crée les enquêtes d'insertion dues (6 mois et 2 ans après la certification) et met en file les "
        "invitations et relances. Sans effet sur une enquête déjà envoyée le jour même : peut être "
        "relancée sans risque."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date", type=date_iso, default=None, help="jour de référence AAAA-MM-JJ (par défaut aujourd'hui)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        aujourd_hui: datetime.date = options["date"] or timezone.localdate()
        creees = creer_enquetes_dues(aujourd_hui)
        invitations, relances = envoyer_enquetes(aujourd_hui)
        self.stdout.write(
            f"{creees} enquête(s) créée(s), {invitations} invitation(s) et {relances} relance(s) en file."
        )
