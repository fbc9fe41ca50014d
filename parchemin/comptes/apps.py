from django.apps import AppConfig


class ComptesConfig(AppConfig):
    name = "parchemin.comptes"
    verbose_name = "Comptes"
