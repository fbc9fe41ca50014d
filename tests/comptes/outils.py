"""Test helpers for accounts: users with roles, signed in as the real login flow would leave them."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.test import Client

from parchemin.comptes.double_facteur import code_totp, secret_totp
from parchemin.comptes.models import RoleUtilisateur, User
from parchemin.comptes.roles import double_facteur_exige
from parchemin.partenaires.models import Partenaire


def creer_utilisateur(email: str, *roles: str, partenaire: Partenaire | None = None, **champs: Any) -> User:
    user = User.objects.create_user(email=email, password="mot-de-passe-de-test-42", **champs)
    for role in roles:
        RoleUtilisateur.objects.create(user=user, role=role, partenaire=partenaire)
    if double_facteur_exige(user):
        TOTP.activate(user, generate_totp_secret())
    return user


def connecter(client: Client, user: User) -> Client:
    """Sign in ``user``; for roles that demand it, record a completed TOTP step in the session,
    exactly as allauth's login flow does after a valid code."""
    client.force_login(user)
    if double_facteur_exige(user):
        session = client.session
        maintenant = time.time()
        session["account_authentication_methods"] = [
            {"method": "password", "at": maintenant, "email": user.email},
            {"method": "mfa", "at": maintenant, "type": "totp"},
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
    return client


def code_totp_de(user: User, decalage: int = 0) -> str:
    """The TOTP code ``user``'s authenticator app shows now (or ``decalage`` periods away)."""
    secret = secret_totp(user)
    assert secret is not None, f"{user} n'a pas de TOTP"
    return code_totp(secret, time.time() + 30 * decalage)


def partager_session(contexte: Any, client: Client, url: str) -> None:
    """Give a browser context (Playwright) the session of a test client signed in with ``connecter``:
    the browser is then signed in, second factor included, without walking the sign-in pages."""
    contexte.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": url,
            }
        ]
    )
