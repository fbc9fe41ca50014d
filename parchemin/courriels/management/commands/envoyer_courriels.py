"""Cron job of the outbox: sends the e-mails still to send, retrying failures with a growing delay."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from parchemin.courriels.services import TENTATIVES_MAX, envoyer


class Command(BaseCommand):
    help = (
        "Envoie les courriels en attente et réessaie ceux en échec (délai croissant, "
        f"{TENTATIVES_MAX} tentatives au plus). Plusieurs instances peuvent tourner en même temps "
        "sans envoyer deux fois un courriel."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--limite", type=int, default=500, help="Nombre maximal de courriels traités (défaut : 500)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bilan = envoyer(limite=options["limite"])
        message = f"{bilan.envoyes} courriel(s) envoyé(s), {bilan.echecs} en échec."
        self.stdout.write(self.style.WARNING(message) if bilan.echecs else self.style.SUCCESS(message))
