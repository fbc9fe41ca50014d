"""Check the whole audit chain; exit non-zero and name the first broken entry."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parchemin.journal.services import verifier_chaine


class Command(BaseCommand):
    help = "Vérifie la chaîne d'empreintes du journal d'audit et signale la première entrée altérée."

    def handle(self, *args: Any, **options: Any) -> None:
        compte, rupture = verifier_chaine()
        if rupture is not None:
            raise CommandError(
                f"Journal altéré : entrée n°{rupture.sequence} — {rupture.raison} "
                f"({compte} entrée(s) intègre(s) avant elle)."
            )
        self.stdout.write(self.style.SUCCESS(f"Journal intègre : {compte} entrée(s) vérifiée(s)."))
