"""Check that the jury outcome stored on every application (what the statistics count) is the one its
signed passages and amendments give; ``--corriger`` rewrites the ones that differ, with a journal
entry each. Exit code 1 while a difference remains."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parchemin.candidatures.models import Candidature
from parchemin.jurys.en_vigueur import corriger_ecarts, liste_ecarts


class Command(BaseCommand):
    help = (
        "Vérifie que la décision du jury enregistrée sur chaque candidature (celle que comptent les "
        "statistiques) est celle des PV signés et des amendements ; --corriger réécrit les écarts et les "
        "inscrit au journal d'audit. Code de sortie 1 s'il reste un écart."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--corriger",
            action="store_true",
            help="réécrire la décision enregistrée des candidatures en écart (une entrée de journal chacune)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["corriger"]:
            for ecart in corriger_ecarts():
                self.stdout.write(self.style.WARNING(f"Corrigée : {ecart}"))
        ecarts = liste_ecarts()
        if ecarts:
            raise CommandError(
                f"{len(ecarts)} candidature(s) dont la décision enregistrée diffère de celle des PV signés "
                "(relancez avec --corriger) :\n" + "\n".join(str(e) for e in ecarts)
            )
        total = Candidature.objects.count()
        self.stdout.write(
            self.style.SUCCESS(
                f"{total} candidature(s) vérifiée(s) : la décision enregistrée pour les statistiques est celle "
                "des PV signés et des amendements."
            )
        )
