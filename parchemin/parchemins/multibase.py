"""Base58btc multibase and the Multikey encodings of Ed25519 keys (W3C Controlled Identifiers, Multikey).

A Multikey public key is ``z`` + base58btc(0xed 0x01 + 32 key bytes), which always starts ``z6Mk``; a
private key uses the multicodec prefix 0x80 0x26. The signature in ``proofValue`` is ``z`` +
base58btc(64 signature bytes).
"""

from __future__ import annotations

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {c: i for i, c in enumerate(ALPHABET)}
PREFIXE_ED25519_PUBLIQUE = b"\xed\x01"
PREFIXE_ED25519_PRIVEE = b"\x80\x26"


class MultibaseInvalide(ValueError):
    pass


def base58_encoder(octets: bytes) -> str:
    zeros = len(octets) - len(octets.lstrip(b"\0"))
    nombre = int.from_bytes(octets, "big")
    chiffres = []
    while nombre:
        nombre, reste = divmod(nombre, 58)
        chiffres.append(ALPHABET[reste])
    return "1" * zeros + "".join(reversed(chiffres))


def base58_decoder(texte: str) -> bytes:
    nombre = 0
    for caractere in texte:
        if caractere not in _INDEX:
            raise MultibaseInvalide(f"caractère hors de l'alphabet base58 : {caractere!r}")
        nombre = nombre * 58 + _INDEX[caractere]
    zeros = len(texte) - len(texte.lstrip("1"))
    corps = nombre.to_bytes((nombre.bit_length() + 7) // 8, "big") if nombre else b""
    return b"\0" * zeros + corps


def multibase_encoder(octets: bytes) -> str:
    return "z" + base58_encoder(octets)


def multibase_decoder(texte: str) -> bytes:
    if not isinstance(texte, str) or not texte.startswith("z") or len(texte) < 2:
        raise MultibaseInvalide("une valeur multibase base58btc commence par « z »")
    return base58_decoder(texte[1:])


def multikey_publique(cle_brute: bytes) -> str:
    if len(cle_brute) != 32:
        raise MultibaseInvalide("une clé publique Ed25519 fait 32 octets")
    return multibase_encoder(PREFIXE_ED25519_PUBLIQUE + cle_brute)


def cle_publique_depuis_multikey(multikey: str) -> bytes:
    octets = multibase_decoder(multikey)
    if not octets.startswith(PREFIXE_ED25519_PUBLIQUE) or len(octets) != 34:
        raise MultibaseInvalide("ce n'est pas une clé publique Ed25519 au format Multikey")
    return octets[2:]


def graine_depuis_multikey_privee(multikey: str) -> bytes:
    octets = multibase_decoder(multikey)
    if not octets.startswith(PREFIXE_ED25519_PRIVEE) or len(octets) != 34:
        raise MultibaseInvalide("ce n'est pas une clé privée Ed25519 au format Multikey")
    return octets[2:]
