"""The PV (procès-verbal) as a PDF/A-3b document, rendered by WeasyPrint from a template.

Members sign the SHA-256 of the PV as they read it: those bytes are stored as generated and never
re-rendered for a signature, so what was read is what is signed. When the last member signs, the
final PV is rendered: the same decisions plus the table of signatures (who, in what quality, when,
how, and the SHA-256 each one signed), then sealed by the certificateur (``cachet``).
"""

from __future__ import annotations

import datetime
import hashlib
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from parchemin.referentiel.models import Unite

from .cachet import sceller
from .models import Passage, ProcesVerbal, SessionJury, Siege, SignaturePV, decision_en_vigueur

METHODE_SIGNATURE = "nouvelle authentification par code à usage unique"


@dataclass(frozen=True)
class LignePV:
    candidat: str
    decision: str
    unites: list[str]
    anterieures: list[str]
    motif: str
    observations: str
    amendements: list[str]


@dataclass(frozen=True)
class LigneSignature:
    membre: str
    qualite: str
    signee_le: datetime.datetime
    methode: str
    sha256: str


@dataclass(frozen=True)
class LigneMembre:
    membre: str
    organisation: str
    profils: str
    representation: str
    presence: str


def _lignes(session: SessionJury) -> list[LignePV]:
    passages = (
        Passage.objects.filter(session=session)
        .select_related("candidature")
        .prefetch_related("amendements")
        .order_by("candidature__nom_naissance", "pk")
    )
    codes = {p.candidature.version_referentiel_id for p in passages}
    intitules = {
        (u.version_id, u.code): f"Unité {u.code} — {u.intitule}" for u in Unite.objects.filter(version_id__in=codes)
    }
    lignes = []
    for p in passages:
        amendements = list(p.amendements.all())
        en_vigueur = decision_en_vigueur(p, amendements)
        lignes.append(
            LignePV(
                candidat=p.candidature.nom_complet,
                decision=Passage(decision=en_vigueur["decision"]).get_decision_display() or "Non délibérée",
                unites=[intitules.get((p.candidature.version_referentiel_id, c), c) for c in en_vigueur["unites"]],
                anterieures=list(p.unites_anterieures),
                motif=p.motif_amendement,
                observations=p.observations,
                amendements=[
                    f"Décision signée « {a.get_decision_avant_display()} » amendée le "
                    f"{timezone.localtime(a.cree_le):%d/%m/%Y} : {a.motif}"
                    for a in amendements
                ],
            )
        )
    return lignes


def _membres(session: SessionJury) -> list[LigneMembre]:
    sieges = Siege.objects.filter(session=session).select_related("membre", "remplace__membre", "remplacant__membre")
    lignes = []
    for siege in sieges:
        if not siege.siege:
            remplacant = getattr(siege, "remplacant", None)
            presence = "absent(e)" + (f", remplacé(e) par {remplacant.membre}" if remplacant else "")
        else:
            presence = "a siégé" + (f", en remplacement de {siege.remplace.membre}" if siege.remplace else "")
        lignes.append(
            LigneMembre(
                membre=str(siege.membre),
                organisation=siege.membre.organisation,
                profils=", ".join(siege.membre.profils_labels()),
                representation=siege.membre.get_representation_display(),
                presence=presence,
            )
        )
    return lignes


def qualite(siege: Siege) -> str:
    membre = siege.membre
    return ", ".join(
        x for x in ("Membre du jury", membre.fonction, membre.organisation, membre.get_representation_display()) if x
    )


def lignes_signatures(pv: ProcesVerbal, signatures: Sequence[SignaturePV]) -> list[LigneSignature]:
    sieges = {s.membre_id: s for s in Siege.objects.filter(session_id=pv.session_id).select_related("membre")}
    return [
        LigneSignature(
            membre=str(s.membre),
            qualite=qualite(sieges[s.membre_id]) if s.membre_id in sieges else "Membre du jury",
            signee_le=timezone.localtime(s.signee_le),
            methode=METHODE_SIGNATURE,
            sha256=s.sha256,
        )
        for s in signatures
    ]


def html_pv(
    session: SessionJury,
    *,
    numero_version: int,
    signatures: Sequence[LigneSignature] = (),
    remplace: ProcesVerbal | None = None,
    scelle_le: datetime.datetime | None = None,
) -> str:
    return render_to_string(
        "jurys/pv_pdf.html",
        {
            "session": session,
            "certification": session.certification,
            "certificateur": session.certification.certificateur,
            "membres": _membres(session),
            "lignes": _lignes(session),
            "numero_version": numero_version,
            "signatures": signatures,
            "remplace": remplace,
            "final": scelle_le is not None,
            "scelle_le": timezone.localtime(scelle_le) if scelle_le else None,
        },
    )


def _pdf(html: str) -> bytes:
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile for PDF/A without closing it (read fully, then dropped).
        warnings.simplefilter("ignore", ResourceWarning)
        pdf = HTML(string=html).write_pdf(pdf_variant="pdf/a-3b")
    assert pdf is not None
    return pdf


def rendre_pv(session: SessionJury, *, numero_version: int, remplace: ProcesVerbal | None = None) -> tuple[bytes, str]:
    """The PDF the members read and sign, and its SHA-256 (hex)."""
    pdf = _pdf(html_pv(session, numero_version=numero_version, remplace=remplace))
    return pdf, hashlib.sha256(pdf).hexdigest()


def rendre_pv_final(
    pv: ProcesVerbal, signatures: Sequence[SignaturePV], scelle_le: datetime.datetime
) -> tuple[bytes, str]:
    """The final PV: decisions, signature table, and the certificateur's PAdES seal; and its SHA-256."""
    session = pv.session
    html = html_pv(
        session,
        numero_version=pv.numero_version,
        signatures=lignes_signatures(pv, signatures),
        remplace=pv.remplace,
        scelle_le=scelle_le,
    )
    scelle = sceller(
        _pdf(html),
        raison=f"PV final de la session de jury « {session.intitule} », version {pv.numero_version}, "
        "signé par tous les membres qui ont siégé",
        lieu=session.lieu,
    )
    return scelle, hashlib.sha256(scelle).hexdigest()
