from django.apps import AppConfig


class JurysConfig(AppConfig):
    name = "parchemin.jurys"
    verbose_name = "Jurys"
