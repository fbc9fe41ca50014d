"""Key rotation: re-encrypt every second-factor secret with the newest key of CLES_CHIFFREMENT."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from parchemin.comptes.services import rechiffrer_secrets_double_facteur
from parchemin.erreurs import ErreurMetier


class Command(BaseCommand):
    help = (
        "Rechiffre les secrets TOTP et les codes de secours avec la première clé de CLES_CHIFFREMENT "
        "(rotation des clés ; les anciennes clés doivent rester dans la liste pendant l'opération)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            nombre = rechiffrer_secrets_double_facteur()
        except ErreurMetier as erreur:
            raise CommandError(erreur.message) from erreur
        self.stdout.write(
            self.style.SUCCESS(
                f"{nombre} second(s) facteur(s) rechiffré(s) avec la clé la plus récente. "
                "Les anciennes clés peuvent maintenant être retirées de CLES_CHIFFREMENT."
            )
        )
