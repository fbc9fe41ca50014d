"""Generate a self-signed seal for the final PVs (development, demo, a test instance).

A production instance uses a certificate issued to the certificateur instead (docs/operations.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from parchemin.jurys.cachet import cachet, generer_cachet_autosigne


class Command(BaseCommand):
    help = "Génère un cachet autosigné (clé P-256 et certificat, un fichier PEM) pour sceller les PV de jury."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--chemin", default=settings.CACHET_PV_CLE, help="Fichier PEM à écrire.")
        parser.add_argument("--nom", default=settings.CACHET_PV_NOM, help="Organisation titulaire du cachet.")
        parser.add_argument("--remplacer", action="store_true", help="Remplace un cachet existant.")

    def handle(self, *args: Any, **options: Any) -> None:
        chemin = Path(options["chemin"])
        if chemin.exists() and not options["remplacer"]:
            raise CommandError(f"{chemin} existe déjà : ajoutez --remplacer pour le remplacer.")
        generer_cachet_autosigne(chemin, options["nom"])
        self.stdout.write(
            self.style.SUCCESS(f"Cachet autosigné écrit dans {chemin} (lisible par son seul propriétaire).")
        )
        if str(chemin) == settings.CACHET_PV_CLE:
            self.stdout.write(f"Titulaire : {cachet().titulaire}")
