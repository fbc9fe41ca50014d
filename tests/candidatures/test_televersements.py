"""Uploads are judged by their content and size, never by their name."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from parchemin.televersements import (
    MO,
    TEXTES,
    FormatFichier,
    ValidateurFichier,
    verifier_fichier,
)

from .fichiers import EXE, JPEG, PDF, PNG, docx, odt, televerse, zip_quelconque


@pytest.mark.parametrize(
    ("nom", "contenu", "format_attendu"),
    [
        ("projet.pdf", PDF, FormatFichier.PDF),
        ("projet.PDF", PDF, FormatFichier.PDF),
        ("projet.odt", odt(), FormatFichier.ODT),
        ("projet.docx", docx(), FormatFichier.DOCX),
        ("photo.png", PNG, FormatFichier.PNG),
        ("photo.jpg", JPEG, FormatFichier.JPEG),
        ("photo.jpeg", JPEG, FormatFichier.JPEG),
    ],
)
def test_accepts_each_format_by_its_content(nom: str, contenu: bytes, format_attendu: FormatFichier) -> None:
    verifie = verifier_fichier(televerse(nom, contenu))
    assert verifie.format == format_attendu
    assert verifie.taille == len(contenu)
    assert verifie.empreinte_sha256 == hashlib.sha256(contenu).hexdigest()


def test_refuses_an_executable_renamed_pdf() -> None:
    with pytest.raises(ValidationError) as erreur:
        verifier_fichier(televerse("dossier.pdf", EXE))
    assert erreur.value.code == "format_refuse"
    message = erreur.value.messages[0]
    assert "dossier.pdf" in message
    assert "n'est pas dans un format accepté" in message


def test_refuses_a_docx_disguised_as_pdf() -> None:
    with pytest.raises(ValidationError) as erreur:
        verifier_fichier(televerse("dossier.pdf", docx()))
    assert erreur.value.code == "extension_trompeuse"
    assert "DOCX" in erreur.value.messages[0]


def test_refuses_a_plain_zip_named_docx() -> None:
    with pytest.raises(ValidationError) as erreur:
        verifier_fichier(televerse("dossier.docx", zip_quelconque()))
    assert erreur.value.code == "format_refuse"


def test_refuses_an_oversized_file_with_both_sizes_in_the_message() -> None:
    contenu = PDF + b"0" * (2 * MO)
    with pytest.raises(ValidationError) as erreur:
        verifier_fichier(televerse("gros.pdf", contenu), taille_max=1 * MO)
    assert erreur.value.code == "trop_gros"
    assert erreur.value.messages[0] == "Le fichier « gros.pdf » pèse 2,0 Mo : la limite est de 1,0 Mo."


def test_refuses_an_empty_file() -> None:
    with pytest.raises(ValidationError) as erreur:
        verifier_fichier(televerse("vide.pdf", b""))
    assert erreur.value.code == "vide"


def test_restricts_to_the_formats_asked() -> None:
    with pytest.raises(ValidationError) as erreur:
        verifier_fichier(televerse("photo.png", PNG), formats=TEXTES)
    assert "PDF, ODT (LibreOffice), DOCX (Word)" in erreur.value.messages[0]


def test_validator_works_as_a_form_field_validator() -> None:
    validateur = ValidateurFichier(TEXTES, 1 * MO)
    validateur(televerse("projet.pdf", PDF))
    with pytest.raises(ValidationError):
        validateur(televerse("projet.pdf", EXE))
    assert validateur == ValidateurFichier(TEXTES, 1 * MO)


@given(st.binary(min_size=1, max_size=200).filter(lambda b: not b.startswith((b"%PDF-", b"\x89PNG", b"\xff\xd8\xff"))))
def test_arbitrary_bytes_named_pdf_are_never_accepted(contenu: bytes) -> None:
    with pytest.raises(ValidationError):
        verifier_fichier(televerse("n-importe.pdf", contenu))
