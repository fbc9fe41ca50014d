"""W3C Bitstring Status List: the revocation bits of Parchemin's credentials.

Each list holds ``TAILLE_LISTE`` bits (16 KiB, the minimum the specification sets so that a bit does
not single out a holder); bit *i* (the most significant bit of byte 0 is bit 0) is set when the
credential with ``statusListIndex`` *i* is revoked. ``encodedList`` is the multibase base64url (``u``)
of the GZIP-compressed bitstring. Indexes come from a counter and are never reused, list after list.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

TAILLE_LISTE = 16 * 1024 * 8
FINALITE = "revocation"


def encoder(indexes_revoques: Iterable[int], taille: int = TAILLE_LISTE) -> str:
    bits = bytearray(taille // 8)
    for index in indexes_revoques:
        if not 0 <= index < taille:
            raise ValueError(f"index {index} hors de la liste")
        bits[index // 8] |= 0x80 >> (index % 8)
    compresse = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compresse).decode("ascii").rstrip("=")


def decoder(encodage: str) -> bytes:
    if not isinstance(encodage, str) or not encodage.startswith("u"):
        raise ValueError("encodedList n'est pas en base64url multibase (« u »)")
    corps = encodage[1:]
    compresse = base64.urlsafe_b64decode(corps + "=" * (-len(corps) % 4))
    return gzip.decompress(compresse)


def bit(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise ValueError(f"index {index} hors de la liste")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def position(index_global: int) -> tuple[int, int]:
    """(list number starting at 1, index inside that list) of a globally allocated index."""
    return index_global // TAILLE_LISTE + 1, index_global % TAILLE_LISTE
