from django.apps import AppConfig


class CandidaturesConfig(AppConfig):
    name = "parchemin.candidatures"
    verbose_name = "Candidatures"
