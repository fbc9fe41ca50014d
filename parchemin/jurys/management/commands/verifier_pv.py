"""Check every stored PV (bytes against hash, signatures of a locked PV, journal entries of signatures)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parchemin.jurys.integrite import anomalies_pv
from parchemin.jurys.models import ProcesVerbal


class Command(BaseCommand):
    help = "Vérifie que chaque PV stocké correspond à son empreinte, à ses signatures et au journal d'audit."

    def handle(self, *args: Any, **options: Any) -> None:
        problemes = []
        total = 0
        for pv in ProcesVerbal.objects.select_related("session").order_by("pk").iterator(chunk_size=50):
            total += 1
            problemes += [f"{pv} : {anomalie}" for anomalie in anomalies_pv(pv)]
        if problemes:
            raise CommandError("PV non intègre(s) :\n" + "\n".join(problemes))
        self.stdout.write(self.style.SUCCESS(f"{total} PV vérifié(s) : empreintes, signatures et journal concordent."))
