"""Checkpoints of the audit chain, signed with a key the database never holds and written outside it.

The hash chain proves that no entry was changed *unless the whole chain was recomputed*: someone
with write access to the database can rewrite history and every hash with it, or cut the tail and
update the head row. A checkpoint closes that gap: the sequence number and hash of the chain head at
a given moment, signed with Ed25519 by a key read from a file (or the environment) that the
database does not contain, and written to the file/object storage (and e-mailed to administrators
by a receiver of ``point_de_controle_cree``, in the courriels app). ``verifier_points_de_controle``
then says whether the chain still reaches every checkpoint with the same hash.
"""

from __future__ import annotations

import base64
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.dispatch import Signal
from django.utils import timezone

from parchemin.erreurs import ErreurMetier

from .models import EntreeJournal, TeteJournal

FORMAT = "parchemin-point-de-controle-1"
DOSSIER = "journal/points-de-controle"

# Sent after a checkpoint is written (``point_de_controle``: PointDeControle, ``contenu``: bytes).
point_de_controle_cree = Signal()


@dataclass(frozen=True)
class PointDeControle:
    sequence: int
    hash: str
    horodatage: str
    motif: str
    chemin: str = ""

    def charge_utile(self) -> bytes:
        """The bytes that are signed: canonical JSON of what the checkpoint attests."""
        donnees = {
            "format": FORMAT,
            "sequence": self.sequence,
            "hash": self.hash,
            "horodatage": self.horodatage,
            "motif": self.motif,
        }
        return json.dumps(donnees, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _chemin_cle() -> Path:
    return Path(settings.JOURNAL_CLE_ANCRAGE_FICHIER)


def cle_privee() -> Ed25519PrivateKey:
    """The signing key: JOURNAL_CLE_ANCRAGE (PEM) if set, else the PEM file JOURNAL_CLE_ANCRAGE_FICHIER.
    Outside production a missing file is created (development and tests); in production it must exist."""
    pem = settings.JOURNAL_CLE_ANCRAGE
    if not pem:
        chemin = _chemin_cle()
        if not chemin.exists():
            if settings.PRODUCTION:
                raise ErreurMetier(
                    f"Clé d'ancrage du journal introuvable ({chemin}) : définissez JOURNAL_CLE_ANCRAGE ou "
                    "JOURNAL_CLE_ANCRAGE_FICHIER (voir docs/operations.md)."
                )
            _creer_cle(chemin)
        pem = chemin.read_text()
    try:
        cle = serialization.load_pem_private_key(pem.encode(), password=None)
    except (ValueError, TypeError) as erreur:
        raise ErreurMetier(
            "Clé d'ancrage du journal illisible : une clé Ed25519 au format PEM est attendue."
        ) from erreur
    if not isinstance(cle, Ed25519PrivateKey):
        raise ErreurMetier("Clé d'ancrage du journal illisible : une clé Ed25519 au format PEM est attendue.")
    return cle


def _creer_cle(chemin: Path) -> None:
    chemin.parent.mkdir(parents=True, exist_ok=True)
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    # Written aside then moved: two processes creating it at once end with one whole key.
    descripteur, provisoire = tempfile.mkstemp(dir=chemin.parent)
    with os.fdopen(descripteur, "wb") as fichier:
        fichier.write(pem)
    os.chmod(provisoire, 0o600)
    if chemin.exists():
        os.unlink(provisoire)
    else:
        os.replace(provisoire, chemin)


def cle_publique() -> Ed25519PublicKey:
    return cle_privee().public_key()


def empreinte_cle_publique() -> str:
    """What the operator writes down (outside the database) to recognise the key later."""
    brute = cle_publique().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(brute).decode()


def creer_point_de_controle(motif: str) -> PointDeControle:
    """Sign the current head of the chain and write it to the storage; tell the receivers."""
    tete = TeteJournal.objects.filter(pk=1).first()
    sequence, empreinte = (tete.derniere_sequence, tete.dernier_hash) if tete else (0, "")
    horodatage = timezone.now().isoformat()
    point = PointDeControle(sequence=sequence, hash=empreinte, horodatage=horodatage, motif=motif[:200])
    signature = cle_privee().sign(point.charge_utile())
    contenu = json.dumps(
        {
            **json.loads(point.charge_utile()),
            "cle_publique": empreinte_cle_publique(),
            "signature": base64.b64encode(signature).decode(),
        },
        ensure_ascii=False,
        indent=2,
    ).encode()
    nom = f"{DOSSIER}/{sequence:012d}-{timezone.now():%Y%m%dT%H%M%S%f}.json"
    chemin = default_storage.save(nom, ContentFile(contenu))
    point = PointDeControle(sequence, empreinte, horodatage, point.motif, chemin)
    point_de_controle_cree.send(sender=PointDeControle, point_de_controle=point, contenu=contenu)
    return point


def _lire(chemin: str, publique: Ed25519PublicKey) -> PointDeControle | str:
    """The checkpoint stored at ``chemin``, or why it cannot be trusted (French)."""
    try:
        with default_storage.open(chemin, "rb") as fichier:
            donnees: dict[str, Any] = json.loads(fichier.read())
        point = PointDeControle(
            sequence=int(donnees["sequence"]),
            hash=str(donnees["hash"]),
            horodatage=str(donnees["horodatage"]),
            motif=str(donnees.get("motif", "")),
            chemin=chemin,
        )
        if donnees.get("format") != FORMAT:
            return f"point de contrôle {chemin} : format inconnu"
        signature = base64.b64decode(str(donnees["signature"]), validate=True)
    except (OSError, ValueError, KeyError, TypeError):
        return f"point de contrôle {chemin} illisible"
    try:
        publique.verify(signature, point.charge_utile())
    except InvalidSignature:
        return f"point de contrôle {chemin} : signature invalide pour la clé d'ancrage configurée"
    return point


def points_de_controle() -> tuple[list[PointDeControle], list[str]]:
    """Every stored checkpoint whose signature holds, in order, and the problems with the others."""
    try:
        _, fichiers = default_storage.listdir(DOSSIER)
    except (FileNotFoundError, NotADirectoryError):
        return [], []
    publique = cle_publique()
    points: list[PointDeControle] = []
    problemes: list[str] = []
    for nom in sorted(f for f in fichiers if f.endswith(".json")):
        lu = _lire(f"{DOSSIER}/{nom}", publique)
        if isinstance(lu, str):
            problemes.append(lu)
        else:
            points.append(lu)
    return sorted(points, key=lambda p: (p.sequence, p.horodatage)), problemes


def verifier_points_de_controle() -> tuple[int, list[str]]:
    """Compare the chain in the database with every checkpoint: the number of checkpoints that
    agree, and one French sentence per disagreement (history rewritten, tail cut, forged file)."""
    points, problemes = points_de_controle()
    if not points:
        return 0, problemes
    hashes = dict(
        EntreeJournal.objects.filter(sequence__in={p.sequence for p in points}).values_list("sequence", "hash")
    )
    concordants = 0
    for point in points:
        if point.sequence == 0:
            concordants += 1
            continue
        trouve = hashes.get(point.sequence)
        date = point.horodatage[:19].replace("T", " à ")
        if trouve is None:
            problemes.append(
                f"journal tronqué : l'entrée n°{point.sequence}, attestée par le point de contrôle du {date}, "
                "n'existe plus"
            )
        elif trouve != point.hash:
            problemes.append(
                f"historique réécrit : l'entrée n°{point.sequence} n'a plus l'empreinte attestée par le point de "
                f"contrôle du {date}"
            )
        else:
            concordants += 1
    return concordants, problemes
