from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class ComptesConfig(AppConfig):
    name = "parchemin.comptes"
    verbose_name = "Comptes"

    def ready(self) -> None:
        from . import audit, double_facteur

        audit.connecter_signaux()
        double_facteur.connecter_signaux()


class AdminParcheminConfig(admin_apps.AdminConfig):
    """Django admin whose site admits staff administrators with a TOTP session only (see admin_site)."""

    default = False
    default_site = "parchemin.comptes.admin_site.SiteAdministration"
