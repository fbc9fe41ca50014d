"""Encryption at rest of second-factor secrets (TOTP secrets, recovery-code seeds).

Authenticated encryption (Fernet: AES-128-CBC + HMAC-SHA256) with a list of keys, newest first:
the first key encrypts, every key decrypts, so keys rotate without downtime (see the command
``rechiffrer_secrets_mfa``). Keys come from ``settings.CLES_CHIFFREMENT``; outside production an
empty list means one key derived from SECRET_KEY (HKDF), production refuses to start without one.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

from parchemin.erreurs import ErreurMetier

# Fixed context of the development key: another use of SECRET_KEY never yields the same key.
CONTEXTE_CLE_DEVELOPPEMENT = b"parchemin.comptes.chiffrement.secrets-mfa.v1"

Transformation = Callable[[str], str]


class SecretIllisible(ErreurMetier):
    """A stored secret does not decrypt with the configured keys (wrong key or altered data)."""


class CleInvalide(ValueError):
    """A configured key is not a Fernet key."""


def cle_derivee(secret_key: str) -> str:
    """The development key: HKDF-SHA256 of SECRET_KEY, as a Fernet key."""
    derivation = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=CONTEXTE_CLE_DEVELOPPEMENT)
    return base64.urlsafe_b64encode(derivation.derive(secret_key.encode("utf-8"))).decode("ascii")


def cles_configurees() -> tuple[str, ...]:
    cles = tuple(settings.CLES_CHIFFREMENT)
    if cles:
        return cles
    if settings.PRODUCTION:
        raise CleInvalide("CLES_CHIFFREMENT doit être défini en production (DJANGO_ENV=production).")
    return (cle_derivee(settings.SECRET_KEY),)


@lru_cache(maxsize=8)
def _chiffreur(cles: tuple[str, ...]) -> MultiFernet:
    fernets = []
    for rang, cle in enumerate(cles, start=1):
        try:
            fernets.append(Fernet(cle))
        except ValueError as erreur:
            raise CleInvalide(
                f"CLES_CHIFFREMENT : la clé n° {rang} n'est pas une clé Fernet (32 octets en base64 URL). "
                "Générez-en une avec la commande donnée dans docs/operations.md."
            ) from erreur
    return MultiFernet(fernets)


def chiffreur() -> MultiFernet:
    return _chiffreur(cles_configurees())


MESSAGE_ILLISIBLE = (
    "Le secret de double authentification de ce compte ne peut pas être déchiffré : la clé de chiffrement "
    "configurée (CLES_CHIFFREMENT) n'est pas celle qui l'a chiffré, ou la donnée a été altérée. "
    "Contactez l'équipe technique du certificateur ; aucun code n'a été vérifié."
)


def chiffrer(texte: str) -> str:
    return chiffreur().encrypt(texte.encode("utf-8")).decode("ascii")


def dechiffrer(jeton: str) -> str:
    try:
        return chiffreur().decrypt(jeton.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as erreur:
        raise SecretIllisible(MESSAGE_ILLISIBLE) from erreur


def rechiffrer(jeton: str) -> str:
    """The same secret encrypted with the newest key (decrypted with whichever key fits)."""
    try:
        return chiffreur().rotate(jeton.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError) as erreur:
        raise SecretIllisible(MESSAGE_ILLISIBLE) from erreur


def est_chiffre(valeur: str) -> bool:
    """Whether a stored value is a Fernet token rather than a clear secret. allauth's clear values are
    base32 (A-Z, 2-7) or hexadecimal, which never start like a version-0x80 token in URL-safe base64."""
    return valeur.startswith("gAAAAA")


def transformer_secrets(
    type_authentificateur: str, donnees: dict[str, Any], transformation: Transformation
) -> dict[str, Any]:
    """A copy of an allauth ``Authenticator.data`` with each secret passed through ``transformation``:
    the TOTP secret, the recovery-code seed and codes migrated from another library."""
    resultat = dict(donnees)
    if type_authentificateur == "totp" and "secret" in resultat:
        resultat["secret"] = transformation(resultat["secret"])
    if type_authentificateur == "recovery_codes":
        if "seed" in resultat:
            resultat["seed"] = transformation(resultat["seed"])
        if resultat.get("migrated_codes") is not None:
            resultat["migrated_codes"] = [transformation(code) for code in resultat["migrated_codes"]]
    return resultat


def chiffrer_si_clair(valeur: str) -> str:
    return valeur if est_chiffre(valeur) else chiffrer(valeur)


def dechiffrer_si_chiffre(valeur: str) -> str:
    return dechiffrer(valeur) if est_chiffre(valeur) else valeur
