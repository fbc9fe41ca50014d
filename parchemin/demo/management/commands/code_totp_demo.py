"""Print the current TOTP code of a demo account, for local use only."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from parchemin.comptes.chiffrement import SecretIllisible
from parchemin.comptes.double_facteur import code_totp, secret_totp
from parchemin.comptes.models import User


class Command(BaseCommand):
    help = "Affiche le code TOTP du moment d'un compte de démonstration (@demo.parchemin.localhost)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="adresse d'un compte de démonstration")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        if not email.endswith("@" + settings.DEMO_EMAIL_DOMAINE):
            raise CommandError(
                f"Refusé : seuls les comptes de démonstration (@{settings.DEMO_EMAIL_DOMAINE}) ont un code affichable."
            )
        user = User.objects.filter(email=email).first()
        if user is None:
            raise CommandError(f"Aucun compte de démonstration {email} : lancez d'abord « python manage.py demo ».")
        try:
            secret = secret_totp(user)
        except SecretIllisible as erreur:
            raise CommandError(f"{erreur.message} (Démonstration : relancez « python manage.py demo ».)") from erreur
        if secret is None:
            raise CommandError(f"{email} n'a pas de double authentification (TOTP) activée.")
        self.stdout.write(code_totp(secret))
