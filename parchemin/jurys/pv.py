"""The PV (procès-verbal) as a PDF/A-3b document, rendered by WeasyPrint from a template.

Members sign the SHA-256 of these exact bytes: the PDF is stored as generated and never re-rendered
for a signature, so what was read is what is signed.
"""

from __future__ import annotations

import hashlib
import warnings
from dataclasses import dataclass

from django.template.loader import render_to_string
from weasyprint import HTML

from parchemin.referentiel.models import Unite

from .models import Passage, SessionJury, Siege


@dataclass(frozen=True)
class LignePV:
    candidat: str
    decision: str
    unites: list[str]
    anterieures: list[str]
    motif: str


def _lignes(session: SessionJury) -> list[LignePV]:
    passages = (
        Passage.objects.filter(session=session)
        .select_related("candidature")
        .order_by("candidature__nom_naissance", "pk")
    )
    codes = {p.candidature.version_referentiel_id for p in passages}
    intitules = {
        (u.version_id, u.code): f"Unité {u.code} — {u.intitule}" for u in Unite.objects.filter(version_id__in=codes)
    }
    return [
        LignePV(
            candidat=p.candidature.nom_complet,
            decision=p.get_decision_display() or "Non délibérée",
            unites=[intitules.get((p.candidature.version_referentiel_id, c), c) for c in p.unites_validees],
            anterieures=list(p.unites_anterieures),
            motif=p.motif_amendement,
        )
        for p in passages
    ]


def html_pv(session: SessionJury, *, numero_version: int) -> str:
    sieges = Siege.objects.filter(session=session).select_related("membre")
    return render_to_string(
        "jurys/pv_pdf.html",
        {
            "session": session,
            "certification": session.certification,
            "certificateur": session.certification.certificateur,
            "sieges": sieges,
            "lignes": _lignes(session),
            "numero_version": numero_version,
        },
    )


def rendre_pv(session: SessionJury, *, numero_version: int) -> tuple[bytes, str]:
    """The PDF bytes and their SHA-256 (hex)."""
    html = html_pv(session, numero_version=numero_version)
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile for PDF/A without closing it (read fully, then dropped).
        warnings.simplefilter("ignore", ResourceWarning)
        pdf = HTML(string=html).write_pdf(pdf_variant="pdf/a-3b")
    assert pdf is not None
    return pdf, hashlib.sha256(pdf).hexdigest()
