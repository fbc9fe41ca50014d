"""Second-factor secrets are encrypted at rest: the database row never holds a usable secret, sign-in
with TOTP and recovery codes still works, keys rotate, and an altered or foreign ciphertext is refused
with a French explanation instead of a crash page."""

from __future__ import annotations

import importlib
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from parchemin.comptes.chiffrement import SecretIllisible, cle_derivee, dechiffrer
from parchemin.comptes.double_facteur import code_totp, secret_totp
from parchemin.comptes.enums import Role
from parchemin.comptes.models import User
from parchemin.comptes.services import attribuer_role
from parchemin.journal.models import EntreeJournal
from tests.comptes.factories import UserFactory
from tests.comptes.test_double_facteur import _mot_de_passe, _poster

pytestmark = pytest.mark.django_db

RACINE = Path(__file__).resolve().parents[2]


def _gestionnaire() -> User:
    user = UserFactory()
    attribuer_role(acteur=None, user=user, role=Role.GESTIONNAIRE)
    return user


def _ligne_brute(authentificateur: Authenticator) -> str:
    """The ``data`` column exactly as the database stores it, bypassing every Python layer."""
    table = connection.ops.quote_name(Authenticator._meta.db_table)
    with connection.cursor() as curseur:
        curseur.execute(f"SELECT data FROM {table} WHERE id = %s", [authentificateur.pk])  # noqa: S608
        return str(curseur.fetchone()[0])


def _alterer(authentificateur: Authenticator, cle: str) -> None:
    jeton = authentificateur.data[cle]
    milieu = len(jeton) // 2
    authentificateur.data[cle] = jeton[:milieu] + ("A" if jeton[milieu] != "A" else "B") + jeton[milieu + 1 :]
    authentificateur.save(update_fields=["data"])


def test_database_row_holds_neither_the_totp_secret_nor_the_recovery_seed() -> None:
    user = _gestionnaire()
    secret = generate_totp_secret()
    totp = TOTP.activate(user, secret).instance
    codes = RecoveryCodes.activate(user)
    seed = dechiffrer(codes.instance.data["seed"])

    assert secret not in _ligne_brute(totp) and secret.lower() not in _ligne_brute(totp).lower()
    assert seed not in _ligne_brute(codes.instance)
    assert secret_totp(user) == secret, "the adapter reads the secret back"
    assert len(codes.get_unused_codes()) == 10


def test_staff_still_signs_in_with_a_totp_code(client: Client) -> None:
    user = _gestionnaire()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    _mot_de_passe(client, user, suivant="/gestion/")
    reponse = _poster(client, reverse("mfa_authenticate"), {"code": code_totp(secret)})
    assert reponse.status_code == 302 and reponse.headers["Location"] == "/gestion/"
    assert client.get("/gestion/").status_code == 200


def test_recovery_code_still_signs_in(client: Client) -> None:
    user = _gestionnaire()
    TOTP.activate(user, generate_totp_secret())
    code = RecoveryCodes.activate(user).get_unused_codes()[3]
    _mot_de_passe(client, user)
    assert _poster(client, reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get("/gestion/").status_code == 200


def test_tampered_totp_ciphertext_gets_a_french_page_and_no_session(client: Client) -> None:
    user = _gestionnaire()
    secret = generate_totp_secret()
    _alterer(TOTP.activate(user, secret).instance, "secret")

    _mot_de_passe(client, user)
    reponse = _poster(client, reverse("mfa_authenticate"), {"code": code_totp(secret)})
    assert reponse.status_code == 500
    contenu = reponse.content.decode()
    assert "Double authentification indisponible" in contenu and "ne peut pas être déchiffré" in contenu
    assert "_auth_user_id" not in client.session


def test_tampered_recovery_seed_is_detected() -> None:
    user = _gestionnaire()
    codes = RecoveryCodes.activate(user)
    _alterer(codes.instance, "seed")
    with pytest.raises(SecretIllisible, match="ne peut pas être déchiffré"):
        RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk)).get_unused_codes()


def test_secret_encrypted_with_another_key_is_refused_in_french(settings: Any) -> None:
    user = _gestionnaire()
    TOTP.activate(user, generate_totp_secret())
    settings.CLES_CHIFFREMENT = [Fernet.generate_key().decode()]
    with pytest.raises(SecretIllisible, match="CLES_CHIFFREMENT"):
        secret_totp(user)


