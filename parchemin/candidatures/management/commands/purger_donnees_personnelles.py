"""Apply the retention policy (docs/candidatures.md, "Conservation"): run daily by cron."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from parchemin.candidatures import conservation
from parchemin.commandes import date_iso
from parchemin.courriels import conservation as conservation_courriels

LIBELLES = {
    conservation.DECIDEE: "décidée par le jury",
    conservation.NON_ADMISE: "non recevable ou retirée",
    conservation.BROUILLON_ABANDONNE: "brouillon inactif",
}


class Command(BaseCommand):
    help = (
        "Applique la durée de conservation des données personnelles : supprime les pièces et les commentaires "
        "de grille des dossiers dont le délai est écoulé, anonymise les candidatures non recevables, retirées ou "
        "abandonnées, supprime les fichiers déposés qu'aucune pièce ne référence et les copies des courriels "
        "envoyés. Les PV signés, les "
        "décisions et l'identité des titulaires sont conservés. Relançable sans risque."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=date_iso,
            default=None,
            help="jour de référence AAAA-MM-JJ (par défaut aujourd'hui) pour les durées de conservation",
        )
        parser.add_argument(
            "--simulation",
            "--dry-run",
            action="store_true",
            dest="simulation",
            help="affiche ce qui serait purgé, sans rien écrire ni supprimer",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        aujourd_hui: datetime.date = options["date"] or timezone.localdate()
        # Orphans are aged against the real clock whatever --date says: a future date must never
        # make a file being uploaded right now look abandoned.
        maintenant = timezone.now()
        if options["simulation"]:
            bilan = conservation.Bilan(
                purges=conservation.a_purger(aujourd_hui), orphelins=conservation.fichiers_orphelins(maintenant)
            )
            courriels = conservation_courriels.a_purger(aujourd_hui).count()
        else:
            bilan = conservation.purger(aujourd_hui, maintenant)
            courriels = conservation_courriels.purger(aujourd_hui)
        conditionnel = " (simulation)" if options["simulation"] else ""
        for purge in bilan.purges:
            actions = [f"{len(purge.pieces)} pièce(s)", f"{len(purge.evaluations)} commentaire(s) de grille"]
            if purge.anonymiser:
                actions.append("anonymisation")
            if purge.clore:
                actions.append("clôture")
            self.stdout.write(
                f"n°{purge.candidature_id} ({LIBELLES[purge.categorie]}, délai écoulé le "
                f"{purge.echeance:%d/%m/%Y}){conditionnel} : {', '.join(actions)}"
            )
        for nom in bilan.orphelins:
            self.stdout.write(f"fichier orphelin{conditionnel} : {nom}")
        if options["simulation"]:
            self.stdout.write(
                f"Simulation au {aujourd_hui:%d/%m/%Y} : {len(bilan.purges)} candidature(s) et "
                f"{len(bilan.orphelins)} fichier(s) orphelin(s) et {courriels} courriel(s) envoyé(s) à purger, "
                "rien n'est écrit ni supprimé."
            )
        else:
            self.stdout.write(
                f"{len(bilan.purges)} candidature(s) purgée(s), {len(bilan.orphelins)} fichier(s) orphelin(s) "
                f"et {courriels} courriel(s) envoyé(s) supprimé(s) au {aujourd_hui:%d/%m/%Y}."
            )
