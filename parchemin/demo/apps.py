from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "parchemin.demo"
    verbose_name = "Démonstration"
