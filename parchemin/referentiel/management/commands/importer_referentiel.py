"""Import a référentiel from its JSON exchange file (docs/referentiel-format.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parchemin.referentiel.echange import ReferentielInvalide, importer


class Command(BaseCommand):
    help = "Importe un référentiel complet depuis un fichier JSON ; refuse tout le fichier au moindre problème."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("fichier", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        chemin: Path = options["fichier"]
        try:
            document = json.loads(chemin.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise CommandError(f"Fichier introuvable : {chemin}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError("Le fichier doit être encodé en UTF-8.") from exc
        except json.JSONDecodeError as exc:
            raise CommandError(f"JSON illisible, ligne {exc.lineno} colonne {exc.colno} : {exc.msg}") from exc
        try:
            resultat = importer(document)
        except ReferentielInvalide as exc:
            raise CommandError(exc.message) from exc
        for ligne in resultat.modifications or ["Aucun changement."]:
            self.stdout.write(ligne)
