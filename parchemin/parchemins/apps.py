from django.apps import AppConfig


class ParcheminsConfig(AppConfig):
    name = "parchemin.parchemins"
    verbose_name = "Parchemins et attestations numériques"

    def ready(self) -> None:
        from pyld import jsonld

        from .jsonld import refuser_tout_chargement

        # Every call passes its own loader; this one only guards against a call that forgets to.
        jsonld.set_document_loader(refuser_tout_chargement)
