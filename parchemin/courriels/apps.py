from django.apps import AppConfig


class CourrielsConfig(AppConfig):
    name = "parchemin.courriels"
    verbose_name = "Courriels sortants"
