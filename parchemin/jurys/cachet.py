"""The certificateur's seal on the final PV: a PAdES signature applied with pyHanko.

The key and its certificate come from configuration (``CACHET_PV_CLE``, ``CACHET_PV_CERTIFICAT``:
PEM files, possibly the same file). Outside production, when the files are absent, a self-signed
seal is generated once (``generer_cachet_autosigne``), so that the demo and the tests seal for real;
``docs/operations.md`` says how to install a real certificate instead.

The seal is added as an incremental update: the PDF/A bytes WeasyPrint wrote stay byte for byte at
the start of the file, which is what keeps the document PDF/A.
"""

from __future__ import annotations

import asyncio
import datetime
import io
import os
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.conf import settings
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from parchemin.erreurs import ErreurMetier

CHAMP_CACHET = "CachetCertificateur"
T = TypeVar("T")


@dataclass(frozen=True)
class Cachet:
    cle: asn1_keys.PrivateKeyInfo
    certificat: asn1_x509.Certificate

    @property
    def titulaire(self) -> str:
        return str(self.certificat.subject.human_friendly)


def generer_cachet_autosigne(chemin: Path, nom: str, *, duree_jours: int = 3650) -> None:
    """Write a self-signed seal (P-256 key and certificate, one PEM file) for development and tests.

    Written to a temporary file and renamed, so that two processes starting at once never read half
    a file; the key file is readable by its owner only."""
    cle = ec.generate_private_key(ec.SECP256R1())
    sujet = x509.Name(
        [
            # CN and O are at most 64 characters (RFC 5280 upper bounds).
            x509.NameAttribute(NameOID.COMMON_NAME, f"Cachet PV de jury (autosigné) {nom}"[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, nom[:64]),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        ]
    )
    maintenant = datetime.datetime.now(datetime.UTC)
    certificat = (
        x509.CertificateBuilder()
        .subject_name(sujet)
        .issuer_name(sujet)
        .public_key(cle.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(maintenant - datetime.timedelta(days=1))
        .not_valid_after(maintenant + datetime.timedelta(days=duree_jours))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: a seal commits the certificateur
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(cle, hashes.SHA256())
    )
    pem = cle.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ) + certificat.public_bytes(serialization.Encoding.PEM)
    chemin.parent.mkdir(parents=True, exist_ok=True)
    descripteur, provisoire = tempfile.mkstemp(dir=chemin.parent, prefix=".cachet-")
    with os.fdopen(descripteur, "wb") as fichier:
        fichier.write(pem)
    os.chmod(provisoire, 0o600)
    os.replace(provisoire, chemin)


@lru_cache(maxsize=4)
def _lire(chemin_cle: str, chemin_certificat: str, mot_de_passe: str) -> Cachet:
    cle = serialization.load_pem_private_key(
        Path(chemin_cle).read_bytes(), password=mot_de_passe.encode() if mot_de_passe else None
    )
    certificat = x509.load_pem_x509_certificate(Path(chemin_certificat).read_bytes())
    der_cle = cle.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return Cachet(
        cle=asn1_keys.PrivateKeyInfo.load(der_cle),
        certificat=asn1_x509.Certificate.load(certificat.public_bytes(serialization.Encoding.DER)),
    )


def cachet() -> Cachet:
    """The configured seal; generated (self-signed) when absent and allowed (never in production)."""
    cle, certificat = Path(settings.CACHET_PV_CLE), Path(settings.CACHET_PV_CERTIFICAT)
    if not cle.exists() or not certificat.exists():
        if not settings.CACHET_PV_AUTOGENERE:
            raise ErreurMetier(
                "Le cachet du certificateur n'est pas configuré (CACHET_PV_CLE, CACHET_PV_CERTIFICAT) : "
                "le PV final ne peut pas être scellé. Voir docs/operations.md."
            )
        if cle != certificat:
            raise ErreurMetier(
                "Cachet autogénéré : CACHET_PV_CLE et CACHET_PV_CERTIFICAT doivent désigner le même fichier."
            )
        generer_cachet_autosigne(cle, settings.CACHET_PV_NOM)
    return _lire(str(cle), str(certificat), settings.CACHET_PV_MOT_DE_PASSE)


def _certificats_anterieurs() -> list[asn1_x509.Certificate]:
    return [
        asn1_x509.Certificate.load(
            x509.load_pem_x509_certificate(Path(chemin).read_bytes()).public_bytes(serialization.Encoding.DER)
        )
        for chemin in settings.CACHET_PV_CERTIFICATS_ANTERIEURS
    ]


def _hors_boucle(fonction: Callable[..., T], *arguments: Any) -> T:
    """Call a pyHanko entry point, which runs its own asyncio loop: in a worker thread when this
    thread already runs one (a test driving a browser, an async server), directly otherwise."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fonction(*arguments)
    with ThreadPoolExecutor(max_workers=1) as fil:
        return fil.submit(fonction, *arguments).result()


def sceller(pdf: bytes, *, raison: str, lieu: str = "") -> bytes:
    """The PDF with the seal appended as an incremental update (PAdES baseline B-B, SHA-256)."""
    sceau = cachet()
    signataire = signers.SimpleSigner(
        signing_cert=sceau.certificat, signing_key=sceau.cle, cert_registry=SimpleCertificateStore()
    )
    metadonnees = signers.PdfSignatureMetadata(
        field_name=CHAMP_CACHET,
        subfilter=SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=raison,
        location=lieu or None,
        name=sceau.titulaire,
    )
    sortie = _hors_boucle(
        signers.PdfSigner(metadonnees, signer=signataire).sign_pdf, IncrementalPdfFileWriter(io.BytesIO(pdf))
    )
    return bytes(sortie.getvalue())


def anomalies_cachet(pdf: bytes) -> list[str]:
    """What is wrong with the seal of a final PV, checked by pyHanko against the configured certificate
    (empty when the seal is there, intact, cryptographically valid, trusted and covers the whole file)."""
    try:
        lecteur = PdfFileReader(io.BytesIO(pdf))
        signatures = lecteur.embedded_signatures
    except Exception as erreur:  # a damaged file is an anomaly to name, not a crash of the check
        return [f"le PV final n'est plus un PDF lisible ({erreur.__class__.__name__})"]
    cachets = [s for s in signatures if s.field_name == CHAMP_CACHET]
    if not cachets:
        return ["le PV final ne porte pas le cachet du certificateur"]
    contexte = ValidationContext(trust_roots=[cachet().certificat, *_certificats_anterieurs()])
    try:
        statut = _hors_boucle(validate_pdf_signature, cachets[0], contexte)
    except Exception as erreur:
        return [f"le cachet du PV final ne peut pas être vérifié ({erreur.__class__.__name__} : {erreur})"]
    anomalies = []
    if not statut.intact:
        anomalies.append("le contenu du PV final a été modifié après le cachet (empreinte du document invalide)")
    if not statut.valid:
        anomalies.append("la signature cryptographique du cachet est invalide")
    if statut.intact and statut.valid and not statut.trusted:  # trust is only judged on a sound signature
        anomalies.append("le cachet n'a pas été apposé avec le certificat configuré du certificateur")
    if statut.coverage is None or statut.coverage.name != "ENTIRE_FILE":
        anomalies.append("des octets ont été ajoutés au PV final après le cachet")
    return anomalies
