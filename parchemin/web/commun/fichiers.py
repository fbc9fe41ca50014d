"""Responses that send a stored file: an applicant's piece, a jury's PV."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from parchemin.candidatures.models import Piece
from parchemin.jurys.models import ProcesVerbal, SessionJury
from parchemin.televersements import DESCRIPTIONS, FormatFichier


def servir_piece(piece: Piece) -> HttpResponse:
    """Send a stored piece as an attachment, never inline: the browser must not render it in our origin.
    Pieces are capped at a few megabytes, so reading them whole keeps the file handle short-lived."""
    with default_storage.open(piece.fichier.name, "rb") as fichier:
        contenu = fichier.read()
    reponse = HttpResponse(contenu, content_type=DESCRIPTIONS[FormatFichier(piece.format)].type_mime)
    reponse["Content-Disposition"] = content_disposition_header(True, piece.nom_original) or "attachment"
    reponse["Cache-Control"] = "private, no-store"
    return reponse


def reponse_pdf(session: SessionJury) -> HttpResponse:
    """The session's PV as stored (signed or not), as an attachment; 404 while none is drawn up."""
    pv = ProcesVerbal.objects.filter(session=session).first()
    if pv is None:
        raise Http404("PV non établi")
    reponse = HttpResponse(bytes(pv.pdf), content_type="application/pdf")
    nom = f"pv-jury-{session.pk}-v{pv.numero_version}.pdf"
    reponse["Content-Disposition"] = content_disposition_header(True, nom) or "attachment"
    reponse["Cache-Control"] = "private, no-store"
    return reponse


def reponse_fichier(contenu: bytes, nom: str, type_mime: str, *, prive: bool = True) -> HttpResponse:
    """Generated content (an export) sent as an attachment named ``nom``; private unless public data."""
    reponse = HttpResponse(contenu, content_type=type_mime)
    reponse["Content-Disposition"] = content_disposition_header(True, nom) or "attachment"
    reponse["Cache-Control"] = "private, no-store" if prive else "public, max-age=3600"
    return reponse
