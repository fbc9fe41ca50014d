from django.apps import AppConfig


class CourrielsConfig(AppConfig):
    name = "parchemin.courriels"
    verbose_name = "Courriels sortants"

    def ready(self) -> None:
        from parchemin.journal.ancrage import point_de_controle_cree

        from .ancrage import envoyer_aux_administrateurs

        point_de_controle_cree.connect(envoyer_aux_administrateurs, dispatch_uid="ancrage_aux_administrateurs")
