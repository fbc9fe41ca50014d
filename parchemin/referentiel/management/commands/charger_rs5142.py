"""Load the RS5142 référentiel shipped with Parchemin (idempotent)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from parchemin.referentiel.echange import importer

DONNEES = Path(__file__).resolve().parents[2] / "data" / "rs5142.json"


class Command(BaseCommand):
    help = "Charge le référentiel RS5142 « Piloter un tiers-lieu » (sans effet s'il est déjà à jour)."

    def handle(self, *args: Any, **options: Any) -> None:
        resultat = importer(json.loads(DONNEES.read_text(encoding="utf-8")))
        if resultat.modifications:
            self.stdout.write(
                self.style.SUCCESS(f"{resultat.version} chargé ({len(resultat.modifications)} changement(s)).")
            )
        else:
            self.stdout.write(f"{resultat.version} déjà à jour : rien n'a changé.")
