"""The issuer's Ed25519 signing keys and the ``did:web`` identity that publishes them.

The private key never enters the database: it is read from ``PARCHEMINS_CLE`` (the key itself, PEM
or Multikey ``z3u2…``) or from the file ``PARCHEMINS_CLE_FICHIER``. Outside production a missing file
is generated (``var/cles/``), so a fresh checkout can issue. Only public keys are stored: every key
that ever signed is recorded (``CleSignature``) and stays in the DID document after a rotation, with
the ones listed in ``PARCHEMINS_CLES_RETIREES``, so older credentials keep verifying.
docs/operations.md explains generation, backup and rotation.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .multibase import MultibaseInvalide, cle_publique_depuis_multikey, graine_depuis_multikey_privee, multikey_publique


@dataclass(frozen=True)
class CleEmetteur:
    privee: Ed25519PrivateKey
    multikey: str

    @property
    def publique(self) -> Ed25519PublicKey:
        return self.privee.public_key()


def did_web(site_url: str | None = None) -> str:
    """``did:web:<host>`` for SITE_URL (the port, if any, percent-encoded as the method requires)."""
    morceaux = urlsplit(site_url or settings.SITE_URL)
    hote = morceaux.hostname or "localhost"
    if morceaux.port:
        hote = f"{hote}:{morceaux.port}"
    return f"did:web:{quote(hote, safe='.-')}"


def methode_verification(multikey: str) -> str:
    return f"{did_web()}#{multikey}"


def _lire_cle(texte: str, origine: str) -> Ed25519PrivateKey:
    texte = texte.strip()
    try:
        if texte.startswith("-----BEGIN"):
            cle = serialization.load_pem_private_key(texte.encode("ascii"), password=None)
            if not isinstance(cle, Ed25519PrivateKey):
                raise ImproperlyConfigured(f"{origine} : la clé n'est pas une clé Ed25519.")
            return cle
        return Ed25519PrivateKey.from_private_bytes(graine_depuis_multikey_privee(texte))
    except (ValueError, MultibaseInvalide) as erreur:
        raise ImproperlyConfigured(f"{origine} : clé de signature illisible ({erreur}).") from erreur


def generer_fichier(chemin: Path) -> Ed25519PrivateKey:
    """Write a new key as unencrypted PKCS#8 PEM, readable by its owner only; never overwrite.

    The key is written whole to a temporary file and then hard-linked into place, so two processes
    starting at once never read a half-written key: the second link fails and that process reads the
    first one's key.
    """
    cle = Ed25519PrivateKey.generate()
    pem = cle.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    chemin.parent.mkdir(parents=True, exist_ok=True)
    provisoire = chemin.with_name(f".{chemin.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descripteur = os.open(provisoire, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descripteur, "wb") as fichier:
        fichier.write(pem)
    try:
        os.link(provisoire, chemin)
    except FileExistsError:
        return _lire_cle(chemin.read_text(encoding="ascii"), str(chemin))
    finally:
        provisoire.unlink()
    return cle


def cle_active() -> CleEmetteur:
    """The key new credentials are signed with."""
    if settings.PARCHEMINS_CLE:
        cle = _lire_cle(settings.PARCHEMINS_CLE, "PARCHEMINS_CLE")
    else:
        chemin = Path(settings.PARCHEMINS_CLE_FICHIER) if settings.PARCHEMINS_CLE_FICHIER else None
        if chemin is None:
            raise ImproperlyConfigured("Définissez PARCHEMINS_CLE ou PARCHEMINS_CLE_FICHIER (clé de signature).")
        if chemin.exists():
            cle = _lire_cle(chemin.read_text(encoding="ascii"), str(chemin))
        elif settings.PRODUCTION:
            raise ImproperlyConfigured(f"Clé de signature des parchemins introuvable : {chemin}.")
        else:
            cle = generer_fichier(chemin)
    return CleEmetteur(privee=cle, multikey=multikey_publique(cle.public_key().public_bytes_raw()))


def cles_retirees() -> list[str]:
    """Public keys of earlier rotations declared in the settings (checked: they must decode)."""
    retirees = []
    for multikey in settings.PARCHEMINS_CLES_RETIREES:
        try:
            cle_publique_depuis_multikey(multikey)
        except MultibaseInvalide as erreur:
            raise ImproperlyConfigured(f"PARCHEMINS_CLES_RETIREES : {multikey} ({erreur}).") from erreur
        retirees.append(multikey)
    return retirees
