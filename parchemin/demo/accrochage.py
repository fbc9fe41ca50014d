"""Demo of the CDC accrochage: the certificateur's identifiers, one file sent and taken by the CDC
with one holder accepted, and one holder the CDC could not match (to fix in the back-office).

The demo holders were entered without a birth place; the demo completes it as staff would, sends
the file, and applies a reception report (file taken) then a processing report accepting the second
holder and rejecting the first on the birth place, so the "to fix" list and the dashboard tile have
something to show next to an accepted holder.
"""

from __future__ import annotations

import itertools

from parchemin.accrochage import accuses, services
from parchemin.accrochage.enums import EtatCDC
from parchemin.accrochage.models import Lot, PassageCDC
from parchemin.candidatures.services import modifier_dossier
from parchemin.comptes.enums import Role
from parchemin.comptes.models import RoleUtilisateur

MESSAGE_REJET_DEMO = "Aucun titulaire ne correspond : lieu de naissance (code INSEE) discordant."
# Birth places the staff complete, in the order of the holders (INSEE code, commune).
LIEUX_NAISSANCE_DEMO = (("24322", "Périgueux"), ("33063", "Bordeaux"))


def accuse_demo(lot: Lot, rejetes: set[str], message: str = MESSAGE_REJET_DEMO) -> tuple[bytes, bytes]:
    """A reception report (file taken) and a processing report: OK for all but ``rejetes``, in the
    shape documented in docs/accrochage.md (also used by the browser test)."""
    reception = (
        f"<accuseReception><idFlux>{lot.id_flux}</idFlux><idClient>{lot.id_client_certificateur}</idClient>"
        "<statut>OK</statut></accuseReception>"
    ).encode()
    lignes = "".join(
        f"<passage><idTechnique>{p.id_technique}</idTechnique>"
        + (f"<statut>KO</statut><message>{message}</message>" if p.id_technique in rejetes else "<statut>OK</statut>")
        + "</passage>"
        for p in lot.passages.order_by("pk")
    )
    traitement = (
        f"<accuseTraitement><idFlux>{lot.id_flux}</idFlux><idClient>{lot.id_client_certificateur}</idClient>"
        f"{lignes}</accuseTraitement>"
    ).encode()
    return reception, traitement


def charger_accrochage_demo() -> None:
    """Idempotent: does nothing once a file has been sent."""
    admin = RoleUtilisateur.objects.filter(role=Role.ADMINISTRATEUR).select_related("user").order_by("pk").first()
    gestion = RoleUtilisateur.objects.filter(role=Role.GESTIONNAIRE).select_related("user").order_by("pk").first()
    if admin is None or gestion is None or Lot.objects.exists():
        return
    if services.configuration() is None:
        services.enregistrer_configuration(
            acteur=admin.user,
            id_client_emetteur="TLDEMO01",
            id_client_certificateur="TLDEMO01",
            id_contrat="MCFCER005142",
            version_flux="1.1.2",
        )
    services.recenser()
    passages = PassageCDC.objects.filter(etat=EtatCDC.A_ENVOYER).select_related("parchemin__candidature")
    for passage, (code, commune) in zip(passages.order_by("pk"), itertools.cycle(LIEUX_NAISSANCE_DEMO), strict=False):
        candidature = passage.parchemin.candidature
        if not candidature.code_commune_naissance and not candidature.code_pays_naissance:
            modifier_dossier(
                candidature,
                acteur=gestion.user,
                champs={"code_commune_naissance": code, "commune_naissance": commune},
            )
    resultat = services.exporter(acteur=gestion.user)
    if not resultat.lots:
        return
    lot = resultat.lots[0]
    premier = lot.passages.order_by("pk").values_list("id_technique", flat=True).first()
    reception, traitement = accuse_demo(lot, {premier} if premier else set())
    accuses.appliquer(acteur=gestion.user, contenu=reception, nom_fichier="accuse-reception-demo.xml")
    accuses.appliquer(acteur=gestion.user, contenu=traitement, nom_fichier="accuse-traitement-demo.xml")
