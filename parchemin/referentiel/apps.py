from django.apps import AppConfig


class ReferentielConfig(AppConfig):
    name = "parchemin.referentiel"
    verbose_name = "Référentiels"
