"""Load RS5142 and a realistic demo so that `make run` shows a living instance."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from parchemin.demo.services import charger_demo
from parchemin.parchemins.models import Parchemin


class Command(BaseCommand):
    help = "Charge le référentiel RS5142 et des données de démonstration réalistes (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--graine", type=int, default=5142, help="graine du générateur (données reproductibles)")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("charger_rs5142", stdout=self.stdout)
        comptes = charger_demo(graine=options["graine"])
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Démonstration prête : {settings.SITE_URL}/"))
        self.stdout.write("Comptes de démonstration (mot de passe commun : voir ci-dessous) :")
        for compte in comptes:
            self.stdout.write(f"  {compte.role:<32} {compte.email:<42} {compte.mot_de_passe}")
        if any(compte.totp for compte in comptes):
            self.stdout.write("Les comptes de l'équipe et du jury ont la double authentification (TOTP) :")
            for compte in comptes:
                if compte.totp:
                    self.stdout.write(f"  {compte.email:<42} secret TOTP {compte.totp}")
            self.stdout.write("  Code du moment : python manage.py code_totp_demo <email>")
        parchemins = Parchemin.objects.select_related("candidature").order_by("pk")
        if parchemins:
            self.stdout.write(f"Parchemins délivrés (vérification : {settings.SITE_URL}/verifier/) :")
            for parchemin in parchemins:
                self.stdout.write(
                    f"  {parchemin.numero}  code {parchemin.code_verification}  {parchemin.candidature.nom_complet}"
                )
