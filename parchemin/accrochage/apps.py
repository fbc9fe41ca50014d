from django.apps import AppConfig


class AccrochageConfig(AppConfig):
    name = "parchemin.accrochage"
    verbose_name = "Accrochage CDC (export des titulaires)"
