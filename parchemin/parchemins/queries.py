"""Reads of the parchemins for the holder and for staff."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from parchemin.candidatures.models import Candidature

from .models import Attestation, Parchemin


def parchemins_de(candidature: Candidature) -> QuerySet[Parchemin]:
    """The holder's parchemins for one application, with their credentials (newest first)."""
    return (
        Parchemin.objects.filter(candidature=candidature)
        .prefetch_related(Prefetch("attestations", queryset=Attestation.objects.order_by("-emise_le", "-pk")))
        .order_by("-date_decision", "-pk")
    )


def attestation_du_titulaire(candidature: Candidature, parchemin_pk: int) -> Attestation:
    """The credential in force of one of this application's parchemins, or 404 (revoked or not issued)."""
    parchemin = Parchemin.objects.filter(candidature=candidature, pk=parchemin_pk).first()
    attestation = parchemin.attestation_en_vigueur if parchemin is not None else None
    if attestation is None:
        raise Http404("Parchemin introuvable")
    return attestation
