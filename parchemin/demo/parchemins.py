"""Demo parchemins: the past session's validations issued, and one credential revoked by a reissue."""

from __future__ import annotations

from parchemin.comptes.enums import Role
from parchemin.comptes.models import RoleUtilisateur
from parchemin.jurys.enums import StatutSession
from parchemin.jurys.models import SessionJury
from parchemin.parchemins import services
from parchemin.parchemins.models import Attestation, Parchemin

MOTIF_DEMO = "Correction du nom d'usage demandée par la titulaire (démonstration)."


def charger_parchemins_demo() -> list[Parchemin]:
    """Idempotent: numbers and issues what the signed PVs call for, reissues once for the demo."""
    parchemins: list[Parchemin] = []
    for session in SessionJury.objects.filter(statut=StatutSession.VERROUILLEE).order_by("pk"):
        parchemins += services.preparer_parchemins(session)
    for parchemin in parchemins:
        services.emettre(parchemin)
    gestion = RoleUtilisateur.objects.filter(role=Role.GESTIONNAIRE).select_related("user").order_by("pk").first()
    partiels = [p for p in parchemins if p.decision == "VALIDATION_PARTIELLE"]
    if gestion is not None and partiels and not Attestation.objects.filter(revoquee_le__isnull=False).exists():
        services.reemettre(partiels[0], acteur=gestion.user, motif=MOTIF_DEMO)
    return parchemins
