"""The NIR (social security number), optional: collected only when ``ACCROCHAGE_NIR`` is on.

Stored encrypted (the same Fernet keys as the second-factor secrets, ``CLES_CHIFFREMENT``), read
only by the export, sent only in a 1.1.5 flux, and purged when the CDC accepts the passage.
"""

from __future__ import annotations

from django.conf import settings

from parchemin.comptes.chiffrement import dechiffrer

from .enums import VersionFlux
from .models import PassageCDC


def active() -> bool:
    return bool(getattr(settings, "ACCROCHAGE_NIR", False))


def pour_export(passage: PassageCDC, version: str) -> str | None:
    if not active() or version != VersionFlux.V1_1_5 or not passage.nir_chiffre:
        return None
    return dechiffrer(passage.nir_chiffre)
