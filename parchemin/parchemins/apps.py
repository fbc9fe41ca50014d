from django.apps import AppConfig


class ParcheminsConfig(AppConfig):
    name = "parchemin.parchemins"
    verbose_name = "Parchemins et attestations numériques"

    def ready(self) -> None:
        from pyld import jsonld

        from parchemin.jurys.signaux import decision_amendee, pv_verrouille

        from .jsonld import refuser_tout_chargement
        from .receveurs import delivrer_apres_pv, suivre_decision_amendee

        # Every call passes its own loader; this one only guards against a call that forgets to.
        jsonld.set_document_loader(refuser_tout_chargement)
        pv_verrouille.connect(delivrer_apres_pv, dispatch_uid="parchemins.delivrer_apres_pv")
        decision_amendee.connect(suivre_decision_amendee, dispatch_uid="parchemins.suivre_decision_amendee")
