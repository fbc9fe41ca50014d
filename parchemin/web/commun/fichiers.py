"""Responses that send a file to save: an applicant's piece, a jury's PV, an export."""

from __future__ import annotations

import unicodedata

from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from parchemin.candidatures.models import Piece
from parchemin.jurys.models import ProcesVerbal, SessionJury
from parchemin.televersements import DESCRIPTIONS, FormatFichier

TYPE_CSV = "text/csv; charset=utf-8"
TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def reponse_fichier(contenu: bytes | str, nom: str, type_mime: str, *, prive: bool = True) -> HttpResponse:
    """Every file the site hands out: an attachment named ``nom``, never shown inline (an uploaded file
    must not render in our origin). Someone's data is kept by no cache; ``prive=False`` is for open
    data, which shared caches may keep for an hour."""
    reponse = HttpResponse(contenu, content_type=type_mime)
    # A control character (a line break in a name given at upload) cannot go in a header: Django would
    # refuse the answer. It becomes a space.
    lisible = "".join(" " if unicodedata.category(c) == "Cc" else c for c in nom).strip()
    reponse["Content-Disposition"] = content_disposition_header(True, lisible) or "attachment"
    reponse["Cache-Control"] = "private, no-store" if prive else "public, max-age=3600"
    return reponse


def servir_piece(piece: Piece) -> HttpResponse:
    """A stored piece under the name it was sent with. Pieces are capped at a few megabytes, so reading
    them whole keeps the file handle short-lived."""
    with default_storage.open(piece.fichier.name, "rb") as fichier:
        contenu = fichier.read()
    return reponse_fichier(contenu, piece.nom_original, DESCRIPTIONS[FormatFichier(piece.format)].type_mime)


def reponse_pv(session: SessionJury, numero_version: int | None = None) -> HttpResponse:
    """The session's PV in force (or the given version), as an attachment: the final sealed PV once
    every member signed, else the text to sign; 404 while none is drawn up."""
    pvs = ProcesVerbal.objects.filter(session=session)
    pv = pvs.first() if numero_version is None else pvs.filter(numero_version=numero_version).first()
    if pv is None:
        raise Http404("PV non établi")
    final = pv.verrouille_le is not None and pv.pdf_final is not None
    contenu = pv.pdf_final if final and pv.pdf_final is not None else pv.pdf
    nom = f"pv-jury-{session.pk}-v{pv.numero_version}{'-final' if final else ''}.pdf"
    return reponse_fichier(bytes(contenu), nom, "application/pdf")
