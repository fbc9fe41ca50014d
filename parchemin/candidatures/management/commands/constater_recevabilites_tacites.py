"""Record the recevabilités acquired by silence (experience route, deadline past): run daily by cron."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from parchemin.candidatures import services
from parchemin.commandes import date_iso


class Command(BaseCommand):
    help = (
        "Enregistre la recevabilité tacite des dossiers (voie de l'expérience) restés sans décision après "
        "l'échéance de deux mois : passage à « recevable », entrée au journal, e-mail au candidat. "
        "Sans effet sur un dossier déjà traité : peut être relancée sans risque."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=date_iso,
            default=None,
            help="jour de référence AAAA-MM-JJ (par défaut aujourd'hui) : seules les échéances antérieures comptent",
        )
        parser.add_argument(
            "--simulation",
            "--dry-run",
            action="store_true",
            dest="simulation",
            help="affiche ce qui serait enregistré, sans rien écrire ni envoyer",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        aujourd_hui: datetime.date = options["date"] or timezone.localdate()
        if options["simulation"]:
            candidatures = services.a_constater_tacitement(aujourd_hui)
            verbe = "serait recevable"
        else:
            candidatures = services.constater_recevabilites_tacites(aujourd_hui)
            verbe = "recevable"
        for candidature in candidatures:
            assert candidature.echeance_recevabilite is not None
            acquise_le = services.date_acceptation_tacite(candidature.echeance_recevabilite)
            self.stdout.write(
                f"n°{candidature.pk} {candidature.nom_complet} — échéance du "
                f"{candidature.echeance_recevabilite:%d/%m/%Y} dépassée : {verbe} par acceptation tacite le "
                f"{acquise_le:%d/%m/%Y}"
            )
        if options["simulation"]:
            bilan = (
                f"Simulation au {aujourd_hui:%d/%m/%Y} : {len(candidatures)} dossier(s) à enregistrer, "
                "rien n'est écrit."
            )
        else:
            bilan = f"{len(candidatures)} recevabilité(s) tacite(s) enregistrée(s) au {aujourd_hui:%d/%m/%Y}."
        self.stdout.write(bilan)
