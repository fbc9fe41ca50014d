"""Export one version of a référentiel as the JSON exchange document."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from parchemin.referentiel.echange import exporter
from parchemin.referentiel.models import ReferentielVersion


class Command(BaseCommand):
    help = "Écrit sur la sortie standard le référentiel d'une certification au format d'échange JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("code", help="code de la certification, par exemple RS5142")
        parser.add_argument("--numero", dest="numero", type=int, help="numéro de version (la dernière par défaut)")

    def handle(self, *args: Any, **options: Any) -> None:
        versions = ReferentielVersion.objects.filter(certification__code__iexact=options["code"])
        if options["numero"] is not None:
            versions = versions.filter(numero=options["numero"])
        version = versions.select_related("certification__certificateur").order_by("-numero").first()
        if version is None:
            raise CommandError(f"Aucun référentiel trouvé pour {options['code']}.")
        self.stdout.write(json.dumps(exporter(version), ensure_ascii=False, indent=2))
