"""Responses that send a file to save: an applicant's piece, a jury's PV, an export."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from parchemin.candidatures.models import Piece
from parchemin.jurys.models import ProcesVerbal, SessionJury
from parchemin.televersements import DESCRIPTIONS, FormatFichier

TYPE_CSV = "text/csv; charset=utf-8"
TYPE_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def telechargement(contenu: bytes | str, type_mime: str, nom: str) -> HttpResponse:
    """A file to save under ``nom``, never shown inline: an uploaded file must not render in our origin.
    What it carries is someone's data, so no cache keeps a copy."""
    reponse = HttpResponse(contenu, content_type=type_mime)
    reponse["Content-Disposition"] = content_disposition_header(True, nom) or "attachment"
    reponse["Cache-Control"] = "private, no-store"
    return reponse


def servir_piece(piece: Piece) -> HttpResponse:
    """A stored piece under the name it was sent with. Pieces are capped at a few megabytes, so reading
    them whole keeps the file handle short-lived."""
    with default_storage.open(piece.fichier.name, "rb") as fichier:
        contenu = fichier.read()
    return telechargement(contenu, DESCRIPTIONS[FormatFichier(piece.format)].type_mime, piece.nom_original)


def telechargement_pv(session: SessionJury) -> HttpResponse:
    """The session's PV as stored (signed or not), as an attachment; 404 while none is drawn up."""
    pv = ProcesVerbal.objects.filter(session=session).first()
    if pv is None:
        raise Http404("PV non établi")
    return telechargement(bytes(pv.pdf), "application/pdf", f"pv-jury-{session.pk}-v{pv.numero_version}.pdf")


def reponse_fichier(contenu: bytes, nom: str, type_mime: str, *, prive: bool = True) -> HttpResponse:
    """Generated content (an export) sent as an attachment named ``nom``; private unless public data."""
    reponse = HttpResponse(contenu, content_type=type_mime)
    reponse["Content-Disposition"] = content_disposition_header(True, nom) or "attachment"
    reponse["Cache-Control"] = "private, no-store" if prive else "public, max-age=3600"
    return reponse
