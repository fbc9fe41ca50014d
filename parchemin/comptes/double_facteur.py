"""Second factor helpers that allauth does not offer as public API: the current TOTP code of an
account (local demo logins, end-to-end tests), computed exactly as allauth checks it (RFC 6238)."""

from __future__ import annotations

import time

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
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
