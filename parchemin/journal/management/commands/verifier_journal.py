"""Check the whole audit chain, then the chain against the signed checkpoints kept outside the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parchemin.erreurs import ErreurMetier
from parchemin.journal.ancrage import verifier_points_de_controle
from parchemin.journal.services import verifier_chaine


class Command(BaseCommand):
    help = (
        "Vérifie la chaîne d'empreintes du journal d'audit, signale la première entrée altérée, puis compare "
        "la chaîne aux points de contrôle signés (historique réécrit ou tronqué)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        compte, rupture = verifier_chaine()
        problemes = []
        if rupture is not None:
            problemes.append(
                f"Journal altéré : entrée n°{rupture.sequence} — {rupture.raison} "
                f"({compte} entrée(s) intègre(s) avant elle)."
            )
        try:
            concordants, ecarts = verifier_points_de_controle()
        except ErreurMetier as erreur:
            raise CommandError(erreur.message) from erreur
        problemes += [f"Point de contrôle : {ecart}." for ecart in ecarts]
        if problemes:
            raise CommandError("\n".join(problemes))
        self.stdout.write(
            self.style.SUCCESS(
                f"Journal intègre : {compte} entrée(s) vérifiée(s), {concordants} point(s) de contrôle concordant(s)."
            )
        )
