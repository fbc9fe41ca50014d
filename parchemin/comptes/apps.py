from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.core.exceptions import ImproperlyConfigured


class ComptesConfig(AppConfig):
    name = "parchemin.comptes"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from . import audit, double_facteur
        from .chiffrement import CleInvalide, chiffreur

        # Refuse to start (web server and commands alike) without usable encryption keys, rather
        # than fail at the first sign-in or, worse, store a secret nobody can read back.
        try:
            chiffreur()
        except CleInvalide as erreur:
            raise ImproperlyConfigured(str(erreur)) from erreur
        audit.connecter_signaux()
        double_facteur.connecter_signaux()


class ParcheminAdminConfig(admin_apps.AdminConfig):
    """Django admin whose site admits staff administrators with a TOTP session only (see admin_site)."""

    default = False
    default_site = "parchemin.comptes.admin_site.SiteAdministration"
