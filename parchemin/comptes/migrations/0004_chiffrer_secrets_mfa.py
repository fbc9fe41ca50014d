"""Encrypt the second-factor secrets stored in clear before Parchemin set allauth's encrypt/decrypt
hooks (comptes.chiffrement). Values already encrypted are left alone, so the migration can run twice.

Reversible on purpose: rolling the code back to a version without the hooks needs the secrets in clear
again, or every staff and jury member would be locked out. The reverse needs the same keys.

History is frozen: the encryption below is a copy of ``comptes.chiffrement`` as it was when this
migration was written (Fernet tokens under CLES_CHIFFREMENT, or the HKDF development key), so a later
change to the live code cannot change what this migration does; the live code reads its tokens."""

import base64

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import migrations

CONTEXTE_CLE_DEVELOPPEMENT = b"parchemin.comptes.chiffrement.secrets-mfa.v1"


def _chiffreur():
    cles = tuple(settings.CLES_CHIFFREMENT)
    if not cles:
        if settings.PRODUCTION:
            raise ImproperlyConfigured("CLES_CHIFFREMENT doit être défini en production (DJANGO_ENV=production).")
        derivation = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=CONTEXTE_CLE_DEVELOPPEMENT)
        cles = (base64.urlsafe_b64encode(derivation.derive(settings.SECRET_KEY.encode("utf-8"))).decode("ascii"),)
    return MultiFernet([Fernet(cle) for cle in cles])


def _est_chiffre(valeur):
    # allauth's clear values are base32 or hexadecimal, never the start of a version-0x80 Fernet token.
    return valeur.startswith("gAAAAA")


def chiffrer_si_clair(valeur):
    return valeur if _est_chiffre(valeur) else _chiffreur().encrypt(valeur.encode("utf-8")).decode("ascii")


def dechiffrer_si_chiffre(valeur):
    return _chiffreur().decrypt(valeur.encode("ascii")).decode("utf-8") if _est_chiffre(valeur) else valeur


def transformer_secrets(type_authentificateur, donnees, transformation):
    """A copy of ``Authenticator.data`` with the TOTP secret, the recovery-code seed and migrated
    codes passed through ``transformation``."""
    resultat = dict(donnees)
    if type_authentificateur == "totp" and "secret" in resultat:
        resultat["secret"] = transformation(resultat["secret"])
    if type_authentificateur == "recovery_codes":
        if "seed" in resultat:
            resultat["seed"] = transformation(resultat["seed"])
        if resultat.get("migrated_codes") is not None:
            resultat["migrated_codes"] = [transformation(code) for code in resultat["migrated_codes"]]
    return resultat


def _transformer(apps, transformation):
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authentificateur in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]).iterator():
        donnees = transformer_secrets(authentificateur.type, authentificateur.data, transformation)
        if donnees != authentificateur.data:
            authentificateur.data = donnees
            authentificateur.save(update_fields=["data"])


def chiffrer_les_secrets(apps, schema_editor):
    _transformer(apps, chiffrer_si_clair)


def dechiffrer_les_secrets(apps, schema_editor):
    _transformer(apps, dechiffrer_si_chiffre)


class Migration(migrations.Migration):
    dependencies = [
        ("comptes", "0003_table_cache"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(chiffrer_les_secrets, dechiffrer_les_secrets)]
