"""Checks of uploaded files by content and size, shared by every app that accepts documents.

The extension a person gives a file proves nothing: an executable renamed ``.pdf`` must be refused.
Each accepted format is recognised by its signature (magic bytes) and, for the zipped office formats,
by the members that define them; the declared extension must then agree with what the content is.
Messages are French and name the file, so a form can show them next to the field as they are.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import File

MO = 1024 * 1024
TAILLE_MAX_DEFAUT = 10 * MO
# An ODT's "mimetype" member holds one short line; anything larger is not a real ODT.
TAILLE_MAX_MIMETYPE_ODT = 200
BLOC_LECTURE = 64 * 1024


class FormatFichier(StrEnum):
    PDF = "pdf"
    ODT = "odt"
    DOCX = "docx"
    PNG = "png"
    JPEG = "jpeg"


@dataclass(frozen=True)
class DescriptionFormat:
    libelle: str
    extensions: tuple[str, ...]
    type_mime: str


DESCRIPTIONS: dict[FormatFichier, DescriptionFormat] = {
    FormatFichier.PDF: DescriptionFormat("PDF", (".pdf",), "application/pdf"),
    FormatFichier.ODT: DescriptionFormat("ODT (LibreOffice)", (".odt",), "application/vnd.oasis.opendocument.text"),
    FormatFichier.DOCX: DescriptionFormat(
        "DOCX (Word)", (".docx",), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    FormatFichier.PNG: DescriptionFormat("PNG", (".png",), "image/png"),
    FormatFichier.JPEG: DescriptionFormat("JPEG", (".jpg", ".jpeg"), "image/jpeg"),
}

DOCUMENTS = frozenset(FormatFichier)
TEXTES = frozenset({FormatFichier.PDF, FormatFichier.ODT, FormatFichier.DOCX})

SIGNATURE_PDF = b"%PDF-"
SIGNATURE_PNG = b"\x89PNG\r\n\x1a\n"
SIGNATURE_JPEG = b"\xff\xd8\xff"
SIGNATURE_ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class FichierVerifie:
    nom: str
    format: FormatFichier
    taille: int
    empreinte_sha256: str

    @property
    def type_mime(self) -> str:
        return DESCRIPTIONS[self.format].type_mime


def taille_lisible(octets: int) -> str:
    """Sizes as French users read them: "2,5 Mo", "300 ko"."""
    if octets >= MO:
        return f"{octets / MO:.1f} Mo".replace(".", ",")
    return f"{max(1, round(octets / 1024))} ko"


def libelles(formats: Iterable[FormatFichier]) -> str:
    return ", ".join(DESCRIPTIONS[f].libelle for f in sorted(formats, key=list(FormatFichier).index))


def _format_zip(flux: IO[bytes]) -> FormatFichier | None:
    try:
        with zipfile.ZipFile(flux) as archive:
            noms = set(archive.namelist())
            if "mimetype" in noms:
                info = archive.getinfo("mimetype")
                if info.file_size <= TAILLE_MAX_MIMETYPE_ODT:
                    contenu = archive.read("mimetype").decode("ascii", errors="replace").strip()
                    if contenu == DESCRIPTIONS[FormatFichier.ODT].type_mime:
                        return FormatFichier.ODT
            if "[Content_Types].xml" in noms and "word/document.xml" in noms:
                return FormatFichier.DOCX
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        return None
    return None


def detecter_format(flux: IO[bytes]) -> FormatFichier | None:
    """The format the content really has, whatever the file is called; None when unknown."""
    flux.seek(0)
    debut = flux.read(16)
    flux.seek(0)
    if debut.startswith(SIGNATURE_PDF):
        return FormatFichier.PDF
    if debut.startswith(SIGNATURE_PNG):
        return FormatFichier.PNG
    if debut.startswith(SIGNATURE_JPEG):
        return FormatFichier.JPEG
    if debut.startswith(SIGNATURE_ZIP):
        detecte = _format_zip(flux)
        flux.seek(0)
        return detecte
    return None


def _empreinte(flux: IO[bytes]) -> str:
    flux.seek(0)
    condensat = hashlib.sha256()
    while bloc := flux.read(BLOC_LECTURE):
        condensat.update(bloc)
    flux.seek(0)
    return condensat.hexdigest()


def verifier_fichier(
    fichier: File,
    *,
    formats: Iterable[FormatFichier] = DOCUMENTS,
    taille_max: int = TAILLE_MAX_DEFAUT,
) -> FichierVerifie:
    """Accept ``fichier`` only if its content is one of ``formats``, its extension agrees, and it
    is not larger than ``taille_max`` bytes; otherwise raise ValidationError with a French message."""
    acceptes = frozenset(formats)
    nom = PurePath(fichier.name or "").name
    taille = fichier.size or 0
    if taille == 0:
        raise ValidationError("Le fichier « %(nom)s » est vide.", code="vide", params={"nom": nom})
    if taille > taille_max:
        raise ValidationError(
            "Le fichier « %(nom)s » pèse %(taille)s : la limite est de %(limite)s.",
            code="trop_gros",
            params={"nom": nom, "taille": taille_lisible(taille), "limite": taille_lisible(taille_max)},
        )
    flux: IO[bytes] = fichier.file  # type: ignore[assignment]
    detecte = detecter_format(flux)
    if detecte is None or detecte not in acceptes:
        raise ValidationError(
            "Le contenu du fichier « %(nom)s » n'est pas dans un format accepté (%(formats)s), "
            "quelle que soit son extension.",
            code="format_refuse",
            params={"nom": nom, "formats": libelles(acceptes)},
        )
    extension = PurePath(nom).suffix.lower()
    if extension not in DESCRIPTIONS[detecte].extensions:
        raise ValidationError(
            "Le fichier « %(nom)s » porte l'extension « %(extension)s » mais son contenu est au format "
            "%(format)s : renommez-le avec la bonne extension (%(attendues)s).",
            code="extension_trompeuse",
            params={
                "nom": nom,
                "extension": extension or "(aucune)",
                "format": DESCRIPTIONS[detecte].libelle,
                "attendues": ", ".join(DESCRIPTIONS[detecte].extensions),
            },
        )
    return FichierVerifie(nom=nom, format=detecte, taille=taille, empreinte_sha256=_empreinte(flux))


class ValidateurFichier:
    """Form-field validator: ``FileField(validators=[ValidateurFichier(TEXTES, 5 * MO)])``."""

    def __init__(self, formats: Iterable[FormatFichier] = DOCUMENTS, taille_max: int = TAILLE_MAX_DEFAUT) -> None:
        self.formats = frozenset(formats)
        self.taille_max = taille_max

    def __call__(self, fichier: File) -> None:
        verifier_fichier(fichier, formats=self.formats, taille_max=self.taille_max)

    def __eq__(self, autre: object) -> bool:
        return (
            isinstance(autre, ValidateurFichier)
            and self.formats == autre.formats
            and self.taille_max == autre.taille_max
        )

    def __hash__(self) -> int:
        return hash((self.formats, self.taille_max))
