"""Demo data: realistic, reproducible (seeded Faker fr_FR), safe to load twice.

Each later feature adds its part here so that `make run` always shows the whole product.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from parchemin.referentiel.models import Certificateur

MOT_DE_PASSE_DEMO = "demo-parchemin-2026"


@dataclass(frozen=True)
class CompteDemo:
    role: str
    email: str
    mot_de_passe: str
    totp: str = ""


@transaction.atomic
def charger_demo(*, graine: int = 5142) -> list[CompteDemo]:
    certificateur = Certificateur.objects.order_by("pk").first()
    if certificateur is not None and not certificateur.ville:
        # The shipped référentiel leaves contact details blank (they are not in the fiche);
        # the demo fills plausible ones so pages look like a real organisation's site.
        certificateur.adresse = "Tiers-lieu de démonstration"
        certificateur.ville = "Bordeaux"
        certificateur.code_postal = "33000"
        certificateur.email_contact = "certification@tiers-lieux.example"
        certificateur.save(update_fields=["adresse", "ville", "code_postal", "email_contact"])
    from parchemin.demo.comptes import charger_comptes_demo  # it imports CompteDemo from here

    comptes = charger_comptes_demo(graine=graine)
    from parchemin.demo.candidatures import charger_candidatures_demo

    charger_candidatures_demo(graine=graine)
    from parchemin.demo.partenaires import charger_partenaires_demo

    charger_partenaires_demo(graine=graine)
    from parchemin.demo.jurys import charger_jurys_demo

    comptes += charger_jurys_demo(graine=graine)
    from parchemin.demo.parchemins import charger_parchemins_demo

    charger_parchemins_demo()
    from parchemin.demo.accrochage import charger_accrochage_demo

    charger_accrochage_demo()
    from parchemin.demo.historique import charger_historique_demo

    charger_historique_demo(graine=graine)
    return comptes