def test_rotation_re_encrypts_everything_with_the_newest_key(settings: Any) -> None:
    ancienne, nouvelle = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CLES_CHIFFREMENT = [ancienne]
    user = _gestionnaire()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    codes_avant = RecoveryCodes.activate(user).get_unused_codes()

    settings.CLES_CHIFFREMENT = [nouvelle, ancienne]
    sortie = io.StringIO()
    call_command("rechiffrer_secrets_mfa", stdout=sortie)
    assert "2 second(s) facteur(s) rechiffré(s)" in sortie.getvalue()
    assert EntreeJournal.objects.filter(action="comptes.rechiffrer_secrets_double_facteur").count() == 1

    settings.CLES_CHIFFREMENT = [nouvelle]  # the old key is gone: everything still reads
    assert secret_totp(user) == secret
    recuperation = RecoveryCodes(Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES))
    assert recuperation.get_unused_codes() == codes_avant
    assert recuperation.validate_code(codes_avant[0])
    assert TOTP(Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)).validate_code(code_totp(secret))


def test_rotation_without_the_old_key_changes_nothing_and_says_what_to_do(settings: Any) -> None:
    settings.CLES_CHIFFREMENT = [Fernet.generate_key().decode()]
    user = _gestionnaire()
    TOTP.activate(user, generate_totp_secret())
    avant = Authenticator.objects.get(user=user).data

    settings.CLES_CHIFFREMENT = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match="Ajoutez l'ancienne clé"):
        call_command("rechiffrer_secrets_mfa", stdout=io.StringIO())
    assert Authenticator.objects.get(user=user).data == avant
    assert not EntreeJournal.objects.filter(action="comptes.rechiffrer_secrets_double_facteur").exists()


def test_migration_encrypts_clear_secrets_and_its_reverse_restores_them() -> None:
    migration = importlib.import_module("parchemin.comptes.migrations.0004_chiffrer_secrets_mfa")
    user = _gestionnaire()
    secret, seed = generate_totp_secret(), RecoveryCodes.generate_seed()
    # Rows as allauth wrote them before Parchemin encrypted anything.
    totp = Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": secret})
    codes = Authenticator.objects.create(
        user=user, type=Authenticator.Type.RECOVERY_CODES, data={"seed": seed, "used_mask": 5}
    )

    migration.chiffrer_les_secrets(apps, None)
    migration.chiffrer_les_secrets(apps, None)  # a second run must not encrypt twice
    totp.refresh_from_db()
    codes.refresh_from_db()
    assert secret not in _ligne_brute(totp) and seed not in _ligne_brute(codes)
    assert dechiffrer(totp.data["secret"]) == secret and dechiffrer(codes.data["seed"]) == seed
    assert codes.data["used_mask"] == 5

    migration.dechiffrer_les_secrets(apps, None)
    totp.refresh_from_db()
    codes.refresh_from_db()
    assert totp.data == {"secret": secret} and codes.data == {"seed": seed, "used_mask": 5}


def test_development_key_is_derived_from_secret_key() -> None:
    assert cle_derivee("une-cle") == cle_derivee("une-cle") != cle_derivee("une-autre-cle")
    Fernet(cle_derivee("une-cle"))  # a valid Fernet key


def _demarrer_en_production(**variables: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL", "CLES_CHIFFREMENT"}}
    env.update(
        DJANGO_ENV="production",
        SECRET_KEY="test-production-" + "k" * 50,
        ALLOWED_HOSTS="certification.example.org",
        DJANGO_SETTINGS_MODULE="parchemin.settings",
        **variables,
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=RACINE, env=env, capture_output=True, text=True
    )


def test_production_refuses_to_start_without_an_explicit_key() -> None:
    sortie = _demarrer_en_production()
    assert sortie.returncode != 0 and "CLES_CHIFFREMENT doit être défini en production" in sortie.stderr


def test_production_refuses_a_malformed_key_and_starts_with_a_good_one() -> None:
    mauvaise = _demarrer_en_production(CLES_CHIFFREMENT="pas-une-cle")
    assert mauvaise.returncode != 0 and "n'est pas une clé Fernet" in mauvaise.stderr
    deux_cles = f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}"
    bonne = _demarrer_en_production(CLES_CHIFFREMENT=deux_cles)
    assert bonne.returncode == 0, bonne.stderr
