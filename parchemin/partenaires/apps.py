from django.apps import AppConfig


class PartenairesConfig(AppConfig):
    name = "parchemin.partenaires"
    verbose_name = "Partenaires"
