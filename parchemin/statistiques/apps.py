from django.apps import AppConfig


class StatistiquesConfig(AppConfig):
    name = "parchemin.statistiques"
    verbose_name = "Statistiques"
