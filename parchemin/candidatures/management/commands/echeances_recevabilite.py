"""List experience-route files past or near their recevabilité deadline (for a daily cron e-mail)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse
from django.utils import timezone

from parchemin.candidatures.queries import echeances_recevabilite


class Command(BaseCommand):
    help = (
        "Liste les dossiers de recevabilité (voie de l'expérience) dont le délai de deux mois est dépassé "
        "ou proche. Code de sortie 1 s'il y a des délais dépassés."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jours", type=int, default=15, help="horizon des échéances proches (jours)")

    def handle(self, *args: Any, **options: Any) -> None:
        aujourd_hui = timezone.localdate()
        echeances = echeances_recevabilite(aujourd_hui, options["jours"])
        for titre, cle in (
            ("Délai dépassé (acceptation tacite pas encore enregistrée)", "en_retard"),
            ("Échéance proche", "proches"),
        ):
            self.stdout.write(f"{titre} : {len(echeances[cle])}")
            for candidature in echeances[cle]:
                url = settings.SITE_URL + reverse("backoffice:candidature", kwargs={"pk": candidature.pk})
                self.stdout.write(
                    f"  n°{candidature.pk} {candidature.nom_complet} — due le "
                    f"{candidature.echeance_recevabilite:%d/%m/%Y} — {url}"
                )
        if echeances["en_retard"]:
            raise SystemExit(1)
