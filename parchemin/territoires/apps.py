from django.apps import AppConfig


class TerritoiresConfig(AppConfig):
    name = "parchemin.territoires"
    verbose_name = "Territoires"
