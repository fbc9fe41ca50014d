"""The final PV proves its own signatures: signature table, PAdES seal of the certificateur, PDF/A,
a verifier that names any altered byte, and amendments that produce a new version signed again."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from parchemin.erreurs import ErreurMetier
from parchemin.journal.models import EntreeJournal
from parchemin.jurys import services
from parchemin.jurys.cachet import CHAMP_CACHET, cachet, generer_cachet_autosigne
from parchemin.jurys.enums import Decision
from parchemin.jurys.integrite import anomalies_pv
from parchemin.jurys.models import ProcesVerbal
from parchemin.jurys.pv import METHODE_SIGNATURE

from .conftest import Jury, code_totp
from .test_services import convoquer, deliberer_tout

pytestmark = pytest.mark.django_db


def _texte(pdf: bytes) -> str:
    """The text poppler's pdftotext reads (the PDF streams are compressed and the glyphs subset)."""
    outil = shutil.which("pdftotext")
    assert outil is not None, "pdftotext (poppler-utils) est nécessaire à ces tests"
    return subprocess.run([outil, "-raw", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()  # noqa: S603


def _signer(jury: Jury, pv: ProcesVerbal, decalage: int = 0) -> None:
    """Every member signs (``decalage``: a later TOTP period, a code serves once)."""
    for compte in jury.comptes:
        services.signer_pv(jury.session, acteur=compte, code_totp=code_totp(compte, decalage), sha256_lu=pv.sha256)


@pytest.fixture
def pv_final(jury: Jury, django_capture_on_commit_callbacks: Any) -> ProcesVerbal:
    convoquer(jury, django_capture_on_commit_callbacks)
    deliberer_tout(jury)
    pv = services.etablir_pv(jury.session, acteur=jury.comptes[0])
    _signer(jury, pv)
    return ProcesVerbal.objects.get(pk=pv.pk)


def test_the_last_signature_seals_a_final_pv_with_its_signature_table(jury: Jury, pv_final: ProcesVerbal) -> None:
    final = bytes(pv_final.pdf_final or b"")

    statut = validate_pdf_signature(
        PdfFileReader(io.BytesIO(final)).embedded_signatures[0], ValidationContext(trust_roots=[cachet().certificat])
    )
    assert (statut.intact, statut.valid, statut.trusted) == (True, True, True)
    assert statut.coverage is not None and statut.coverage.name == "ENTIRE_FILE"
    assert PdfFileReader(io.BytesIO(final)).embedded_signatures[0].field_name == CHAMP_CACHET
    # Sealed as an incremental update, so the PDF/A identification WeasyPrint wrote still holds.
    lecteur = PdfFileReader(io.BytesIO(final))
    assert b"pdfaid:part" in lecteur.root["/Metadata"].get_object().data
    assert lecteur.xrefs.total_revisions == 2
    texte = " ".join(_texte(final).split())
    for membre in jury.membres:
        assert str(membre) in texte
    assert texte.count(METHODE_SIGNATURE) >= 3
    assert pv_final.sha256 in texte.replace(" ", "")
    assert anomalies_pv(pv_final) == []
    assert EntreeJournal.objects.get(action="jurys.sceller_pv").apres["sha256_final"] == pv_final.sha256_final


@pytest.mark.skipif(
    shutil.which("pdfsig") is None and not os.environ.get("CI"), reason="pdfsig (poppler-utils) absent hors CI"
)
def test_an_independent_validator_sees_the_whole_final_pv_signed_and_valid(
    pv_final: ProcesVerbal, tmp_path: Path
) -> None:
    chemin = tmp_path / "pv-final.pdf"
    chemin.write_bytes(bytes(pv_final.pdf_final or b""))
    outil = shutil.which("pdfsig") or "pdfsig"
    rapport = subprocess.run([outil, str(chemin)], capture_output=True, check=True).stdout.decode()  # noqa: S603
    assert "Signature Validation: Signature is Valid." in rapport
    assert "Total document signed" in rapport
    assert f"Signature Field Name: {CHAMP_CACHET}" in rapport


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.floats(min_value=0, max_value=1, exclude_max=True), masque=st.integers(min_value=1, max_value=255))
def test_any_altered_byte_of_the_final_pv_is_detected_and_named(
    pv_final: ProcesVerbal, position: float, masque: int
) -> None:
    stocke = ProcesVerbal.objects.get(pk=pv_final.pk)  # fresh for each example: the stored bytes
    octets = bytearray(bytes(stocke.pdf_final or b""))
    i = int(position * len(octets))
    octets[i] ^= masque
    stocke.pdf_final = bytes(octets)

    anomalies = anomalies_pv(stocke)

    assert "le PV final stocké ne correspond plus à son empreinte (octets modifiés)" in anomalies


def test_verifier_pv_names_a_final_pv_whose_seal_no_longer_matches(pv_final: ProcesVerbal) -> None:
    octets = bytes(pv_final.pdf_final or b"")
    milieu = len(octets) // 3
    # Rewrite the stored row behind the triggers, as an attacker with database access would.
    from django.db import connection

    with connection.cursor() as curseur:
        if connection.vendor == "sqlite":
            curseur.execute("DROP TRIGGER pv_verrouille_update")
        else:
            curseur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending trigger events before ALTER
            curseur.execute("ALTER TABLE jurys_procesverbal DISABLE TRIGGER pv_verrouille_update")
    ProcesVerbal.objects.filter(pk=pv_final.pk).update(
        pdf_final=octets[:milieu] + bytes([octets[milieu] ^ 0x01]) + octets[milieu + 1 :]
    )

    with pytest.raises(CommandError) as erreur:
        call_command("verifier_pv")

    assert str(pv_final) in str(erreur.value)
    assert "octets modifiés" in str(erreur.value)


def test_signing_twice_or_after_the_seal_is_refused(jury: Jury, pv_final: ProcesVerbal) -> None:
    with pytest.raises(ErreurMetier, match="déjà signé"):
        services.signer_pv(
            jury.session, acteur=jury.comptes[0], code_totp=code_totp(jury.comptes[0], 1), sha256_lu=pv_final.sha256
        )
    assert pv_final.signatures.count() == 3


def test_an_amendment_after_signature_is_a_new_version_signed_again_the_old_one_kept(
    jury: Jury, pv_final: ProcesVerbal
) -> None:
    services.amender_apres_signature(
        jury.session,
        jury.candidatures[0],
        acteur=jury.gestionnaire,
        decision=Decision.VALIDATION_PARTIELLE,
        unites=["1", "2"],
        motif="Erreur matérielle : l'unité 3 n'a pas été présentée.",
    )
    nouvelle = ProcesVerbal.objects.filter(session=jury.session).first()
    assert nouvelle is not None and nouvelle.numero_version == pv_final.numero_version + 1
    assert nouvelle.remplace == pv_final and nouvelle.verrouille_le is None
    ancienne = ProcesVerbal.objects.get(pk=pv_final.pk)
    assert ancienne.remplace_par_version == nouvelle and ancienne.pdf_final == pv_final.pdf_final

    with pytest.raises(ErreurMetier, match="a été remplacée par la version"):
        services.signer_pv(
            jury.session, acteur=jury.comptes[0], code_totp=code_totp(jury.comptes[0], 1), sha256_lu=pv_final.sha256
        )
    _signer(jury, nouvelle, decalage=1)

    nouvelle.refresh_from_db()
    assert nouvelle.verrouille_le is not None and nouvelle.pdf_final
    # Table cells wrap where the names drawn by the factories make them wrap: compare words, not lines.
    texte = " ".join(_texte(bytes(nouvelle.pdf_final)).split())
    assert "Erreur matérielle" in texte and f"remplace la version {pv_final.numero_version}" in texte
    assert anomalies_pv(nouvelle) == [] and anomalies_pv(ancienne) == []
    call_command("verifier_pv")
    with pytest.raises(ErreurMetier, match="un membre ne peut plus y être remplacé"):
        services.remplacer_membre(jury.session, jury.membres[0], jury.membres[1], acteur=jury.gestionnaire)


def test_a_pv_sealed_with_another_certificate_is_named_and_a_declared_earlier_one_still_verifies(
    pv_final: ProcesVerbal, settings: Any, tmp_path: Path
) -> None:
    ancien = settings.CACHET_PV_CERTIFICAT
    nouveau = tmp_path / "nouveau-cachet.pem"
    generer_cachet_autosigne(nouveau, "Autre organisme")
    settings.CACHET_PV_CLE = settings.CACHET_PV_CERTIFICAT = str(nouveau)

    assert anomalies_pv(pv_final) == ["le cachet n'a pas été apposé avec le certificat configuré du certificateur"]

    settings.CACHET_PV_CERTIFICATS_ANTERIEURS = [ancien]
    assert anomalies_pv(pv_final) == []
