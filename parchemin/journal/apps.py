from django.apps import AppConfig


class JournalConfig(AppConfig):
    name = "parchemin.journal"
    verbose_name = "Journal d'audit"
