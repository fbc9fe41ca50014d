"""What we add to allauth's TOTP: the current code of an account (local demo logins, end-to-end
tests), computed exactly as allauth checks it (RFC 6238), and burning the code used to activate TOTP."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt

from .models import User


def secret_totp(user: User) -> str | None:
    authentificateur = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authentificateur is None:
        return None
    return decrypt(authentificateur.data["secret"])


def code_totp(secret: str, instant: float | None = None) -> str:
    compteur = int(time.time() if instant is None else instant) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, compteur))


def bruler_code_activation(sender: Any, authenticator: Authenticator, **kwargs: Any) -> None:
    """allauth checks the code typed to activate TOTP without recording it as used, so that same code
    would open a TOTP step once more within its tolerance window. Record as used every code the person
    may have typed: the current step's and the previous one's (a code typed at the end of its step is
    checked in the next one)."""
    if authenticator.type != Authenticator.Type.TOTP:
        return
    secret = decrypt(authenticator.data["secret"])
    maintenant = time.time()
    totp = TOTP(authenticator)
    for decalage in range(app_settings.TOTP_TOLERANCE, -1, -1):
        totp.validate_code(code_totp(secret, maintenant - decalage * app_settings.TOTP_PERIOD))


def connecter_signaux() -> None:
    authenticator_added.connect(bruler_code_activation, dispatch_uid="totp_bruler_code_activation")
