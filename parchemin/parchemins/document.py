"""The parchemin as a PDF/A-3b document, with its signed credential embedded as an attachment.

The font is shipped in ``polices/`` (DejaVu Serif, with its licence) so the output does not depend on
the fonts of the machine. The QR code (segno, vector SVG) points at the public verification page.
``credential_du_pdf`` reads the attachment back for verification; it parses only what our own PDFs
contain (an ``/EmbeddedFile`` stream, raw or Flate) and caps every size it reads.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
import zlib
from dataclasses import dataclass
from pathlib import Path

import segno
from django.template.loader import render_to_string
from weasyprint import HTML, Attachment

DOSSIER_POLICES = Path(__file__).resolve().parent / "polices"
TAILLE_MAX_PIECE = 2 * 1024 * 1024
_FICHIER_INCORPORE = re.compile(rb"/Type\s*/EmbeddedFile\b")


@dataclass(frozen=True)
class ContenuParchemin:
    numero: str
    code: str
    url_verification: str
    titulaire: str
    date_naissance: dt.date | None
    lieu_naissance: str
    totale: bool
    unites: list[dict[str, str]]
    date_decision: dt.datetime
    date_delivrance: dt.datetime
    signataire: str
    emetteur_did: str
    registre: str
    fiche_officielle: str


def nom_piece_jointe(numero: str) -> str:
    return f"parchemin-{numero}.json"


def qr_code(url: str) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=0))


def html_parchemin(contenu: ContenuParchemin, *, certification: object, certificateur: object) -> str:
    return render_to_string(
        "parchemins/parchemin_pdf.html",
        {
            **contenu.__dict__,
            "certification": certification,
            "certificateur": certificateur,
            "qr_code": qr_code(contenu.url_verification),
            "nom_piece_jointe": nom_piece_jointe(contenu.numero),
            "police_normale": (DOSSIER_POLICES / "DejaVuSerif.ttf").as_uri(),
            "police_grasse": (DOSSIER_POLICES / "DejaVuSerif-Bold.ttf").as_uri(),
        },
    )


def rendre(contenu: ContenuParchemin, *, certification: object, certificateur: object, credential_json: str) -> bytes:
    html = html_parchemin(contenu, certification=certification, certificateur=certificateur)
    piece = Attachment(
        string=credential_json,
        name=nom_piece_jointe(contenu.numero),
        description="Attestation numérique signée (Open Badges 3.0, W3C Verifiable Credential)",
        created=contenu.date_delivrance,
        modified=contenu.date_delivrance,
        relationship="Source",
    )
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile for PDF/A without closing it (read fully, then dropped).
        warnings.simplefilter("ignore", ResourceWarning)
        pdf = HTML(string=html, base_url=str(DOSSIER_POLICES)).write_pdf(
            pdf_variant="pdf/a-3b", attachments=[piece], uncompressed_pdf=False
        )
    assert pdf is not None
    return bytes(pdf)


def _flux_apres(pdf: bytes, debut: int) -> tuple[bytes, bytes] | None:
    """(dictionary text, raw stream bytes) of the stream object whose dictionary contains ``debut``."""
    mot = re.compile(rb">>\s*stream\r?\n")
    trouve = mot.search(pdf, debut, debut + 4096)
    if trouve is None:
        return None
    # The stream's dictionary runs from its "N 0 obj" header to the "stream" keyword.
    entete = pdf.rfind(b"obj", max(0, debut - 4096), debut)
    if entete < 0:
        return None
    dictionnaire = pdf[entete : trouve.start()]
    longueur = re.search(rb"/Length\s+(\d+)(?!\s+\d+\s+R)", dictionnaire)
    if longueur is not None:
        taille = int(longueur.group(1))
        if taille > TAILLE_MAX_PIECE:
            return None
        return dictionnaire, pdf[trouve.end() : trouve.end() + taille]
    fin = pdf.find(b"endstream", trouve.end(), trouve.end() + TAILLE_MAX_PIECE)
    if fin < 0:
        return None
    return dictionnaire, pdf[trouve.end() : fin].rstrip(b"\r\n")


def pieces_jointes(pdf: bytes) -> list[bytes]:
    """The decoded bytes of every embedded file of the PDF (unreadable ones are skipped)."""
    resultat = []
    for marque in _FICHIER_INCORPORE.finditer(pdf):
        flux = _flux_apres(pdf, marque.start())
        if flux is None:
            continue
        dictionnaire, brut = flux
        if re.search(rb"/Filter\s*\[?\s*/FlateDecode", dictionnaire):
            decompresseur = zlib.decompressobj()
            try:
                brut = decompresseur.decompress(brut, TAILLE_MAX_PIECE)
            except zlib.error:
                continue
            if decompresseur.unconsumed_tail:
                continue
        resultat.append(brut)
    return resultat
