"""Sign the current head of the audit chain and write the checkpoint outside the database (daily)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parchemin.erreurs import ErreurMetier
from parchemin.journal.ancrage import creer_point_de_controle, empreinte_cle_publique


class Command(BaseCommand):
    help = (
        "Signe la tête de la chaîne du journal d'audit (clé Ed25519 hors base), écrit le point de contrôle "
        "dans le stockage de fichiers et l'envoie aux administrateurs."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--motif", default="point de contrôle quotidien")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            point = creer_point_de_controle(options["motif"])
        except (ErreurMetier, OSError) as erreur:
            raise CommandError(f"Point de contrôle non écrit : {getattr(erreur, 'message', erreur)}") from erreur
        self.stdout.write(
            self.style.SUCCESS(
                f"Point de contrôle écrit : entrée n°{point.sequence}, empreinte {point.hash or '(journal vide)'}, "
                f"fichier {point.chemin}. Clé publique : {empreinte_cle_publique()}"
            )
        )
